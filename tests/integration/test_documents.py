"""Documents as people get them: a statement of a thousand lines over pages that each carry
the column headings, a statement of a quiet period that says so, the company's names at the top,
Chinese drawn with the embedded font, files in private directories, and a clear refusal when
the font is missing."""

from __future__ import annotations

import stat
from decimal import Decimal
from pathlib import Path

import pytest

from adapters.documents.company import Company
from adapters.documents.port import Documents, document_kind, release, render_document
from domain.errors import NotAvailable
from domain.messages.results import ReportAnswer
from domain.orders.delivery_notes import DeliveryNote, DeliveryNoteLine
from tests.pdf_text import fonts, needs_pdftotext, pages

COMPANY = Company("Shanghai Fastener Trading Co., Ltd.", "上海紧固件贸易有限公司")


def statement(count: int, opening: str = "1520.00") -> dict:
    """A customer's statement of `count` documents: two invoices, then a payment, and again."""
    balance = Decimal(opening)
    lines = []
    for n in range(count):
        debit = Decimal("800.50") + n % 11 if n % 3 != 2 else Decimal(0)
        credit = Decimal("500.25") if n % 3 == 2 else Decimal(0)
        balance += debit - credit
        lines.append(
            {
                "date": f"2026-{1 + n * 9 // max(count, 1):02d}-{1 + n % 28:02d}",
                "doc": f"PAY-{n:04d}" if credit else f"INV-{n:04d}",
                "debit": str(debit),
                "credit": str(credit),
                "balance": str(balance),
            }
        )
    return {
        "partner": "ACME",
        "partner_name": "ACME Corp",
        "partner_name_zh": "艾克米",
        "period": {"start": "2026-01-01", "end": "2026-09-30"},
        "opening": opening,
        "lines": lines,
        "closing": str(balance),
    }


def note(**over) -> DeliveryNote:
    fields = {
        "order": "SO-0007",
        "shipment": 2,
        "shipments": 2,
        "date": "2026-10-15",
        "shipped_at": "2026-10-15T09:30:00+08:00",
        "customer": "GREEN",
        "partner_name": "Green Home Decor",
        "partner_name_zh": "绿居装饰",
        "warehouse": "MAIN",
        "lines": (
            DeliveryNoteLine(
                item="ANCHOR-8",
                name="8mm wall anchor",
                name_zh="8mm膨胀螺栓",
                uom="pcs",
                qty="1500",
            ),
            DeliveryNoteLine(
                item="PAINT-W", name="white paint 5kg", name_zh="白色乳胶漆", uom="kg", qty="23.119"
            ),
        ),
    }
    return DeliveryNote(**{**fields, **over})


@needs_pdftotext
def test_a_statement_of_a_thousand_lines_runs_over_pages_each_with_the_column_headings(tmp_path):
    data = statement(1000)  # its time is a figure of benchmarks/documents.py
    path = render_document(data, tmp_path / "acme.pdf", COMPANY, currency="CNY")
    text = pages(path)
    assert len(text) > 10
    for n, page in enumerate(text, start=1):
        assert f"第 {n} / {len(text)} 页" in page and f"Page {n} of {len(text)}" in page
        if n < len(text):  # the last page may hold only the closing notes
            assert "日期 Date" in page and "余额 Balance" in page
    whole = "\n".join(text)
    assert "INV-0000" in whole and "PAY-0998" in whole and "INV-0999" in whole
    last = data["lines"][-1]
    assert f"{Decimal(last['balance']):,.2f}" in whole  # the closing balance, grouped
    assert "期末余额 Closing balance" in whole and "本期合计 Period total" in whole


@needs_pdftotext
def test_a_statement_of_a_quiet_period_says_the_opening_is_the_closing(tmp_path):
    quiet = {"partner": "ECH", "period": "2026-09", "opening": "-250.00", "lines": [],
             "closing": "-250.00"}  # fmt: skip
    (page,) = pages(render_document(quiet, tmp_path / "ech.pdf", Company()))
    assert "本期无往来" in page and "No activity in this period" in page
    assert page.count("-250.00") >= 3  # the opening, the closing, and the closing row
    assert "2026-09" in page


@needs_pdftotext
def test_the_company_names_head_a_delivery_note_with_its_lines_in_both_languages(tmp_path):
    (page,) = pages(render_document(note(), tmp_path / "dn.pdf", COMPANY))
    head = page[: page.index("送货单 Delivery Note")]
    assert "上海紧固件贸易有限公司" in head and "Shanghai Fastener Trading Co., Ltd." in head
    assert "绿居装饰" in page and "(GREEN)" in page and "SO-0007-2" in page
    assert "第 2 / 2 批" in page and "2026-10-15" in page and "MAIN" in page
    assert "8mm膨胀螺栓 8mm wall anchor" in page and "1,500" in page and "23.119" in page
    assert "收货人签收 Received by" in page


@needs_pdftotext
def test_without_company_names_no_company_line_is_printed(tmp_path):
    (page,) = pages(render_document(note(), tmp_path / "dn.pdf", Company()))
    assert page.strip().startswith("送货单 Delivery Note")


def test_every_glyph_comes_from_the_embedded_chinese_font(tmp_path):
    path = render_document(note(), tmp_path / "dn.pdf", COMPANY)
    assert path.read_bytes().startswith(b"%PDF")
    named, embedded = fonts(path)
    assert len(named) == 1 and "WenQuanYiZenHei" in named[0], named  # no Helvetica, no other
    assert embedded == 1, "the font program must be embedded"


def test_a_missing_font_is_refused_naming_the_package_to_install(tmp_path):
    documents = Documents(lambda: COMPANY, directory=tmp_path, font=tmp_path / "none.ttc")
    with pytest.raises(NotAvailable) as refused:
        documents(note(), "en")
    assert "fonts-wqy-zenhei" in refused.value.message
    assert "apt-get install fonts-wqy-zenhei" in refused.value.zh
    assert list(tmp_path.iterdir()) == []  # nothing half made is left behind


def test_the_port_draws_into_a_private_directory_and_release_removes_it(tmp_path):
    documents = Documents(lambda: COMPANY, directory=tmp_path)
    path = documents(note(), "zh")
    assert path.name == "delivery-note-SO-0007-2.pdf"
    folder = path.parent
    assert folder.parent == tmp_path and folder.name.startswith("jxc-documents-")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    again = documents(note(), "zh")
    assert again != path and path.is_file()  # two asks never share a file
    assert release(path) and not folder.exists()
    assert again.is_file()


def test_release_never_removes_a_file_a_user_named(tmp_path):
    mine = render_document(note(), tmp_path / "mine.pdf", COMPANY)
    assert not release(mine) and mine.is_file()
    assert not release(None)


def test_answers_that_are_no_documents_get_none(tmp_path):
    documents = Documents(lambda: COMPANY, directory=tmp_path)
    report = ReportAnswer(report="kpi", rows=[], summary={}, notes=[])
    assert documents(report, "en") is None
    assert documents({"partner": "ACME", "balance": "10.00"}, "en") is None
    assert document_kind(statement(1)) == "statement"
    assert list(tmp_path.iterdir()) == []


def test_a_statement_answer_is_drawn_whichever_type_carries_its_shape(tmp_path):
    class StatementAnswer(dict):
        def to_json(self):
            return dict(self)

    documents = Documents(lambda: COMPANY, directory=tmp_path)
    path = documents(StatementAnswer(statement(3)), "en")
    assert path.name == "statement-ACME-2026-01-01_2026-09-30.pdf"
    assert Path(path).read_bytes().startswith(b"%PDF")
