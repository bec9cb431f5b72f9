"""Asking for a delivery note (送货单) is read as that, never as shipping: the order, and the
shipment when one is named; without an order number the chat asks for it."""

from __future__ import annotations

import pytest

from bot.catalog import Catalog
from bot.parse import parse
from tests.unit.test_parse_corpus import demo_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return demo_catalog()


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("SO-0007 送货单", {"order": "SO-0007"}),
        ("delivery note for SO-0007", {"order": "SO-0007"}),
        ("Delivery Note SO-7", {"order": "SO-0007"}),
        ("打印 SO-0007 的发货单", {"order": "SO-0007"}),
        ("packing slip for so-12", {"order": "SO-0012"}),
        ("SO-0007 第2批送货单", {"order": "SO-0007", "shipment": 2}),
        ("SO-0007 第二次发货的送货单", {"order": "SO-0007", "shipment": 2}),
        ("delivery note for SO-0007 shipment 1", {"order": "SO-0007", "shipment": 1}),
        ("delivery note SO-0007 3rd shipment", {"order": "SO-0007", "shipment": 3}),
        ("PO-0012 送货单", {"order": "PO-0012"}),
    ],
)
def test_a_delivery_note_is_asked_for_by_its_order(text, expect, catalog):
    assert parse(text, catalog).to_json() == {"intent": "delivery_note", **expect}


@pytest.mark.parametrize(
    "text", ["SO-0007 送货", "SO-0007 发货", "ship SO-0007", "deliver SO-0007"]
)
def test_sending_the_goods_still_ships(text, catalog):
    assert parse(text, catalog).to_json()["intent"] == "sales.ship"


def test_a_delivery_note_without_an_order_asks_for_it(catalog):
    got = parse("送货单", catalog)
    assert got.intent == "delivery_note"
    assert (got.error.code, got.error.slot) == ("missing_slot", "order")
    assert "单号" in got.error.message
