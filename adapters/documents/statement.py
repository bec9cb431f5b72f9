"""A partner's statement of account (对账单) as a PDF: the opening balance, one line per
document in date order (a document that raises the balance is a debit, one that lowers it a
credit), the period's totals and the closing balance. Thousands of lines run over as many pages
as they need, the header row on each."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from reportlab.lib.units import mm

from adapters.documents import layout
from adapters.documents.company import Company
from adapters.documents.fonts import cjk_font
from adapters.documents.layout import Styles, Title, amount, both

TITLE = ("Statement of Account", "对账单")
ROW = 5.6 * mm  # one line of 9-point text with its padding


def period_text(period) -> str:
    """A statement's period as people read it: `2026-09-01 – 2026-09-30`, or its name."""
    if isinstance(period, dict):
        start, end = period.get("start"), period.get("end")
        if start and end:
            return f"{start} – {end}"
        return str(period.get("name") or start or end or "")
    return str(period or "")


def _money(text) -> Decimal:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return Decimal(0)


def _side(text) -> str:
    """A debit or credit cell: empty for the side a document does not touch."""
    return "" if _money(text) == 0 else amount(text)


def render_statement(
    statement: dict,
    path: str | Path,
    company: Company,
    font: str | Path | None = None,
    currency: str | None = None,
) -> Path:
    """Draw a statement (the design's JSON shape: `partner`, `period`, `opening`, `lines` of
    `date`, `doc`, `debit`, `credit`, `balance`, and `closing`) into `path`."""
    name = cjk_font(font)
    styles = Styles(name)
    period = period_text(statement.get("period"))
    partner = statement["partner"]
    title = Title(TITLE[0], TITLE[1], f"{partner} {period}".strip())
    names = " ".join(
        p for p in (statement.get("partner_name_zh"), statement.get("partner_name")) if p
    )
    facts = [
        (both("Partner", "往来单位"), f"{names} ({partner})" if names else partner),
        (both("Period", "期间"), period),
        (both("Opening balance", "期初余额"), amount(statement["opening"])),
        (both("Closing balance", "期末余额"), amount(statement["closing"])),
    ]
    if currency:
        facts.append((both("Currency", "币种"), currency))
    lines = statement.get("lines") or []
    header = [
        both("Date", "日期"),
        both("Document", "单据"),
        both("Debit", "借方"),
        both("Credit", "贷方"),
        both("Balance", "余额"),
    ]
    rows = [["", both("Opening balance", "期初余额"), "", "", amount(statement["opening"])]]
    debit = credit = Decimal(0)
    for line in lines:
        debit += _money(line.get("debit"))
        credit += _money(line.get("credit"))
        rows.append(
            [
                str(line.get("date") or ""),
                str(line.get("doc") or ""),
                _side(line.get("debit")),
                _side(line.get("credit")),
                amount(line.get("balance")),
            ]
        )
    footer = [
        ["", both("Period total", "本期合计"), amount(debit), amount(credit), ""],
        ["", both("Closing balance", "期末余额"), "", "", amount(statement["closing"])],
    ]
    widths = [26 * mm, 46 * mm, 36 * mm, 36 * mm, 36 * mm]
    story = [
        *layout.title_block(company, title, styles),
        layout.info_table(facts, styles),
        layout.gap(5),
    ]
    if not lines:
        story += [
            layout.paragraph(
                "本期无往来：期末余额等于期初余额。 No activity in this period: the closing "
                "balance is the opening balance.",
                styles.strong,
            ),
            layout.gap(3),
        ]
    story += [
        layout.lines_table(
            header, rows, widths, styles, right=(2, 3, 4), footer=footer, row_height=ROW
        ),
        layout.gap(3),
        layout.paragraph(
            "借方：增加余额的单据（发票、供应商账单）；贷方：减少余额的单据（付款、红字发票）。 "
            "Debit: documents that raise the balance (invoices, suppliers' bills); credit: "
            "documents that lower it (payments, credit notes).",
            styles.note,
        ),
        layout.paragraph(
            "请核对本对账单，如有不符请及时告知。 Please check this statement and tell us of any "
            "difference.",
            styles.note,
        ),
        layout.gap(8),
        layout.signatures(
            [
                both("Issued by", "制单"),
                both("Confirmed by the partner (seal)", "对方确认（盖章）"),
            ],
            styles,
        ),
    ]
    return layout.write_pdf(path, story, font=name, company=company, title=title)
