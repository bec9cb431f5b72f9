"""`jxc invoices` and `jxc statement`: what partners owe, document by document."""

from __future__ import annotations

from pathlib import Path

import click

from adapters.cli.common import Ctx, emit_json, fail, pass_ctx, resolve_user
from adapters.cli.documents import pdf_path
from domain.errors import JxcError
from domain.money.commands import QueryStatement
from domain.money.statement import list_invoices

COLUMNS = ("invoice", "kind", "partner", "order", "date", "due", "total", "paid", "open")
MONEY = ("total", "paid", "open")


@click.command()
@click.argument("partner", required=False)
@click.option("--open", "open_only", is_flag=True, help="Only invoices not fully paid.")
@click.option("--user", "user_name", default=None, help="Acting user (default: the first admin).")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def invoices(
    ctx: Ctx, partner: str | None, open_only: bool, user_name: str | None, as_json: bool
) -> None:
    """Invoices (INV-), supplier bills (BILL-) and credit notes (CN-): {invoice, kind, partner,
    order, date, due, total, paid, open}."""
    app = ctx.app
    try:
        resolve_user(app, user_name)  # every role may list them; the user must exist
        with app.uow(write=False) as uow:
            rows = list_invoices(uow, partner, open_only).to_json()["invoices"]
    except JxcError as exc:
        fail(exc, as_json)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo("no invoices")
        return
    body = [tuple(str(r[c]) for c in COLUMNS) for r in rows]
    click.echo("\n".join(aligned([COLUMNS, *body], right={COLUMNS.index(c) for c in MONEY})))


def aligned(rows: list[tuple[str, ...]], right: set[int]) -> list[str]:
    """Rows of cells as lines of aligned columns (the `right` ones flush right)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


@click.command()
@click.argument("partner")
@click.option("--period", default=None, help="A period name or YYYY-MM (default: last_month).")
@click.option("--user", "user_name", default=None, help="Acting user (default: the first admin).")
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None)
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--pdf",
    "pdf",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=pdf_path,
    default=None,
    help="Also write the statement to this PDF file.",
)
@pass_ctx
def statement(
    ctx: Ctx,
    partner: str,
    period: str | None,
    user_name: str | None,
    lang,
    as_json: bool,
    pdf: Path | None,
) -> None:
    """A partner's statement (对账单) for a period: {partner, period, opening, lines: [{date,
    doc, debit, credit, balance}], closing}; with `--pdf FILE` also as a PDF."""
    app = ctx.app
    try:
        user = resolve_user(app, user_name)
        result = app.bus.execute(QueryStatement(partner=partner, period=period), user)
        if pdf is not None:
            from adapters.documents.company import company_names
            from adapters.documents.port import render_document

            render_document(result, pdf, company_names(app.uow)(), currency=app.settings.currency)
    except JxcError as exc:
        fail(exc, as_json)
    if as_json:
        emit_json(result.to_json())
        return
    click.echo(statement_text(result, lang or getattr(user, "lang", None) or "en"))
    if pdf is not None:
        click.echo(f"pdf: {pdf}")


def statement_text(result, lang: str) -> str:
    """The whole statement as text: every line, not the chat's last ten."""
    zh = lang == "zh"
    name = (result.partner_name_zh if zh else result.partner_name) or result.partner
    period = result.period
    head = f"{name} ({result.partner}) {'对账单' if zh else 'statement'} "
    head += f"{period['start']} – {period['end']}"
    out = [head, f"{'期初余额' if zh else 'Opening balance'}: {result.opening}"]
    if not result.lines:
        out.append(
            "本期没有往来，期末余额与期初相同"
            if zh
            else "No activity in this period: the closing balance is the opening one"
        )
    else:
        table = [("date", "doc", "order", "debit", "credit", "balance")]
        for ln in result.lines:
            table.append((ln.date, ln.doc, ln.order or "", ln.debit, ln.credit, ln.balance))
        out.extend(aligned(table, right={3, 4, 5}))
    out.append(f"{'期末余额' if zh else 'Closing balance'}: {result.closing}")
    return "\n".join(out)


def register(group: click.Group) -> None:
    group.add_command(invoices)
    group.add_command(statement)
