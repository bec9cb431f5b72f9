"""`jxc digest`: render a digest now, or hand it to the notifier; show or change the digest
schedules (stored as data)."""

from __future__ import annotations

import json

import click

from adapters.cli.common import Ctx, emit_json, fail, pass_ctx, resolve_user
from adapters.digest import build_digest
from adapters.digest_schedules import KINDS, load_schedules
from domain.errors import JxcError
from domain.messages.commands_admin import SendDigest, SetDigestSchedules


@click.command()
@click.option("--kind", type=click.Choice(KINDS), default="daily", show_default=True)
@click.option("--send", is_flag=True, help="Hand it to the notifier for its recipients.")
@click.option("--png", type=click.Path(dir_okay=False), help="Where to write the chart.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.option("--schedules", "show_schedules", is_flag=True, help="Show the digest schedules.")
@click.option(
    "--set-schedules",
    "new_schedules",
    metavar="JSON",
    help='Replace the schedules (admin), e.g. \'[{"kind":"daily","at":"08:30","to":["admin"]}]\'.',
)
@click.option(
    "--user",
    "user_name",
    default=None,
    help="Acting user (default: the first admin); --send and --set-schedules need an admin.",
)
@pass_ctx
def digest(
    ctx: Ctx,
    kind: str,
    send: bool,
    png: str | None,
    lang: str,
    as_json: bool,
    show_schedules: bool,
    new_schedules: str | None,
    user_name: str | None,
) -> None:
    """The digest (stock value, below reorder point, top sellers, approvals, KPIs) — printed
    now, or sent with --send to the recipients of the schedules of its kind."""
    app = ctx.app
    try:
        if new_schedules is not None:
            user = resolve_user(app, user_name)
            app.bus.execute(SetDigestSchedules(schedules=new_schedules), user)
            show_schedules = True
        if show_schedules:
            with app.uow(write=False) as uow:
                schedules = load_schedules(uow)
            rows = [s.to_dict() for s in schedules]
            if as_json:
                emit_json(rows)
            else:
                for r in rows:
                    click.echo(f"{r['kind']:<7} {r['at']:<10} to {', '.join(r['to'])}")
            return
        if send:
            user = resolve_user(app, user_name)
            sent = app.bus.execute(SendDigest(kind=kind), user).sent
            click.echo(f"{kind} digest sent to {sent} recipient(s)", err=True)
            return
        made = build_digest(app, kind, lang=lang, png_path=png)
    except JxcError as exc:
        fail(exc, as_json)
    if as_json:
        out = {"kind": made.kind, "text": made.text, "png": str(made.png) if made.png else None}
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    click.echo(made.text)
    if made.png:
        click.echo(f"chart: {made.png}")


def register(group: click.Group) -> None:
    group.add_command(digest)
