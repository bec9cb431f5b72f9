"""`jxc labels --items SKU,… | --all --pdf FILE`: QR labels for items on A4 sheets (clerks; the
SKU as a QR code, the English and Chinese names, the barcode's digits)."""

from __future__ import annotations

from pathlib import Path

import click

from adapters.cli.common import Ctx, emit_json, fail, pass_ctx, resolve_user
from domain.errors import JxcError


def _pdf_file(_ctx, _param, value: Path | None) -> Path | None:
    """The PDF's directory must exist and the name must not be a directory (misuse, exit 2,
    before any work is done)."""
    if value is None:
        return None
    if not Path(value).parent.is_dir():
        raise click.BadParameter(f"the directory {str(Path(value).parent)!r} does not exist")
    if Path(value).is_dir():
        raise click.BadParameter(f"{str(value)!r} is a directory; name a .pdf file")
    return value


@click.command("labels")
@click.option("--items", "items", default=None, help="SKUs, separated by commas (M6-20,M8-30).")
@click.option("--all", "every", is_flag=True, help="A label for every item, in SKU order.")
@click.option(
    "--pdf",
    "pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_pdf_file,
    required=True,
    help="Write the label sheets to this PDF file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the labels as JSON.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None)
@click.option("--user", "user_name", default=None, help="Acting user (default: the first admin).")
@pass_ctx
def labels(
    ctx: Ctx,
    items: str | None,
    every: bool,
    pdf: Path,
    as_json: bool,
    lang: str | None,
    user_name: str | None,
) -> None:
    """Print QR labels (SKU, names, barcode) for items on A4 sheets, 24 a page."""
    if every == bool(items and items.strip()):
        raise click.UsageError("name the items with --items SKU,… or take every item with --all")
    from adapters.documents.labels import render_labels
    from bot.render.results import result_reply
    from domain.ledger.labels import every_sku
    from domain.messages.commands import PrintLabels

    app = ctx.app
    try:
        user = resolve_user(app, user_name)
        if every:
            with app.uow(write=False) as uow:
                skus = every_sku(uow)
        else:
            skus = items.split(",")
        sheet = app.bus.execute(PrintLabels(items=tuple(skus)), user)
        render_labels(sheet, pdf)
    except JxcError as exc:
        fail(exc)
    if as_json:
        emit_json({**sheet.to_json(), "pdf": str(pdf)})
        return
    click.echo(result_reply(sheet, lang or getattr(user, "lang", None) or "en").text)
    click.echo(f"pdf: {pdf}")


def register(group: click.Group) -> None:
    group.add_command(labels)
