"""What every PDF shares: A4 pages, the company's name and the bilingual title on the first
page, a running head on the pages after it, "Page n of N" at the foot of each, and tables whose
header row repeats on every page. Called only when a document is drawn (imports reportlab)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from adapters.documents.company import Company

PAGE = A4
MARGIN = 15 * mm
WIDTH = PAGE[0] - 2 * MARGIN
HEAD_BG = colors.HexColor("#E8EDF4")
STRIPE = colors.HexColor("#F7F9FB")
RULE = colors.HexColor("#9AA5B1")
GREY = colors.HexColor("#555555")


@dataclass(frozen=True)
class Title:
    """A document's kind in both languages, and what it is about (shown in the running head)."""

    en: str
    zh: str
    subject: str


class Styles:
    """The paragraph styles of one font."""

    def __init__(self, font: str):
        self.font = font

        def style(name, size, align=TA_LEFT, leading=None, color=colors.black, **kw):
            return ParagraphStyle(
                name,
                fontName=font,
                fontSize=size,
                leading=leading or size * 1.3,
                alignment=align,
                textColor=color,
                **kw,
            )

        self.company_zh = style("company_zh", 15, TA_CENTER)
        self.company = style("company", 10, TA_CENTER, color=GREY)
        self.title = style("title", 18, TA_CENTER, spaceBefore=4, spaceAfter=8)
        self.label = style("label", 8.5, color=GREY)
        self.value = style("value", 10)
        self.cell = style("cell", 9, leading=11.5)
        self.cell_right = style("cell_right", 9, TA_RIGHT, leading=11.5)
        self.note = style("note", 8.5, color=GREY, leading=12)
        self.strong = style("strong", 11, leading=15)


def amount(text) -> str:
    """Money for people: thousands separators, two decimals (`1,234.50`, `-80.00`)."""
    try:
        return f"{Decimal(str(text)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(text)


def both(en: str, zh: str) -> str:
    """A heading in both languages, Chinese first (`数量 Quantity`)."""
    return f"{zh} {en}"


def title_block(company: Company, title: Title, styles: Styles) -> list:
    """The first page's head: the company's names (when set) and the document's title."""
    out: list = []
    if company.name_zh:
        out.append(Paragraph(_escape(company.name_zh), styles.company_zh))
    if company.name:
        out.append(Paragraph(_escape(company.name), styles.company))
    out.append(Paragraph(_escape(f"{title.zh}　{title.en}"), styles.title))
    return out


def info_table(pairs: list[tuple[str, str]], styles: Styles) -> Table:
    """Labelled facts in two columns: (label, value) pairs, left to right, top to bottom."""
    cells = [
        [Paragraph(_escape(label), styles.label), Paragraph(_escape(value), styles.value)]
        for label, value in pairs
    ]
    if len(cells) % 2:
        cells.append(["", ""])
    rows = [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[42 * mm, 48 * mm, 42 * mm, 48 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), styles.font, 9),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
            ]
        )
    )
    return table


def lines_table(
    header: list[str],
    rows: list[list],
    widths: list[float],
    styles: Styles,
    *,
    right: tuple[int, ...] = (),
    footer: list[list] | None = None,
    row_height: float | None = None,
) -> LongTable:
    """The document's lines: the header row repeats on every page, columns in `right` are
    right-aligned (amounts, quantities), `footer` rows (totals) are set apart by a rule. Rows of
    one line of text each may say their `row_height`: a table of thousands of rows is then laid
    out without measuring every row again on every page it splits at (and no cell spans
    columns, which would make each split walk every row)."""
    data = [header, *rows, *(footer or [])]
    heights = [row_height] * len(data) if row_height else None
    table = LongTable(data, colWidths=widths, rowHeights=heights, repeatRows=1)
    last = len(data) - 1
    commands = [
        ("FONT", (0, 0), (-1, -1), styles.font, 9),
        ("FONT", (0, 0), (-1, 0), styles.font, 8.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("ROWBACKGROUNDS", (0, 1), (-1, last - len(footer or [])), [None, STRIPE]),
    ]
    for col in right:
        commands.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
    if footer:
        first = len(data) - len(footer)
        commands.append(("LINEABOVE", (0, first), (-1, first), 0.8, RULE))
    table.setStyle(TableStyle(commands))
    return table


def signatures(labels: list[str], styles: Styles) -> Table:
    """Places to sign, side by side: a label over a line, the lines apart from each other."""
    gutter = 10 * mm
    width = (WIDTH - gutter * (len(labels) - 1)) / len(labels)
    top: list = []
    for n, label in enumerate(labels):
        top += ([""] if n else []) + [Paragraph(_escape(label), styles.label)]
    widths = [w for n in range(len(labels)) for w in ([gutter] if n else []) + [width]]
    table = Table([top, [""] * len(top)], colWidths=widths, rowHeights=[None, 14 * mm])
    commands = [("FONT", (0, 0), (-1, -1), styles.font, 9), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
    commands += [("LINEBELOW", (c, 1), (c, 1), 0.6, colors.black) for c in range(0, len(top), 2)]
    table.setStyle(TableStyle(commands))
    return table


def cell(text: str, width: float, styles: Styles):
    """A table cell of text: plain when it fits on one line (set like the cells beside it),
    a wrapping paragraph when it does not."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, styles.font, 9) <= width - 12:  # the cell's padding, 6 a side
        return text
    return Paragraph(_escape(text), styles.cell)


def gap(height_mm: float = 4) -> Spacer:
    return Spacer(1, height_mm * mm)


def paragraph(text: str, style) -> Paragraph:
    return Paragraph(_escape(text), style)


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_pdf(path: str | Path, story: list, *, font: str, company: Company, title: Title) -> Path:
    """Lay out `story` on A4 pages into `path`: a running head on every page after the first,
    "第 n / N 页 Page n of N" at every foot. Returns the path."""
    path = Path(path)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm,
        bottomMargin=MARGIN + 4 * mm,
        title=f"{title.zh} {title.en} {title.subject}",
        author=company.name or company.name_zh,
        subject=title.subject,
        creator="JXC",
    )
    head = " · ".join(
        p for p in (company.name_zh or company.name, f"{title.zh} {title.en}", title.subject) if p
    )
    doc.build(story, canvasmaker=_numbered(font, head))
    return path


def _numbered(font: str, head: str) -> Callable[..., Canvas]:
    """A canvas that holds its pages until the end, so each foot can say how many there are."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            kwargs["initialFontName"] = font  # never Helvetica: every glyph from the embedded font
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            n = self._pageNumber
            self.saveState()
            self.setFont(font, 8)
            self.setFillColor(GREY)
            if n > 1:
                self.drawString(MARGIN, PAGE[1] - MARGIN, head)
                self.setStrokeColor(RULE)
                self.setLineWidth(0.5)
                self.line(
                    MARGIN, PAGE[1] - MARGIN - 2 * mm, PAGE[0] - MARGIN, PAGE[1] - MARGIN - 2 * mm
                )
            self.drawCentredString(PAGE[0] / 2, MARGIN, f"第 {n} / {total} 页　Page {n} of {total}")
            self.restoreState()

    return NumberedCanvas
