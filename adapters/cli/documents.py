"""`jxc delivery-note SO-… [--shipment N] --pdf FILE`: a shipment's delivery note as a PDF
(clerks and sales; the latest shipment unless one is named)."""

from __future__ import annotations

from pathlib import Path

import click

from adapters.cli.common import Ctx, fail, pass_ctx, resolve_user
from domain.errors import JxcError


def pdf_path(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """A `--pdf FILE` option's check: the file's directory must exist and the name must not
    be a directory (misuse, exit 2, before any work is done)."""
    if value is None:
        return None
    from domain.messages.commands import echo

    if not Path(value).parent.is_dir():
        raise click.BadParameter(f"the directory {echo(Path(value).parent)!r} does not exist")
    if Path(value).is_dir():
        raise click.BadParameter(f"{echo(value)!r} is a directory; name a .pdf file")
    return value


@click.command("delivery-note")
@click.argument("order")
@click.option(
    "--shipment",
    type=click.IntRange(min=1, max=2**31 - 1),
    default=None,
    help="Which shipment of the order (1 for the first; default: the latest).",
)
@click.option(
    "--pdf",
    "pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=pdf_path,
    required=True,
    help="Write the delivery note to this PDF file.",
)
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None)
@click.option("--user", "user_name", default=None, help="Acting user (default: the first admin).")
@pass_ctx
def delivery_note(
    ctx: Ctx,
    order: str,
    shipment: int | None,
    pdf: Path,
    lang: str | None,
    user_name: str | None,
) -> None:
    """Write the delivery note (送货单) of a sales order's shipment to a PDF."""
    from adapters.documents.company import company_names
    from adapters.documents.port import render_document
    from bot.render.results import result_reply
    from domain.messages.commands import QueryDeliveryNote

    app = ctx.app
    try:
        user = resolve_user(app, user_name)
        note = app.bus.execute(QueryDeliveryNote(order=order, shipment=shipment), user)
        render_document(note, pdf, company_names(app.uow)(), currency=app.settings.currency)
    except JxcError as exc:
        fail(exc)
    lang = lang or getattr(user, "lang", None) or "en"
    click.echo(result_reply(note, lang).text)
    click.echo(f"pdf: {pdf}")


def register(group: click.Group) -> None:
    group.add_command(delivery_note)
