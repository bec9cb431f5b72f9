"""`jxc chat` and `jxc parse`."""

from __future__ import annotations

import json
import sys

import click

from adapters.cli.common import Ctx, pass_ctx, resolve_user
from adapters.console import run_console
from bot.catalog_source import load_catalog
from bot.parse import parse as parse_text
from domain.errors import JxcError


@click.command()
@click.option(
    "--user", "user_name", default=None, help="Who is chatting (default: the first admin)."
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default=None,
    help="Reply language (default: the user's, else the message's).",
)
@pass_ctx
def chat(ctx: Ctx, user_name: str | None, lang: str | None) -> None:
    """The console chat: type what you would type in Slack or Telegram."""
    app = ctx.app
    if user_name is None:
        try:
            user_name = resolve_user(app, None).name
        except JxcError as exc:
            click.echo(exc.message, err=True)
            sys.exit(1)
    # A decision on someone's request is told to them through the application's notifier
    # (in the console, printed).
    sys.exit(run_console(app.conversation(), user_name, lang))


@click.command()
@click.argument("text")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON shape (the default for -).")
@pass_ctx
def parse(ctx: Ctx, text: str, as_json: bool) -> None:
    """Print the command a text becomes, without running it (`-` reads one text a line)."""
    app = ctx.app
    with app.uow(write=False) as uow:
        catalog = load_catalog(uow)
    today = app.clock.today()
    if text == "-":
        failed = False
        for line in sys.stdin:
            out = parse_text(line.rstrip("\n"), catalog, today).to_json()
            failed |= out.get("intent") is None
            click.echo(json.dumps(out, ensure_ascii=False))
        sys.exit(1 if failed else 0)
    out = parse_text(text, catalog, today).to_json()
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
    elif out.get("intent") is None:
        click.echo(f"not understood ({out.get('code')}): {out['error']}", err=True)
    else:
        slots = " ".join(
            f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in out.items() if k != "intent"
        )
        click.echo(f"{out['intent']} {slots}".strip())
    sys.exit(1 if out.get("intent") is None else 0)


def register(group: click.Group) -> None:
    group.add_command(chat)
    group.add_command(parse)
