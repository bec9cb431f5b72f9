"""A question about the state of things is never a write; a polite request still is."""

from __future__ import annotations

import pytest

from bot.catalog import Catalog
from bot.parse import parse
from tests.unit.test_parse_corpus import demo_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return demo_catalog()


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("SO-0005 为什么取消了", "SO-0005"),
        ("is SO-0001 shipped?", "SO-0001"),
        ("SO-0001 发货了吗", "SO-0001"),
        ("PO-0001", "PO-0001"),
        ("po-3", "PO-0003"),
        ("has PO-0003 arrived?", "PO-0003"),
        ("PO-0003 到了吗", "PO-0003"),
        ("why was SO-0003 cancelled", "SO-0003"),
        ("did we ship SO-0002", "SO-0002"),
        ("SO-0002 怎么样了", "SO-0002"),
        ("SO-0002 咋样", "SO-0002"),
        ("was PO-0004 cancelled?", "PO-0004"),
    ],
)
def test_a_question_about_an_order_is_an_order_query(text, order, catalog):
    assert parse(text, catalog).to_json() == {"intent": "order.query", "order": order}


@pytest.mark.parametrize(
    ("text", "intent", "order"),
    [
        ("can you ship SO-0001?", "sales.ship", "SO-0001"),
        ("could you cancel SO-0002", "sales.cancel", "SO-0002"),
        ("请发货 SO-0001", "sales.ship", "SO-0001"),
        ("帮我发一下SO-0001", "sales.ship", "SO-0001"),
        ("PO-0001 到货", "purchase.receive", "PO-0001"),
        ("please cancel PO-0002", "purchase.cancel", "PO-0002"),
    ],
)
def test_a_polite_request_stays_a_write(text, intent, order, catalog):
    assert parse(text, catalog).to_json() == {"intent": intent, "order": order}


@pytest.mark.parametrize("text", ["我的采购单", "my purchase orders", "show my POs"])
def test_my_purchase_orders_are_a_query_not_a_new_order(text, catalog):
    assert parse(text, catalog).to_json() == {
        "intent": "order.query",
        "mine": True,
        "kind": "purchase",
    }


@pytest.mark.parametrize(
    "text", ["建议采购什么", "what should I reorder", "应该进什么货", "需要采购哪些"]
)
def test_what_to_reorder_is_the_reorder_report(text, catalog):
    assert parse(text, catalog).to_json() == {"intent": "report", "name": "below_reorder"}


@pytest.mark.parametrize(
    "text", ["下周电钻卖多少", "how many drills will we sell next week", "电钻下周能卖多少"]
)
def test_a_sales_question_about_the_future_is_a_forecast(text, catalog):
    assert parse(text, catalog).to_json() == {"intent": "forecast", "item": "DRILL-18V", "days": 7}
