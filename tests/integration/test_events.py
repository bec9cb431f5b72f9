"""A day of commands through the bus: every outbox row it leaves is a declared event, rebuilt
from its row into its class and written back byte for byte, and the feed reads them all."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from adapters.bootstrap import rules_feed
from domain import settings
from domain.messages.commands import (
    AmendPurchaseOrder,
    AmendSalesOrder,
    CancelPurchaseOrder,
    CancelSalesOrder,
    CountStock,
    CreatePurchaseOrder,
    CreateSalesOrder,
    DecideApproval,
    IssueStock,
    Line,
    ReceivePurchaseOrder,
    ReceiveStock,
    ShipSalesOrder,
    TransferStock,
)
from domain.messages.events import EVENTS, SalesPriceFlagged, StockReceived, event_from_row
from domain.model import Outbox
from domain.money.commands import MakePayment, ReceivePayment, ReturnPurchaseOrder, ReturnSalesOrder

pytestmark = pytest.mark.db
D = Decimal


def outbox(app):
    with app.uow(write=False) as uow:
        return uow.execute(select(Outbox.__table__).order_by(Outbox.__table__.c.id)).all()


def a_day(app, users):
    li, wang, mary, zhao = (users[n] for n in ("li", "wang", "mary", "zhao"))
    bus = app.bus
    with app.uow() as uow:
        settings.set_value(uow, "stock.allow_negative.BJ", "on")
        uow.commit()
    bus.execute(ReceiveStock(item="HAMMER", qty=D(100), unit_cost=D("12.00")), li)
    bus.execute(IssueStock(item="HAMMER", qty=D(2), reason="sample"), li)
    bus.execute(TransferStock(item="HAMMER", qty=D(3), from_="MAIN", to="SH"), li)
    bus.execute(IssueStock(item="HAMMER", qty=D(1), warehouse="BJ", reason="scrap"), li)
    po = bus.execute(CreatePurchaseOrder(supplier="SZT", lines=(Line("M6-20", D(1000)),)), zhao)
    bus.execute(ReceivePurchaseOrder(order=po.order), li)
    big = bus.execute(CreatePurchaseOrder(supplier="SZT", lines=(Line("HAMMER", D(1000)),)), zhao)
    bus.execute(AmendPurchaseOrder(order=big.order, lines=(Line("HAMMER", D(900)),)), zhao)
    bus.execute(CancelPurchaseOrder(order=big.order), zhao)
    cheap = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(2), discount=D(60)),)), wang
    )
    bus.execute(DecideApproval(request=cheap.approval, decision="approve"), mary)
    bus.execute(ShipSalesOrder(order=cheap.order), li)
    so = bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(80)),)), wang)
    bus.execute(AmendSalesOrder(order=so.order, lines=(Line("HAMMER", D(70)),)), wang)
    count = bus.execute(CountStock(item="HAMMER", counted_qty=D(30)), li)
    bus.execute(DecideApproval(request=count.approval, decision="approve"), mary)
    bus.execute(CancelSalesOrder(order=so.order), wang)
    chen = bus.user("chen")
    bus.execute(ReturnSalesOrder(order=cheap.order, lines=(Line("HAMMER", D(1)),)), li)
    bus.execute(ReturnPurchaseOrder(order=po.order, lines=(Line("M6-20", D(10)),)), zhao)
    bus.execute(ReceivePayment(customer="ACME", amount=D("5")), chen)
    bus.execute(MakePayment(supplier="SZT", amount=D("5")), chen)


def test_every_event_a_day_of_commands_writes_rebuilds_into_its_class(app, users):
    a_day(app, users)
    rows = outbox(app)
    for row in rows:
        event = event_from_row(row.event, row.payload)
        assert type(event) is EVENTS[row.event]
        assert json.dumps(event.data(), ensure_ascii=False) == row.payload
    # the day touches every declared event, so each one's emit is checked here
    assert {r.event for r in rows} == set(EVENTS)


def test_the_feed_reads_every_event_of_the_day_and_fails_none(app, users):
    a_day(app, users)
    stats = rules_feed(app, "reference").run()
    assert (stats.rows, stats.failed) == (len(outbox(app)), 0)
    assert {r.status for r in outbox(app)} == {"processed"}


def test_a_receipt_writes_its_event_with_the_figures_the_user_sees(app, users):
    out = app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(50), unit_cost=D("1.30")), users["li"])
    (row,) = outbox(app)
    assert event_from_row(row.event, row.payload) == StockReceived(
        sku="GLOVE-L", warehouse="MAIN", qty="50", unit_cost="1.30", value="65.00", user="li"
    )
    assert out.move_value == "65.00"


def test_a_sale_far_under_list_is_flagged_with_its_prices(app, users):
    app.bus.execute(ReceiveStock(item="HAMMER", qty=D(10)), users["li"])
    so = app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(2), discount=D(60)),)),
        users["wang"],
    )
    (flag,) = [r for r in outbox(app) if r.event == "SalesPriceFlagged"]
    event = event_from_row(flag.event, flag.payload)
    assert isinstance(event, SalesPriceFlagged)
    assert (event.order, event.sku, event.discount_pct) == (so.order, "HAMMER", D("60.00"))
    assert json.loads(flag.payload)["discount_pct"] == 60.0


def test_a_unit_of_work_takes_only_declared_events(app):
    with app.uow() as uow, pytest.raises(TypeError):
        uow.emit("StockReceived")  # type: ignore[arg-type]
