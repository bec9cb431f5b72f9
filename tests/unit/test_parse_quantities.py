"""Quantities as people write them: multipliers, dozens, financial numerals, English words.
A quantity that cannot be read whole is an error, never a fragment of itself."""

from __future__ import annotations

import pytest

from bot.catalog import Catalog
from bot.parse import parse
from tests.unit.test_parse_corpus import demo_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return demo_catalog()


@pytest.mark.parametrize(
    ("text", "item", "qty"),
    [
        ("acme 5k m8", "M8-30", "5000"),
        ("ACME要3百个M6", "M6-20", "300"),
        ("ACME要5百个M6", "M6-20", "500"),
        ("ACME要2百5个M6", "M6-20", "250"),
        ("ACME要1万2个M6", "M6-20", "12000"),
        ("ACME要2w个M6", "M6-20", "20000"),
        ("sell 1k M6 to ACME", "M6-20", "1000"),
        ("sell 1.5k M6 to ACME", "M6-20", "1500"),
        ("ACME要3千个M6", "M6-20", "3000"),
        ("ACME要三百个M6", "M6-20", "300"),
        ("sell 2 dozen hammers to ACME", "HAMMER", "24"),
        ("sell a dozen hammers to ACME", "HAMMER", "12"),
        ("ACME要五打手套", "GLOVE-L", "60"),
        ("ACME要一打手套", "GLOVE-L", "12"),
        ("ACME要壹佰个M6", "M6-20", "100"),
        ("ACME要贰拾个M6", "M6-20", "20"),
        ("sell twenty hammers to ACME", "HAMMER", "20"),
        ("sell two hundred M6 to ACME", "M6-20", "200"),
        ("sell twenty-five drills to ACME", "DRILL-18V", "25"),
        ("sell a hundred and fifty washers to ACME", "WASHER-6", "150"),
    ],
)
def test_a_quantity_is_read_whole(text, item, qty, catalog):
    assert parse(text, catalog).to_json() == {
        "intent": "sales.create",
        "customer": "ACME",
        "lines": [{"item": item, "qty": qty}],
    }


def test_a_receipt_in_thousands(catalog):
    assert parse("入库 M6 2千5", catalog).command.to_dict() == {
        "intent": "stock.receive",
        "item": "M6-20",
        "qty": "2500",
    }


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("sell 5kk M6 to acme", "5kk"),
        ("ACME要三百多个M6", "三百多"),
        ("ACME要十几个锤子", "十几"),
        ("入库 M6 2ww", "2ww"),
    ],
)
def test_a_quantity_that_cannot_be_read_whole_is_an_error(text, fragment, catalog):
    out = parse(text, catalog).to_json()
    assert out["intent"] is None
    assert out["code"] == "invalid_quantity"
    assert out["slot"] == "qty"
    assert fragment in out["error"]


def test_kilograms_are_not_thousands(catalog):
    assert parse("receive 5kg paint", catalog).command.to_dict()["qty"] == "5"


def test_an_unreadable_numeral_before_days_does_not_raise(catalog):
    out = parse("二十 二十 days", catalog).to_json()
    assert out["intent"] is None or isinstance(out["intent"], str)


@pytest.mark.parametrize(
    ("text", "customer", "item", "qty"),
    [
        ("美林 要 半打 锤子", "MEILIN", "HAMMER", "6"),
        ("ACME要半打锤子", "ACME", "HAMMER", "6"),
        ("acme wants 2 doz hammers", "ACME", "HAMMER", "24"),
        ("acme wants 2 dz hammers", "ACME", "HAMMER", "24"),
        ("acme wants 2doz hammers", "ACME", "HAMMER", "24"),
        ("acme wants 1.5 doz hammers", "ACME", "HAMMER", "18"),
        ("ACME要两打锤子", "ACME", "HAMMER", "24"),
        ("sell 1,500 M6 to ACME", "ACME", "M6-20", "1500"),
        ("ACME要2万个M6", "ACME", "M6-20", "20000"),
        ("ACME要1.5万个M6", "ACME", "M6-20", "15000"),
        ("sell 2m wire to acme", "ACME", "WIRE-2.5", "2"),
        ("ACME要2.5米电线", "ACME", "WIRE-2.5", "2.5"),
        ("sell 5kg paint to acme", "ACME", "PAINT-W", "5"),
    ],
)
def test_unit_words_and_abbreviations_are_read_whole(text, customer, item, qty, catalog):
    assert parse(text, catalog).to_json() == {
        "intent": "sales.create",
        "customer": customer,
        "lines": [{"item": item, "qty": qty}],
    }


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("sell 1,5 hammers to acme", "1,5"),
        ("sell 2e3 M6 to acme", "2e3"),
        ("sell 1e309 M6 to acme", "1e309"),
        ("sell 3q hammers to acme", "3q"),
        ("sell 2mm hammers to acme", "2mm"),
        ("ACME要20个M6 @ 0,25", "0,25"),
        ("入库 M6 1,5", "1,5"),
    ],
)
def test_a_number_whose_form_or_suffix_cannot_be_read_is_asked_about(text, shown, catalog):
    out = parse(text, catalog).to_json()
    assert out["intent"] is None
    assert out["code"] == "invalid_quantity"
    assert shown in out["error"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("sell 2m hammers to acme", "2m"),
        ("ACME要2米锤子", "2米"),
        ("sell 3kg drills to acme", "3kg"),
    ],
)
def test_a_measure_that_is_not_the_items_unit_is_asked_about(text, shown, catalog):
    out = parse(text, catalog).to_json()
    assert out["intent"] is None
    assert out["code"] == "invalid_quantity"
    assert shown in out["error"]
