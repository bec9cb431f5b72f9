"""A shipment's delivery note (送货单) as a PDF: the order, the shipment, the customer, the
warehouse it left from, the lines with their quantities, and places to sign."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.units import mm

from adapters.documents import layout
from adapters.documents.company import Company
from adapters.documents.fonts import cjk_font
from adapters.documents.layout import Styles, Title, both
from domain.numbers import qty_display

TITLE = ("Delivery Note", "送货单")
ITEM_WIDTH = 82 * mm


def render_delivery_note(
    note: dict, path: str | Path, company: Company, font: str | Path | None = None
) -> Path:
    """Draw a delivery note (the `delivery_note` result's JSON shape) into `path`."""
    name = cjk_font(font)
    styles = Styles(name)
    reference = f"{note['order']}-{note['shipment']}"
    title = Title(TITLE[0], TITLE[1], reference)
    who = (
        " ".join(p for p in (note.get("partner_name_zh"), note.get("partner_name")) if p)
        or note["customer"]
    )
    facts = [
        (both("Customer", "客户"), f"{who} ({note['customer']})"),
        (both("Delivery note No.", "送货单号"), reference),
        (both("Ship from", "发货仓库"), note.get("warehouse") or ""),
        (both("Sales order", "销售单号"), note["order"]),
        (both("Date shipped", "发货日期"), note.get("date") or ""),
        (
            both("Shipment", "发货批次"),
            f"第 {note['shipment']} / {note['shipments']} 批  {note['shipment']} of "
            f"{note['shipments']}",
        ),
    ]
    header = [
        both("No.", "序号"),
        both("SKU", "编码"),
        both("Item", "品名"),
        both("Unit", "单位"),
        both("Quantity", "数量"),
    ]
    rows = []
    for n, line in enumerate(note["lines"], start=1):
        names = " ".join(p for p in (line.get("name_zh"), line.get("name")) if p)
        rows.append(
            [
                str(n),
                line["item"],
                layout.cell(names, ITEM_WIDTH, styles),
                line.get("uom") or "",
                qty_display(line["qty"], line.get("uom")),
            ]
        )
    count = len(rows)
    footer = [
        ["", both("Total", "合计"), f"{count} 种商品  {count} item" + "s" * (count != 1), "", ""]
    ]
    widths = [14 * mm, 34 * mm, ITEM_WIDTH, 20 * mm, 30 * mm]
    story = [
        *layout.title_block(company, title, styles),
        layout.info_table(facts, styles),
        layout.gap(5),
        layout.lines_table(header, rows, widths, styles, right=(0, 4), footer=footer),
        layout.gap(4),
        layout.paragraph(
            "请当面点清货物，如有差异请在签收时注明。 Please check the goods on delivery and note "
            "any difference when you sign.",
            styles.note,
        ),
        layout.gap(8),
        layout.signatures(
            [
                both("Delivered by", "送货人"),
                both("Received by (signature)", "收货人签收"),
                both("Date received", "签收日期"),
            ],
            styles,
        ),
    ]
    return layout.write_pdf(path, story, font=name, company=company, title=title)
