"""QR labels (`jxc labels`, the chat's `labels`): A4 sheets of 24 whose QR codes read back as
their items, with the names in English and Chinese in an embedded font; clerks only; an unknown
SKU prints nothing."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from adapters.barcodes import decode
from tests.conftest import DEMO, jxc

pytestmark = pytest.mark.db
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")
DEMO_ITEMS = sum(1 for _ in DEMO.joinpath("items.csv").open(encoding="utf-8")) - 1


def page_png(pdf: Path, page: int = 1, dpi: int = 150) -> bytes:
    out = pdf.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf), str(out)],
        check=True,
    )
    (png,) = pdf.parent.glob(f"{out.name}-*{page}.png")
    data = png.read_bytes()
    png.unlink()
    return data


def pdf_text(pdf: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    return done.stdout


def pages(pdf: Path) -> int:
    return pdf_text(pdf).count("\f")


def test_labels_name_each_item_and_embed_their_font(master_db, tmp_path):
    pdf = tmp_path / "labels.pdf"
    proc = jxc(master_db, "labels", "--items", "M6-20,m8-30", "--pdf", str(pdf), "--user", "li")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["2 个物品的二维码标签：M6-20、M8-30。", f"pdf: {pdf}"]
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF") and b"/FontFile2" in raw and b"WenQuanYiZenHei" in raw


@needs_poppler
def test_the_printed_qr_codes_read_back_as_their_items_and_the_text_is_there(master_db, tmp_path):
    pdf = tmp_path / "labels.pdf"
    jxc(master_db, "labels", "--items", "M6-20,M8-30,HAMMER", "--pdf", str(pdf), check=True)
    assert sorted(c.text for c in decode(page_png(pdf))) == ["HAMMER", "M6-20", "M8-30"]
    text = pdf_text(pdf)
    for words in ("M6-20", "M6x20 hex bolt", "M6螺栓", "6900010000004", "claw hammer", "羊角锤"):
        assert words in text, words
    assert pages(pdf) == 1


@needs_poppler
def test_all_labels_fill_as_many_a4_sheets_as_it_takes(master_db, tmp_path):
    pdf = tmp_path / "all.pdf"
    proc = jxc(master_db, "labels", "--all", "--pdf", str(pdf), "--json", "--user", "li")
    shown = json.loads(proc.stdout)
    assert len(shown["labels"]) == DEMO_ITEMS and shown["pdf"] == str(pdf)
    m6 = next(label for label in shown["labels"] if label["sku"] == "M6-20")
    assert m6 == {"sku": "M6-20", "name": "M6x20 hex bolt", "name_zh": "M6螺栓",
                  "barcode": "6900010000004"}  # fmt: skip
    assert pages(pdf) == -(-DEMO_ITEMS // 24)


def test_labels_are_a_clerks_and_an_unknown_sku_prints_nothing(master_db, tmp_path):
    pdf = tmp_path / "labels.pdf"
    refused = jxc(master_db, "labels", "--items", "M6-20", "--pdf", str(pdf), "--user", "tom")
    assert refused.returncode == 1 and "not_permitted" in refused.stderr
    unknown = jxc(master_db, "labels", "--items", "M6-20,M6-2", "--pdf", str(pdf), "--user", "li")
    assert unknown.returncode == 1 and "unknown_item" in unknown.stderr
    assert "M6-20" in unknown.stderr  # the closest SKU is named
    assert not pdf.exists()
    for args in ([], ["--all", "--items", "M6-20"]):
        misuse = jxc(master_db, "labels", *args, "--pdf", str(pdf))
        assert misuse.returncode == 2, (args, misuse.stderr)


def test_the_chat_answers_print_labels_with_the_sheet(master_db):
    proc = jxc(master_db, "chat", "--user", "li", input="打印 M6 和 锤子 的标签\n")
    first, document = proc.stdout.strip().splitlines()
    assert first == "2 个物品的二维码标签：M6-20、HAMMER。"
    path = Path(document.removeprefix("(document: ").removesuffix(")"))
    assert path.name == "labels-M6-20-and-1-more.pdf" and path.read_bytes().startswith(b"%PDF")
    assert path.parent.name.startswith("jxc-documents-")
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    shutil.rmtree(path.parent)
    viewer = jxc(master_db, "chat", "--user", "tom", input="print labels for M6\n")
    assert "may not print labels" in viewer.stdout and "(document:" not in viewer.stdout


def test_print_labels_parses_to_the_labels_intent(master_db):
    proc = jxc(master_db, "parse", "-", input="print labels for M6 and M8\n打印标签\n")
    done, missing = (json.loads(line) for line in proc.stdout.splitlines())
    assert done == {"intent": "labels", "items": ["M6-20", "M8-30"]}
    assert missing["intent"] is None and missing["code"] == "missing_slot"
