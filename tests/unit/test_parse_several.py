"""Several commands in one message: none is dropped silently. Further complete commands come in
`more` (and in `jxc parse` JSON as "more"); what could not be read is kept in `left_out`."""

from __future__ import annotations

import pytest

from bot.catalog import Catalog
from bot.parse import parse
from tests.unit.test_parse_corpus import demo_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return demo_catalog()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("发货 SO-0004 SO-0007", "sales.ship"),
        ("ship SO-4 and SO-7", "sales.ship"),
        ("取消 SO-0004、SO-0007", "sales.cancel"),
        ("SO-0004 SO-0007 发货了吗", "order.query"),
    ],
)
def test_one_verb_with_several_orders_gives_one_command_per_order(text, intent, catalog):
    result = parse(text, catalog)
    assert result.command.to_dict() == {"intent": intent, "order": "SO-0004"}
    assert [c.to_dict() for c in result.more] == [{"intent": intent, "order": "SO-0007"}]
    assert result.left_out == []
    assert result.to_json()["more"] == [{"intent": intent, "order": "SO-0007"}]


def test_cancelling_a_sales_and_a_purchase_order_together(catalog):
    result = parse("cancel SO-1 and PO-3", catalog)
    got = [c.to_dict() for c in (result.command, *result.more)]
    assert sorted(got, key=lambda c: c["order"]) == [
        {"intent": "purchase.cancel", "order": "PO-0003"},
        {"intent": "sales.cancel", "order": "SO-0001"},
    ]


def test_an_order_number_that_fits_no_command_is_left_out_not_dropped(catalog):
    result = parse("ship SO-4 and PO-2", catalog)
    assert result.command.to_dict() == {"intent": "sales.ship", "order": "SO-0004"}
    assert [c.to_dict() for c in result.more] == []
    assert result.left_out == ["PO-0002"]


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (
            "ACME wants 20 hammers and Beta wants 10 boxes",
            ("ACME", "HAMMER", "20"),
            ("BETA", "BOX-M", "10"),
        ),
        ("艾克米要20个锤子，贝塔要10箱胶带", ("ACME", "HAMMER", "20"), ("BETA", "TAPE-48", "10")),
        (
            "sell 20 M6 to ACME and 10 hammers to Beta",
            ("ACME", "M6-20", "20"),
            ("BETA", "HAMMER", "10"),
        ),
        ("艾克米要20个M6；另外绿居要5台电钻", ("ACME", "M6-20", "20"), ("GREEN", "DRILL-18V", "5")),
    ],
)
def test_each_clause_naming_its_own_customer_is_its_own_order(text, first, second, catalog):
    def order(customer, item, qty):
        return {"intent": "sales.create", "customer": customer,
                "lines": [{"item": item, "qty": qty}]}  # fmt: skip

    result = parse(text, catalog)
    assert result.command.to_dict() == order(*first)
    assert [c.to_dict() for c in result.more] == [order(*second)]
    assert result.to_json() == {**order(*first), "more": [order(*second)]}


def test_two_suppliers_two_purchase_orders(catalog):
    result = parse("buy 500 M6 from ECH and 5 drills from SZT", catalog)
    assert result.command.to_dict()["supplier"] == "ECH"
    assert [c["supplier"] for c in [m.to_dict() for m in result.more]] == ["SZT"]
    assert result.more[0].to_dict()["lines"] == [{"item": "DRILL-18V", "qty": "5"}]


def test_a_clause_that_cannot_be_read_is_left_out_verbatim(catalog):
    result = parse("ACME wants 20 unobtainium and Beta wants 10 boxes", catalog)
    assert result.command.to_dict() == {
        "intent": "sales.create",
        "customer": "BETA",
        "lines": [{"item": "BOX-M", "qty": "10"}],
    }
    assert result.left_out == ["ACME wants 20 unobtainium"]


def test_one_customer_with_several_items_stays_one_order(catalog):
    result = parse("ACME要20个M6和10个锤子", catalog)
    assert [c.to_dict() for c in result.more] == [] and result.left_out == []
    assert result.to_json() == {
        "intent": "sales.create",
        "customer": "ACME",
        "lines": [{"item": "M6-20", "qty": "20"}, {"item": "HAMMER", "qty": "10"}],
    }
    assert "more" not in parse("ship SO-4", catalog).to_json()
