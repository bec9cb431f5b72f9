"""Resolving items, partners and warehouses by every name people use, and never by a guess."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from bot.catalog import Catalog, CatalogItem, CatalogPartner, CatalogWarehouse, ResolveError

DEMO = Path(__file__).resolve().parents[2] / "adapters" / "demo_data"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.from_csv_dir(DEMO)


@pytest.mark.parametrize(
    ("text", "sku"),
    [
        ("M6-20", "M6-20"),
        ("m6-20", "M6-20"),
        ("M6x20 hex bolt", "M6-20"),
        ("M6螺栓", "M6-20"),
        ("M6", "M6-20"),
        ("m6 bolts", "M6-20"),
        ("ｍ６", "M6-20"),
        ("Ｍ６螺栓", "M6-20"),
        ("m6 nut", "M6-NUT"),
        ("M6 NUTS", "M6-NUT"),
        ("紙箱", "BOX-M"),
        ("cartons", "BOX-M"),
        ("boxes", "BOX-M"),
        ("small boxes", "BOX-S"),
        ("drills", "DRILL-18V"),
        ("hammers", "HAMMER"),
        ("6900010000004", "M6-20"),
        ("double-sided tape", "TAPE-DS"),
        ("double sided tapes", "TAPE-DS"),
    ],
)
def test_items_resolve_by_any_of_their_names(catalog, text, sku):
    assert catalog.resolve_item(text).sku == sku


def test_partners_resolve_by_code_name_chinese_name_and_alias(catalog):
    for text in ("ECH", "ech", "East China Hardware", "华东五金", "華東五金", "华东", "east china"):
        assert catalog.resolve_partner(text).code == "ECH"
    assert catalog.resolve_partner("艾克米", kind="customer").code == "ACME"


def test_a_partner_of_the_wrong_kind_is_an_error(catalog):
    with pytest.raises(ResolveError) as err:
        catalog.resolve_partner("ECH", kind="customer")
    assert err.value.code == "wrong_partner_kind"
    assert "ACME" in err.value.suggestions


def test_warehouses_resolve_and_main_always_exists():
    catalog = Catalog([], [], [CatalogWarehouse("BJ", "Beijing", "北京")])
    assert catalog.resolve_warehouse("main").code == "MAIN"
    assert catalog.resolve_warehouse("北京").code == "BJ"
    assert catalog.resolve_warehouse("bj").code == "BJ"


@pytest.mark.parametrize("text", ["M", "bolt", "bolts", "m8"])
def test_a_name_that_is_part_of_several_is_ambiguous(catalog, text):
    if text == "m8":
        assert catalog.resolve_item(text).sku == "M8-30"  # an alias of its own
        return
    with pytest.raises(ResolveError) as err:
        catalog.resolve_item(text)
    assert err.value.code == "ambiguous_name"
    assert {"M6-20", "M8-30"} <= set(err.value.suggestions)


def test_an_unknown_name_is_never_guessed_but_suggested(catalog):
    with pytest.raises(ResolveError) as err:
        catalog.resolve_item("hamer")
    assert err.value.code == "unknown_item"
    assert err.value.suggestions[0] == "HAMMER"
    assert catalog.suggest_items("hamer")[0] == "HAMMER"
    with pytest.raises(ResolveError) as err:
        catalog.resolve_partner("Acme Corp")
    assert err.value.code == "unknown_partner"
    with pytest.raises(ResolveError) as err:
        catalog.resolve_warehouse("Mars")
    assert err.value.code == "unknown_warehouse"


def test_the_longest_name_in_a_sentence_wins(catalog):
    found = catalog.scan("sell 20 m6 nuts and 20 m6 to acme")
    assert [(m.text, m.entities[0].sku if m.kind == "item" else m.entities[0].code)
            for m in found] == [("m6 nuts", "M6-NUT"), ("m6", "M6-20"), ("acme", "ACME")]  # fmt: skip


def test_a_name_is_not_found_inside_a_longer_word(catalog):
    assert catalog.scan("sm6 m60 ship") == []


def test_csv_import_reads_aliases_prices_and_kinds(catalog):
    item = catalog.resolve_item("M6")
    assert item == CatalogItem(
        sku="M6-20",
        name="M6x20 hex bolt",
        name_zh="M6螺栓",
        uom="pcs",
        aliases=("M6", "M6 bolt", "m6 bolts", "六角螺栓M6"),
        barcode="6900010000004",
        unit_price=Decimal("0.25"),
    )
    assert isinstance(catalog.resolve_partner("SZT"), CatalogPartner)
    assert catalog.resolve_partner("SZT").kind == "supplier"


def test_a_name_shared_by_two_items_is_ambiguous_even_when_exact():
    catalog = Catalog(
        [CatalogItem("A1", "widget", aliases=("w",)), CatalogItem("A2", "gadget", aliases=("w",))],
        [],
        [],
    )
    with pytest.raises(ResolveError) as err:
        catalog.resolve_item("W")
    assert err.value.code == "ambiguous_name"
    assert set(err.value.suggestions) == {"A1", "A2"}
