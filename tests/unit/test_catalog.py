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


def _shop() -> Catalog:
    return Catalog(
        [
            CatalogItem("SCREW-ST", "self-tapping screw 4x25", "自攻螺丝"),
            CatalogItem("VALVE-B", "brass ball valve", "铜球阀"),
            CatalogItem("TAPE-PTFE", "PTFE thread tape", "生料带"),
            CatalogItem("TAPE-INS", "insulation tape", "电工胶带", aliases=("胶带",)),
        ],
        [CatalogPartner("LINGNAN", "Lingnan Building Materials Co. Ltd", "岭南建材有限公司")],
        [
            CatalogWarehouse("GZ", "Guangzhou warehouse", "广州仓"),
            CatalogWarehouse("FS", "Foshan warehouse", "佛山仓库"),
        ],
    )


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("Guangzhou", "warehouse", "GZ"),
        ("广州", "warehouse", "GZ"),
        ("佛山", "warehouse", "FS"),
        ("螺丝", "item", "SCREW-ST"),
        ("screws", "item", "SCREW-ST"),
        ("valves", "item", "VALVE-B"),
        ("ball valves", "item", "VALVE-B"),
        ("球阀", "item", "VALVE-B"),
        ("岭南建材", "partner", "LINGNAN"),
        ("Lingnan Building Materials", "partner", "LINGNAN"),
    ],
)
def test_names_as_people_shorten_them(text, kind, code):
    catalog = _shop()
    found = catalog.scan(text.lower())
    assert [(m.kind, m.entities[0].sku if kind == "item" else m.entities[0].code)
            for m in found] == [(kind, code)]  # fmt: skip
    resolve = {"item": catalog.resolve_item, "warehouse": catalog.resolve_warehouse,
               "partner": catalog.resolve_partner}[kind]  # fmt: skip
    entity = resolve(text)
    assert (entity.sku if kind == "item" else entity.code) == code


def test_a_full_name_wins_over_a_part_and_a_shared_part_is_ambiguous():
    catalog = _shop()
    assert catalog.resolve_item("胶带").sku == "TAPE-INS"  # an alias, not a part
    with pytest.raises(ResolveError) as err:
        catalog.resolve_item("tape")
    assert err.value.code == "ambiguous_name"
    assert set(err.value.suggestions) == {"TAPE-PTFE", "TAPE-INS"}


def test_scan_takes_the_longest_name_leftmost_first():
    catalog = _shop()
    found = catalog.scan("广州仓 brass ball valve")
    assert [(m.text, m.part) for m in found] == [("广州仓", False), ("brass ball valve", False)]
