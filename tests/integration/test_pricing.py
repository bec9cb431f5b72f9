"""What a salesperson is quoted is what the order stores: one pricing function for both."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import InvalidAmount
from domain.messages.commands import CreateSalesOrder, Line, QueryOrders, ReceiveStock
from domain.messages.results import OrderLineRow
from domain.orders.pricing import price_line

pytestmark = pytest.mark.db
D = Decimal


def test_a_price_and_a_discount_mean_the_discount_off_that_price(app, users):
    # 艾克米要 M6 200个 每个0.22 九五折: 0.22 less 5 % = 0.209, 200 × 0.209 = 41.80
    # (it was stored as 47.50: 5 % off the list price 0.25, the 0.22 forgotten).
    bus = app.bus
    bus.execute(ReceiveStock(item="M6-20", qty=D(1000), unit_cost=D("0.12")), users["li"])
    so = bus.execute(
        CreateSalesOrder(
            customer="ACME", lines=(Line("M6-20", D(200), price=D("0.22"), discount=D(5)),)
        ),
        users["wang"],
    )
    assert so.total == "41.80"
    assert so.lines == (
        OrderLineRow(
            item="M6-20",
            name="M6x20 hex bolt",
            name_zh="M6螺栓",
            qty="200",
            price="0.209",
            list_price="0.25",
            discount="16.4",
            amount="41.80",
            shipped="0",
        ),
    )
    assert (so.customer, so.partner_name, so.partner_name_zh, so.warehouse) == (
        "ACME",
        "ACME Trading",
        "艾克米",
        "MAIN",
    )
    # 16.4 % off list is over the 10 % the policy allows without approval.
    assert so.status == "pending_approval"
    assert so.reasons == ("M6-20: discount 16.4% is over 10%",)
    assert so.reasons_zh == ("M6螺栓（M6-20） 折扣 16.4% 超过 10%",)
    stored = bus.execute(QueryOrders(order=so.order), users["admin"]).orders[0]
    assert stored.total == "41.80"
    assert stored.lines == so.lines


def test_the_dry_run_shown_before_confirming_is_the_order_stored(app, users):
    bus = app.bus
    for sku in ("M6-20", "DRILL-18V", "HAMMER"):
        bus.execute(ReceiveStock(item=sku, qty=D(300)), users["li"])
    cases = [
        (Line("M6-20", D(200), price=D("0.22"), discount=D(5)),),
        (Line("DRILL-18V", D(3), discount=D("7.5")), Line("HAMMER", D(7), price=D("26.5"))),
        (Line("M6-20", D(33), discount=D(10)), Line("M6-20", D(1))),
        (Line("HAMMER", D(1), price=D("30")),),  # above list: a negative discount
    ]
    for lines in cases:
        cmd = CreateSalesOrder(customer="SUNRISE", lines=lines)
        quoted = bus.preview(cmd, users["wang"])
        stored = bus.execute(cmd, users["wang"])
        assert (quoted.order, quoted.total, quoted.status) == (
            stored.order,
            stored.total,
            stored.status,
        ), lines
        assert quoted.lines == stored.lines
        assert quoted.reasons == stored.reasons
    hammer = bus.execute(QueryOrders(order="SO-0004"), users["admin"]).orders[0].lines[0]
    assert (hammer.price, hammer.list_price, hammer.discount) == (
        "30.00",
        "28.00",
        "-7.14",
    )


def test_line_prices_round_each_line_half_up():
    line = price_line(D("0.25"), D(3), price=D("0.215"))
    assert (line.price, line.amount) == (D("0.215"), D("0.65"))  # 0.645 → 0.65
    typed = price_line(D("0.333333"), D(3), discount=D(10))
    assert typed.discount == D(10)  # the discount typed, not one read back from a rounded price
    assert price_line(None, D(2), price=D("5")).discount == 0
    with pytest.raises(InvalidAmount):
        price_line(D(1), D(1), discount=D(100))
