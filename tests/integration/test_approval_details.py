"""Approval requests say what they are about, refusals say why in both languages and what would
work, and a rejection's reason stays on the order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.errors import ApprovalAlreadyDecided, InsufficientStock, InvalidState, OwnRequest
from domain.messages.commands import (
    CancelSalesOrder,
    CreatePurchaseOrder,
    CreateSalesOrder,
    DecideApproval,
    Line,
    ListApprovals,
    QueryOrders,
    ReceiveStock,
    ShipSalesOrder,
)
from domain.messages.results import MovedLine

pytestmark = pytest.mark.db
D = Decimal


def test_an_approver_sees_the_partner_lines_discount_and_total_of_an_order(app, users):
    bus, li, wang, mary = app.bus, users["li"], users["wang"], users["mary"]
    bus.execute(ReceiveStock(item="DRILL-18V", qty=D(10), unit_cost=D("240")), li)
    so = bus.execute(
        CreateSalesOrder(customer="GREEN", lines=(Line("DRILL-18V", D(2), discount=D(15)),)), wang
    )
    [request] = bus.execute(ListApprovals(), mary).requests
    assert request.requested_by == "wang"
    assert request.reasons == ("DRILL-18V: discount 15% is over 10%",)
    assert request.reasons_zh == ("电钻（DRILL-18V） 折扣 15% 超过 10%",)
    assert request.details == {
        "order": so.order,
        "partner": "GREEN",
        "partner_name": "Green Home Decor",
        "partner_name_zh": "绿居装饰",
        "warehouse": "MAIN",
        "lines": [
            {
                "item": "DRILL-18V",
                "name": "18V cordless drill",
                "name_zh": "电钻",
                "qty": "2",
                "price": "339.15",
                "list_price": "399.00",
                "discount": "15",
                "amount": "678.30",
            }
        ],
        "total": "678.30",
    }
    decided = bus.execute(
        DecideApproval(request=request.request, decision="reject", reason="too cheap"), mary
    )
    assert (decided.status, decided.subject_status, decided.reason) == (
        "rejected",
        "cancelled",
        "too cheap",
    )
    assert decided.details["lines"] == request.details["lines"]
    assert decided.reasons_zh == request.reasons_zh
    [order] = bus.execute(QueryOrders(order=so.order), wang).orders
    assert (order.status, order.reason) == ("cancelled", "too cheap")


def test_a_purchase_request_names_the_supplier_and_what_is_bought(app, users):
    bus, zhao, mary = app.bus, users["zhao"], users["mary"]
    po = bus.execute(CreatePurchaseOrder(supplier="SZT", lines=(Line("DRILL-18V", D(50)),)), zhao)
    assert po.reasons_zh == ("总额 12,000.00 超过 10,000.00",)
    decided = bus.execute(DecideApproval(request=po.approval, decision="approve"), mary)
    details = decided.details
    assert (details["partner"], details["partner_name_zh"], details["total"]) == (
        "SZT",
        "深圳工具",
        "12000.00",
    )
    assert details["lines"][0]["name_zh"] == "电钻"
    assert (details["lines"][0]["qty"], details["lines"][0]["amount"]) == ("50", "12000.00")
    assert decided.reason is None


def test_a_sale_beyond_stock_says_what_the_other_warehouses_have(app, users):
    # 绿居要十个电钻 with 1 in MAIN and 5 in BJ.
    bus, li = app.bus, users["li"]
    bus.execute(ReceiveStock(item="DRILL-18V", qty=D(1), unit_cost=D("240")), li)
    bus.execute(ReceiveStock(item="DRILL-18V", qty=D(5), unit_cost=D("240"), warehouse="BJ"), li)
    with pytest.raises(InsufficientStock) as exc:
        bus.execute(
            CreateSalesOrder(customer="GREEN", lines=(Line("DRILL-18V", D(10)),)), users["wang"]
        )
    assert exc.value.message == "only 1 of DRILL-18V available in MAIN, 10 wanted; 5 in BJ"
    assert exc.value.zh == "MAIN 的 电钻（DRILL-18V） 可用只有 1，需要 10；BJ 有 5"


def test_refusals_of_decisions_and_shipments_say_why_in_both_languages(app, users):
    bus, li, wang, mary = app.bus, users["li"], users["wang"], users["mary"]
    bus.execute(ReceiveStock(item="HAMMER", qty=D(10)), li)
    so = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(1), discount=D(50)),)), wang
    )
    bus.execute(CancelSalesOrder(order=so.order), wang)
    with pytest.raises(InvalidState) as ship:
        bus.execute(ShipSalesOrder(order=so.order), li)
    assert (
        ship.value.message
        == "SO-0001 is cancelled; only confirmed or partly shipped orders can be shipped"
    )
    assert ship.value.zh == "SO-0001 已取消，只有已确认或部分发货的订单可以发货"
    with pytest.raises(ApprovalAlreadyDecided) as decided:
        bus.execute(DecideApproval(request=so.approval, decision="approve"), mary)
    assert decided.value.message == (
        "A-1 (sales order SO-0001) is already cancelled by wang; nothing to decide"
    )
    assert decided.value.zh == "A-1（销售单 SO-0001）已取消（wang），无需再审批"
    pending = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(1), discount=D(50)),)),
        users["admin"],
    )
    with pytest.raises(OwnRequest) as own:
        bus.execute(DecideApproval(request=pending.approval, decision="approve"), users["admin"])
    assert own.value.zh == "A-2（销售单 SO-0002）是您本人提交的，需由其他审批人处理"
    with pytest.raises(InvalidState) as waiting:
        bus.execute(ShipSalesOrder(order=pending.order), li)
    assert "waiting for approval (A-2)" in waiting.value.message
    assert "正在等待审批（A-2）" in waiting.value.zh


def test_shipping_and_deciding_can_be_checked_before_anyone_confirms(app, users):
    # The chat's dry run: the service itself, rolled back.
    bus, li, wang, mary = app.bus, users["li"], users["wang"], users["mary"]
    bus.execute(ReceiveStock(item="HAMMER", qty=D(10)), li)
    so = bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(4)),)), wang)
    admin = users["admin"]
    pending = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(1), discount=D(50)),)), admin
    )
    preview = bus.preview(ShipSalesOrder(order=so.order), li)
    with pytest.raises(InvalidState):
        bus.preview(ShipSalesOrder(order=pending.order), li)
    with pytest.raises(OwnRequest):
        bus.preview(DecideApproval(request=pending.approval, decision="approve"), admin)
    about = bus.preview(DecideApproval(request=pending.approval, decision="approve"), mary)
    assert preview.shipped == (
        MovedLine(
            item="HAMMER",
            name="claw hammer",
            name_zh="羊角锤",
            qty="4",
            amount="112.00",
            cost="48.00",
        ),
    )
    assert (preview.partner_name_zh, preview.total) == ("艾克米", "112.00")
    assert about.details["lines"][0]["discount"] == "50"
    # Nothing of the dry runs stayed: the order is still confirmed, the request pending.
    orders = {o.order: o.status for o in bus.execute(QueryOrders(), mary).orders}
    assert orders == {so.order: "confirmed", pending.order: "pending_approval"}
    shipped = bus.execute(ShipSalesOrder(order=so.order), li)
    assert [(s.item, s.name_zh, s.qty, s.amount) for s in shipped.shipped] == [
        ("HAMMER", "羊角锤", "4", "112.00")
    ]
    assert shipped.lines[0].shipped == "4"
