"""One lookup for a code however it was written or read: a UPC-A, the EAN-13 a scanner reads for
it (a leading 0) and the GTIN-14 name the same item; a carton's code names the item inside; a QR
label's SKU names its item; the import keeps barcodes unique as GTINs; the parser reads typed
codes the same way."""

from __future__ import annotations

from datetime import date

import pytest

from bot.catalog import Catalog, CatalogItem
from bot.parse import parse
from domain.ledger import imports
from domain.ledger.codes import item_by_code
from domain.ledger.csv_rows import COLUMNS, ImportRejected
from domain.ledger.gtin import forms, gtin14, inner_gtin, valid_gtin

pytestmark = pytest.mark.db
UPC_A = "012345000065"  # a UPC-A; its EAN-13 is 0012345000065
TODAY = date(2026, 6, 15)


def import_items(app, *rows: dict) -> None:
    """Items imported as `jxc import items` would (every column; those not given empty)."""
    header = [*COLUMNS["items"], "barcode"]
    lines = [(n, {k: r.get(k, "") for k in header}) for n, r in enumerate(rows, start=2)]
    with app.uow() as uow:
        imports.import_rows(uow, "items", lines, today=TODAY, header=header)
        uow.commit()


def named(app, code: str):
    with app.uow(write=False) as uow:
        match = item_by_code(uow, code)
    return match.sku, match.carton


@pytest.fixture
def upc_item(app):
    import_items(
        app,
        {"sku": "TAPE-US", "name": "US tape", "name_zh": "美国胶带", "uom": "roll",
         "unit_price": "3", "unit_cost": "1", "barcode": UPC_A},
    )  # fmt: skip
    return app


def test_a_gtin_is_found_in_each_of_its_written_forms(upc_item):
    for code in (UPC_A, "0012345000065", "00012345000065"):
        assert named(upc_item, code) == ("TAPE-US", False), code
    assert named(upc_item, "6900010000004") == ("M6-20", False)


def test_a_carton_code_names_the_item_inside_and_an_exact_gtin_14_its_own_item(app):
    assert named(app, "16900010000001") == ("M6-20", True)
    import_items(
        app,
        {"sku": "M6-20-BOX", "name": "M6x20 bolts, box of 100", "name_zh": "M6螺栓 100个装",
         "uom": "box", "unit_price": "20", "unit_cost": "10", "barcode": "16900010000001"},
    )  # fmt: skip
    assert named(app, "16900010000001") == ("M6-20-BOX", False)


def test_a_qr_label_names_its_item_by_sku_and_an_unknown_code_names_none(app):
    assert named(app, "m8-30") == ("M8-30", False)
    assert named(app, "4006381333931") == (None, False)
    assert named(app, "6900010000005") == (None, False)  # a wrong check digit is no barcode
    assert named(app, "https://example.com/x") == (None, False)


def test_an_ean_13_and_its_upc_a_cannot_name_two_items(upc_item):
    with pytest.raises(ImportRejected) as refused:
        import_items(
            upc_item,
            {"sku": "TAPE-CN", "name": "tape", "name_zh": "胶带", "uom": "roll",
             "unit_price": "3", "unit_cost": "1", "barcode": "0012345000065"},
        )  # fmt: skip
    assert "already belongs to TAPE-US" in str(refused.value.lines)
    with pytest.raises(ImportRejected) as refused:
        import_items(
            upc_item,
            {"sku": "A1", "name": "a", "barcode": "4006381333931"},
            {"sku": "A2", "name": "b", "barcode": "04006381333931"},
        )
    assert "appears twice in the file" in str(refused.value.lines)


def test_the_parser_reads_a_typed_upc_a_as_the_item_stored_with_its_ean_13():
    catalog = Catalog([CatalogItem("TAPE-US", "US tape", barcode="0012345000065")], [], [])
    result = parse(f"receive 20 {UPC_A}", catalog, TODAY)
    assert result.command.to_dict() == {"intent": "stock.receive", "item": "TAPE-US", "qty": "20"}


def test_gtin_forms_and_check_digits():
    assert valid_gtin("6900010000004") and not valid_gtin("6900010000005")
    assert not valid_gtin("６900010000004") and not valid_gtin("690001000000")
    assert gtin14(UPC_A) == "00012345000065"
    assert forms(UPC_A) == ["00012345000065", "0012345000065", "012345000065"]
    assert forms("96385074") == ["00000096385074", "0000096385074", "000096385074", "96385074"]
    assert inner_gtin("16900010000001") == "6900010000004"
    assert inner_gtin("06900010000004") is None
