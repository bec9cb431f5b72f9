"""Partial shipments: `sales.ship` with lines ships part of an order, a later shipment (with or
without lines) completes it, refusals say why in both languages and change nothing, cancelling a
partly shipped order closes the rest, and the fill rate counts lines complete in their first
shipment. The clock stands at Monday 2026-06-15 10:00 in Shanghai."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from domain.errors import InsufficientStock, InvalidQuantity, InvalidState
from domain.messages.commands import (
    CancelSalesOrder,
    CountStock,
    CreateSalesOrder,
    DecideApproval,
    Line,
    QueryOrders,
    QueryStock,
    ReceiveStock,
    Report,
    ShipSalesOrder,
)
from domain.messages.results import ClosedLine
from tests.conftest import run_json

pytestmark = pytest.mark.db
D = Decimal


def stock(app, sku, wh="MAIN"):
    row = app.bus.execute(QueryStock(item=sku, warehouse=wh), app.bus.user("admin")).rows[0]
    return row.on_hand, row.reserved, row.available


def lines_of(app, order):
    (row,) = app.bus.execute(QueryOrders(order=order), app.bus.user("admin")).orders
    return row.status, [(ln.item, ln.qty, ln.shipped) for ln in row.lines]


def bolts_and_nuts(app, users, bolts=100, nuts=50):
    li, wang = users["li"], users["wang"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(1000), unit_cost=D("0.12")), li)
    app.bus.execute(ReceiveStock(item="M6-NUT", qty=D(1000), unit_cost=D("0.03")), li)
    return app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("M6-20", D(bolts)), Line("M6-NUT", D(nuts)))),
        wang,
    )


def test_an_order_ships_in_parts_and_a_later_shipment_completes_it(app, users):
    # SO-0001 先发 M6 40 个, then 发货 SO-0001 ships what is left.
    li = users["li"]
    so = bolts_and_nuts(app, users)
    assert stock(app, "M6-20") == ("1000", "100", "900")
    part = app.bus.execute(ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(40)),)), li)
    assert (part.status, part.cogs) == ("partially_shipped", "4.80")
    assert [(x.item, x.qty, x.amount) for x in part.shipped] == [("M6-20", "40", "10.00")]
    assert stock(app, "M6-20") == ("960", "60", "900")  # the reservation shrank by what left
    assert lines_of(app, so.order) == (
        "partially_shipped",
        [("M6-20", "100", "40"), ("M6-NUT", "50", "0")],
    )
    more = app.bus.execute(ShipSalesOrder(order=so.order, lines=(Line("M6-NUT", D(50)),)), li)
    assert more.status == "partially_shipped"  # 60 bolts are still open
    rest = app.bus.execute(ShipSalesOrder(order=so.order), li)
    assert rest.status == "shipped"
    assert [(x.item, x.qty, x.amount) for x in rest.shipped] == [("M6-20", "60", "15.00")]
    assert stock(app, "M6-20") == ("900", "0", "900")
    assert stock(app, "M6-NUT") == ("950", "0", "950")
    assert lines_of(app, so.order) == (
        "shipped",
        [("M6-20", "100", "100"), ("M6-NUT", "50", "50")],
    )
    with pytest.raises(InvalidState) as again:
        app.bus.execute(ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(1)),)), li)
    assert again.value.message == (
        "SO-0001 is already shipped; only confirmed or partly shipped orders can be shipped"
    )


def test_the_shipments_of_a_line_add_up_to_its_amount_to_the_cent(app, users):
    li = users["li"]
    app.bus.execute(ReceiveStock(item="M6-NUT", qty=D(10), unit_cost=D("0.03")), li)
    so = app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("M6-NUT", D(3), price=D("0.125")),)),
        users["wang"],
    )
    amounts = [
        app.bus.execute(ShipSalesOrder(order=so.order, lines=(Line("M6-NUT", D(1)),)), li)
        .shipped[0]
        .amount
        for _ in range(3)
    ]
    # 3 × 0.125 = 0.375 → 0.38 on the order; the parts are 0.13, 0.12 and 0.13.
    assert so.total == "0.38"
    assert amounts == ["0.13", "0.12", "0.13"]


def test_shipping_more_than_ordered_or_still_open_is_refused_and_changes_nothing(app, users):
    li = users["li"]
    so = bolts_and_nuts(app, users)
    with pytest.raises(InvalidQuantity) as over:
        app.bus.execute(ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(101)),)), li)
    assert over.value.message == "SO-0001 has 100 M6-20 ordered; 101 is more than ordered"
    assert over.value.zh == "SO-0001 的 M6螺栓（M6-20）只订了 100，不能发 101"
    app.bus.execute(ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(70)),)), li)
    with pytest.raises(InvalidQuantity) as left:
        app.bus.execute(ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(31)),)), li)
    assert left.value.message == (
        "SO-0001 has 30 M6-20 still to ship (reserved for it: 100 ordered, 70 shipped); "
        "31 is more than that"
    )
    assert left.value.zh == (
        "SO-0001 的 M6螺栓（M6-20）只剩 30 未发（为该单预留；订购 100，已发 70），不能发 31"
    )
    # Two lines of one command are checked together: 20 + 20 is more than the 30 open.
    with pytest.raises(InvalidQuantity):
        app.bus.execute(
            ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(20)), Line("M6-20", D(20)))),
            li,
        )
    with pytest.raises(InvalidQuantity):
        app.bus.execute(ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(0)),)), li)
    assert stock(app, "M6-20") == ("930", "30", "900")
    assert lines_of(app, so.order)[1] == [("M6-20", "100", "70"), ("M6-NUT", "50", "0")]


def test_an_item_not_on_the_order_is_refused(app, users):
    so = bolts_and_nuts(app, users)
    with pytest.raises(InvalidState) as wrong:
        app.bus.execute(
            ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(10)), Line("HAMMER", D(1)))),
            users["li"],
        )
    assert wrong.value.message == "HAMMER is not on SO-0001; it has M6-20, M6-NUT"
    assert wrong.value.zh == "SO-0001 上没有 羊角锤（HAMMER）；该单有 M6-20、M6-NUT"
    assert stock(app, "M6-20") == ("1000", "100", "900")  # the good line did not ship either


def test_a_pending_or_cancelled_order_ships_nothing(app, users):
    li, wang = users["li"], users["wang"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(1000), unit_cost=D("0.12")), li)
    pending = app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("M6-20", D(10), discount=D(30)),)), wang
    )
    assert pending.status == "pending_approval"
    with pytest.raises(InvalidState) as waiting:
        app.bus.execute(ShipSalesOrder(order=pending.order, lines=(Line("M6-20", D(5)),)), li)
    assert waiting.value.message.startswith("SO-0001 is waiting for approval (A-1)")
    app.bus.execute(CancelSalesOrder(order=pending.order), wang)
    with pytest.raises(InvalidState) as cancelled:
        app.bus.execute(ShipSalesOrder(order=pending.order, lines=(Line("M6-20", D(5)),)), li)
    assert cancelled.value.zh == "SO-0001 已取消，只有已确认或部分发货的订单可以发货"


def test_after_a_count_below_what_is_reserved_what_is_there_ships_in_part(app, users):
    # 80 hammers reserved, the count finds 30: the whole order is refused, 30 of it ship.
    bus, li, mary, wang = app.bus, users["li"], users["mary"], users["wang"]
    bus.execute(ReceiveStock(item="HAMMER", qty=D(100)), li)
    so = bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(80)),)), wang)
    count = bus.execute(CountStock(item="HAMMER", counted_qty=D(30)), li)
    bus.execute(DecideApproval(request=count.approval, decision="approve"), mary)
    with pytest.raises(InsufficientStock) as short:
        bus.execute(ShipSalesOrder(order=so.order, lines=(Line("HAMMER", D(31)),)), li)
    assert "only 30 pcs of HAMMER available in MAIN, 31 wanted" in short.value.message
    part = bus.execute(ShipSalesOrder(order=so.order, lines=(Line("HAMMER", D(30)),)), li)
    assert part.status == "partially_shipped"
    assert stock(app, "HAMMER") == ("0", "50", "0")
    closed = bus.execute(CancelSalesOrder(order=so.order), wang)
    assert closed.to_json() == {"order": so.order, "status": "shipped", "closed": [
        {"item": "HAMMER", "qty": "50"}
    ]}  # fmt: skip
    assert stock(app, "HAMMER") == ("0", "0", "0")


def test_cancelling_a_partly_shipped_order_closes_the_rest_and_its_exposure(app, users):
    # MEILIN may owe 15,000. 500 hammers (14,000) are ordered, 100 ship (2,800).
    bus, li, wang = app.bus, users["li"], users["wang"]
    bus.execute(ReceiveStock(item="HAMMER", qty=D(1000)), li)
    so = bus.execute(CreateSalesOrder(customer="MEILIN", lines=(Line("HAMMER", D(500)),)), wang)
    assert (so.status, so.total) == ("confirmed", "14000.00")
    bus.execute(ShipSalesOrder(order=so.order, lines=(Line("HAMMER", D(100)),)), li)
    # While the rest is open it counts: 14,000 + 11,200 is over the limit.
    waits = bus.execute(CreateSalesOrder(customer="MEILIN", lines=(Line("HAMMER", D(400)),)), wang)
    assert waits.status == "pending_approval"
    bus.execute(CancelSalesOrder(order=waits.order), wang)
    closed = bus.execute(CancelSalesOrder(order=so.order), wang)
    assert (closed.status, closed.closed) == ("shipped", (ClosedLine(item="HAMMER", qty="400"),))
    assert stock(app, "HAMMER") == ("900", "0", "900")
    assert lines_of(app, so.order) == ("shipped", [("HAMMER", "500", "100")])
    # Now only the 2,800 shipped counts: 2,800 + 11,200 fits.
    again = bus.execute(CreateSalesOrder(customer="MEILIN", lines=(Line("HAMMER", D(400)),)), wang)
    assert again.status == "confirmed"
    with pytest.raises(InvalidState):
        bus.execute(ShipSalesOrder(order=so.order), li)
    with pytest.raises(InvalidState):
        bus.execute(CancelSalesOrder(order=so.order), wang)


def test_the_fill_rate_counts_lines_complete_in_their_first_shipment(app, users):
    li, wang = users["li"], users["wang"]
    first = bolts_and_nuts(app, users)  # 2 lines: bolts in two parts, nuts at once
    app.bus.execute(ShipSalesOrder(order=first.order, lines=(Line("M6-20", D(40)), Line("M6-NUT", D(50)))), li)  # fmt: skip
    app.clock.advance(days=1)
    app.bus.execute(ShipSalesOrder(order=first.order), li)
    second = app.bus.execute(CreateSalesOrder(customer="BETA", lines=(Line("M6-20", D(10)),)), wang)
    app.bus.execute(ShipSalesOrder(order=second.order), li)
    kpi = app.bus.execute(Report(name="kpi", period="2026-06"), users["tom"])
    rows = {r["kpi"]: r for r in kpi.rows}
    # Complete in their first shipment: the nuts of SO-0001 and SO-0002's line; not the bolts.
    assert (rows["fill_rate"]["basis"], rows["fill_rate"]["met"]) == ("2/3 lines", False)
    assert rows["fill_rate"]["value"] == pytest.approx(2 / 3, abs=1e-4)


def test_partial_shipments_through_jxc_run(master_db):
    results = run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "100", "unit_cost": "0.12"},
        {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6-20", "qty": "20"}]},
        {"intent": "sales.ship", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "10"}]},
        {"intent": "sales.ship", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "11"}]},
        {"intent": "sales.ship", "order": "SO-0001", "lines": [{"item": "M8-30", "qty": "1"}]},
        {"intent": "sales.ship", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "10"}]},
        {"intent": "sales.cancel", "order": "SO-0001"},
    )
    assert [r["ok"] for r in results] == [True, True, True, False, False, True, False]
    assert (results[2]["result"]["status"], results[2]["result"]["lines"][0]["shipped"]) == (
        "partially_shipped",
        "10",
    )
    assert [r["error"]["code"] for r in results if not r["ok"]] == [
        "invalid_quantity",
        "invalid_state",
        "invalid_state",  # shipped in full: nothing left to cancel
    ]
    assert results[5]["result"]["status"] == "shipped"


def test_shipments_made_at_one_instant_are_still_two_for_the_fill_rate(master_db):
    # JXC_NOW freezes the clock: both shipments of SO-0001 carry the same time. Numbered
    # shipments still tell the first from the second, so the bolts are not complete in it.
    results = run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "500", "unit_cost": "0.12"},
        {"intent": "stock.receive", "item": "M6-NUT", "qty": "500", "unit_cost": "0.03"},
        {
            "intent": "sales.create",
            "customer": "ACME",
            "lines": [{"item": "M6-20", "qty": "100"}, {"item": "M6-NUT", "qty": "50"}],
        },
        {
            "intent": "sales.ship",
            "order": "SO-0001",
            "lines": [{"item": "M6-20", "qty": "40"}, {"item": "M6-NUT", "qty": "50"}],
        },
        {"intent": "sales.ship", "order": "SO-0001"},
        {"intent": "report", "name": "kpi"},
    )
    assert [r["ok"] for r in results] == [True] * 6
    assert results[4]["result"]["status"] == "shipped"
    rows = {r["kpi"]: r for r in results[5]["result"]["rows"]}
    assert rows["fill_rate"]["basis"] == "1/2 lines"  # the nuts, not the bolts


def test_demand_is_counted_on_each_day_an_order_shipped(app, users):
    from domain.ledger.lookup import item as item_of
    from domain.planning.demand import demand_rows

    li = users["li"]
    so = bolts_and_nuts(app, users)
    app.bus.execute(ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(40)),)), li)
    app.clock.advance(days=2)
    app.bus.execute(ShipSalesOrder(order=so.order), li)
    with app.uow(write=False) as uow:
        bolts = demand_rows(uow, item_of(uow, "M6-20").id)
    day = app.clock.today()
    assert sorted(bolts) == [(day - timedelta(days=2), 40.0), (day, 60.0)]
    top = app.bus.execute(Report(name="top_sellers", period="2026-06"), users["tom"])
    bolts_row = next(r for r in top.rows if r["sku"] == "M6-20")
    assert bolts_row["revenue"] == so.lines[0].amount  # the parts add up to the line


def test_shipping_from_another_warehouse_releases_the_orders_reservation(app, users):
    # The order reserves in MAIN; the goods leave from BJ.
    li = users["li"]
    so = bolts_and_nuts(app, users)
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(500), unit_cost=D("0.12"), warehouse="BJ"), li)
    shipped = app.bus.execute(
        ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(40)),), warehouse="BJ"), li
    )
    assert (shipped.status, shipped.warehouse) == ("partially_shipped", "BJ")
    assert stock(app, "M6-20") == ("1000", "60", "940")  # MAIN: 40 of the 100 released
    assert stock(app, "M6-20", "BJ") == ("460", "0", "460")
    assert lines_of(app, so.order)[1][0] == ("M6-20", "100", "40")
