"""An approval request's message names what is asked — the partner, each line (qty × item @ net
price), the total and the reasons in words; a count by its item, warehouse, book, counted and
difference with its value — and its reminders and escalations carry the same words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from adapters.bootstrap import rules_feed
from domain.messages.commands import (
    CountStock,
    CreatePurchaseOrder,
    CreateSalesOrder,
    Line,
    ReceiveStock,
)
from tests.integration.test_feed import alerts_of, deliveries

pytestmark = pytest.mark.db
D = Decimal


def test_a_sales_order_request_names_partner_lines_total_and_reasons(app, users):
    app.bus.execute(ReceiveStock(item="DRILL-18V", qty=D(10), unit_cost=D("240")), users["li"])
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(5000), unit_cost=D("0.10")), users["li"])
    so = app.bus.execute(
        CreateSalesOrder(
            customer="GREEN",
            lines=(Line("DRILL-18V", D(2), discount=D(15)), Line("M6-20", D(1500))),
        ),
        users["wang"],
    )
    assert so.status == "pending_approval"
    rules_feed(app, "reference").run()
    (alert,) = alerts_of(app, "approval")
    request, order = so.approval, so.order
    assert alert.message == (
        f"{request} for {order} (GREEN, Green Home Decor: 2 × 18V cordless drill @ 339.15, "
        "1,500 × M6x20 hex bolt @ 0.25; total 1,053.30; "
        "why: DRILL-18V: discount 15% is over 10%) waits for you"
    )
    assert alert.message_zh == (
        f"{request}（{order}，绿居装饰（GREEN）：2 × 电钻 @ 339.15，1,500 × M6螺栓 @ 0.25；"
        "合计 1,053.30；原因：电钻（DRILL-18V） 折扣 15% 超过 10%）等待您审批"
    )
    texts = {d.recipient: d.text for d in deliveries(app, alert.id)}
    assert texts["liu"] == alert.message_zh  # liu reads Chinese
    assert texts["admin"] == alert.message


def test_a_count_request_names_item_warehouse_book_counted_and_difference(app, users):
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(1000), unit_cost=D("1.30")), users["li"])
    count = app.bus.execute(CountStock(item="GLOVE-L", counted_qty=D(1198)), users["li"])
    rules_feed(app, "reference").run()
    (alert,) = alerts_of(app, "approval")
    number, request = count.count, count.approval
    assert alert.message.startswith(
        f"{request} for count #{number} of GLOVE-L in MAIN (work gloves size L: book 1,000, "
        "counted 1,198, difference 198 worth 257.40; why: "
    )
    assert alert.message_zh.startswith(
        f"{request}（MAIN 的 GLOVE-L 盘点 #{number}，劳保手套：账面 1,000，实盘 1,198，差异 198"
        "（金额 257.40）；原因：差异占账面 19.8%，超过 2%"
    )


def test_reminders_and_escalations_carry_what_is_asked(app, users, clock):
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M6-20", D(100000), D("0.12")),)),
        users["zhao"],
    )
    feed = rules_feed(app, "reference")
    feed.run()
    (alert,) = alerts_of(app, "approval")
    clock.advance(hours=49)
    feed.sweep()
    texts = {(d.purpose, d.recipient): d.text for d in deliveries(app, alert.id)}
    asked = "ECH, East China Hardware: 100,000 × M6x20 hex bolt @ 0.12; total 12,000.00"
    assert texts[("reminder", "admin")] == (
        f"Reminder (24 h without a decision): {po.approval} for {po.order} ({asked}; "
        "why: total 12,000.00 is over 10,000.00) waits for you"
    )
    assert asked in texts[("escalation", "admin")]
    assert "华东五金（ECH）：100,000 × M6螺栓 @ 0.12；合计 12,000.00" in texts[("reminder", "liu")]
