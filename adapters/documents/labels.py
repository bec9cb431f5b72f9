"""QR labels on A4 sheets (`jxc labels`, the chat's `labels`), drawn with reportlab.

24 labels a sheet, 3 across and 8 down, each 70 × 37 mm (the common sheet of that size; a thin
grey line shows where to cut plain paper). A label holds the QR code of the SKU (what a phone
reads back as the item: `domain.ledger.codes.item_by_code`), the SKU, the English and Chinese names
and the barcode's digits when the item has one. The text is set in WenQuanYi Zen Hei, a
TrueType font embedded in the PDF so the Chinese prints on any reader (reportlab cannot embed
the CFF outlines of Noto CJK).

For chat, the documents port (`adapters.documents.port`) draws the sheet into a private
directory of its own and hands its path to the reply. reportlab is imported only when a sheet
is drawn.
"""

from __future__ import annotations

import re
from pathlib import Path

from domain.ledger.labels import Label, LabelSheet

PER_ROW, ROWS = 3, 8
PER_SHEET = PER_ROW * ROWS


def render_labels(sheet: LabelSheet, path: str | Path, *, font: str | Path | None = None) -> Path:
    """Draw the labels of `sheet` into the PDF `path`, 24 an A4 page; the path."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    from adapters.documents.fonts import cjk_font

    face = cjk_font(font)
    path = Path(path)
    page_w, page_h = A4
    cell_w, cell_h = page_w / PER_ROW, page_h / ROWS
    pdf = canvas.Canvas(str(path), pagesize=A4, pageCompression=1)
    pdf.setTitle("JXC labels / 物品标签")
    pdf.setCreator("JXC")
    labels = list(sheet.labels)
    for start in range(0, max(len(labels), 1), PER_SHEET):
        if start:
            pdf.showPage()
        for n, label in enumerate(labels[start : start + PER_SHEET]):
            col, row = n % PER_ROW, n // PER_ROW
            x, y = col * cell_w, page_h - (row + 1) * cell_h
            _cut_lines(pdf, x, y, cell_w, cell_h)
            _label(pdf, label, x, y, cell_w, cell_h, face, mm)
    pdf.save()
    return path


def _cut_lines(pdf, x: float, y: float, w: float, h: float) -> None:
    pdf.saveState()
    pdf.setStrokeGray(0.8)
    pdf.setLineWidth(0.3)
    pdf.setDash(2, 2)
    pdf.rect(x, y, w, h, stroke=1, fill=0)
    pdf.restoreState()


def _label(pdf, label: Label, x: float, y: float, w: float, h: float, face: str, mm: float):
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    pad = 2.5 * mm
    side = h - 2 * pad  # the QR code's square, quiet zone included
    widget = QrCodeWidget(label.sku, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, x + pad, y + pad)
    left = x + pad + side + 1.5 * mm
    width = x + w - pad - left
    top = y + h - pad
    lines = [(label.sku, 13.0, True)]
    lines += [(text, 8.0, False) for text in _wrapped(label.name, face, 8.0, width, 2)]
    lines += [(text, 10.5, False) for text in _wrapped(label.name_zh, face, 10.5, width, 2)]
    cursor = top
    for text, size, strong in lines:
        size = _fitting(text, face, size, width)
        cursor -= size * 1.25
        _text(pdf, left, cursor, text, face, size, strong)
    if label.barcode:
        size = _fitting(label.barcode, face, 9.0, width)
        _text(pdf, left, y + pad + 0.5 * mm, label.barcode, face, size, False)


def _text(pdf, x: float, y: float, text: str, face: str, size: float, strong: bool) -> None:
    # The render mode and line width are graphics state, which outlives the text object: each
    # text sets its own, inside a saved state.
    pdf.saveState()
    words = pdf.beginText(x, y)
    words.setFont(face, size)
    # One font only: a thin outline stroked around the letters stands for bold.
    words.setTextRenderMode(2 if strong else 0)
    pdf.setLineWidth(size / 28)
    words.textOut(text)
    pdf.drawText(words)
    pdf.restoreState()


def _fitting(text: str, face: str, size: float, width: float, smallest: float = 5.0) -> float:
    """The size (at most `size`) at which `text` fits `width`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    wide = stringWidth(text, face, size)
    return size if wide <= width else max(smallest, size * width / wide)


def _wrapped(text: str, face: str, size: float, width: float, most: int) -> list[str]:
    """`text` in at most `most` lines of `width`, broken between words (anywhere in Chinese);
    what does not fit ends in "…"."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = " ".join((text or "").split())
    if not text:
        return []
    pieces = re.findall(r"[\u3000-\u9fff\uff00-\uffef]|[^\s\u3000-\u9fff\uff00-\uffef]+\s*", text)
    lines, line = [], ""
    for piece in pieces:
        if line and stringWidth((line + piece).rstrip(), face, size) > width:
            lines.append(line.rstrip())
            line = piece.lstrip()
        else:
            line += piece
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > most:
        last = lines[most - 1]
        while last and stringWidth(last + "…", face, size) > width:
            last = last[:-1]
        lines = [*lines[: most - 1], last.rstrip() + "…"]
    return lines


def file_name(sheet: LabelSheet) -> str:
    """`labels-M6-20.pdf`, `labels-M6-20-and-3-more.pdf`."""
    first = sheet.labels[0].sku if sheet.labels else "none"
    more = len(sheet.labels) - 1
    stem = f"labels-{first}" + (f"-and-{more}-more" if more > 0 else "")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") + ".pdf"
