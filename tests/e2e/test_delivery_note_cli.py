"""`jxc delivery-note` and the console's 送货单, the way a clerk prints one: a PDF of the latest
shipment (or the one named) with the company's name, the customer and the goods; a clear line
and exit 1 for an order or shipment that does not exist, exit 2 for a misused option."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import jxc, run_json
from tests.pdf_text import needs_pdftotext, pages

pytestmark = pytest.mark.db


@pytest.fixture
def shipped(master_db):
    """SO-0001 for ACME: 30 M6 bolts, 10 leave first and 20 later."""
    run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "100"},
        {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6-20", "qty": "30"}]},
        {"intent": "sales.ship", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "10"}]},
        {"intent": "sales.ship", "order": "SO-0001"},
    )
    jxc(master_db, "rules", "set", "company.name_zh", "上海紧固件贸易有限公司", check=True)
    return master_db


@needs_pdftotext
def test_a_clerk_prints_the_latest_shipments_delivery_note(shipped, tmp_path):
    pdf = tmp_path / "so1.pdf"
    proc = jxc(shipped, "delivery-note", "SO-0001", "--pdf", str(pdf), "--user", "li")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("SO-0001 送货单（第 2/2 批）：客户 艾克米（ACME）")
    assert proc.stdout.rstrip().endswith(f"pdf: {pdf}")
    (page,) = pages(pdf)
    assert "上海紧固件贸易有限公司" in page and "送货单 Delivery Note" in page
    assert "SO-0001-2" in page and "第 2 / 2 批" in page
    assert re.search(r"M6-20\s+M6螺栓 M6x20 hex bolt\s+pcs\s+20\b", page), page


@needs_pdftotext
def test_a_salesperson_prints_the_first_shipment_by_its_number(shipped, tmp_path):
    pdf = tmp_path / "first.pdf"
    proc = jxc(shipped, "delivery-note", "SO-0001", "--shipment", "1", "--pdf", str(pdf),
               "--user", "sam")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "shipment 1 of 2" in proc.stdout
    (page,) = pages(pdf)
    assert re.search(r"pcs\s+10\b", page) and "第 1 / 2 批" in page


def test_an_unknown_order_or_shipment_is_one_line_and_exit_1(shipped, tmp_path):
    pdf = tmp_path / "x.pdf"
    proc = jxc(shipped, "delivery-note", "SO-0042", "--pdf", str(pdf))
    assert (proc.returncode, proc.stderr) == (1, "error (unknown_order): no sales order SO-0042\n")
    proc = jxc(shipped, "delivery-note", "SO-0001", "--shipment", "5", "--pdf", str(pdf))
    assert proc.returncode == 1
    assert proc.stderr.startswith("error (unknown_order): SO-0001 has no shipment 5")
    proc = jxc(shipped, "delivery-note", "SO-0001", "--pdf", str(pdf), "--user", "tom")
    assert proc.returncode == 1 and "error (not_permitted)" in proc.stderr
    assert not pdf.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["SO-0001"],  # no --pdf
        ["SO-0001", "--pdf", "/nonexistent-dir/x.pdf"],
        ["SO-0001", "--shipment", "0", "--pdf", "x.pdf"],
        ["SO-0001", "--shipment", "two", "--pdf", "x.pdf"],
    ],
)
def test_misused_options_are_exit_2(shipped, args):
    assert jxc(shipped, "delivery-note", *args).returncode == 2


def test_the_console_answers_with_the_delivery_note_and_keeps_the_pdf_it_names(shipped):
    proc = jxc(shipped, "chat", "--user", "li", input="SO-0001 送货单\nSO-0009 送货单\n")
    first, second = [a.strip() for a in proc.stdout.split("\n\n") if a.strip()]
    assert first.startswith("SO-0001 送货单（第 2/2 批）")
    (path,) = re.findall(r"\(document: (.+\.pdf)\)", first)
    pdf = Path(path)
    assert pdf.name == "delivery-note-SO-0001-2.pdf" and pdf.parent.name.startswith(
        "jxc-documents-"
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    assert second == "没有销售单 SO-0009"
    pdf.unlink()
    pdf.parent.rmdir()
