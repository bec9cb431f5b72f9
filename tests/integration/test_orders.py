"""Purchase and sales orders, approvals as records, and FIFO valuation."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from domain import settings
from domain.approvals import policy as approvals
from domain.errors import (
    ApprovalAlreadyDecided,
    InsufficientStock,
    InvalidQuantity,
    InvalidState,
    NotPermitted,
    OwnRequest,
    UnknownRequest,
    WrongPartnerKind,
)
from domain.messages.commands import (
    CancelPurchaseOrder,
    CancelSalesOrder,
    CountStock,
    CreatePurchaseOrder,
    CreateSalesOrder,
    DecideApproval,
    IssueStock,
    Line,
    ListApprovals,
    QueryOrders,
    QueryStock,
    ReceivePurchaseOrder,
    ReceiveStock,
    ShipSalesOrder,
    TransferStock,
)
from domain.orders.pricing import Reason
from domain.orders.questions import APPROVAL_SUBJECTS
from tests.conftest import ROOT

pytestmark = pytest.mark.db
D = Decimal


def stock(app, sku, wh="MAIN"):
    return app.bus.execute(QueryStock(item=sku, warehouse=wh), app.bus.user("admin")).rows[0]


def set_rule(app, name, value):
    with app.uow() as uow:
        settings.set_value(uow, name, value)
        uow.commit()


def test_a_purchase_order_is_on_order_until_received_in_parts(app, users):
    bus, zhao, li = app.bus, users["zhao"], users["li"]
    po = bus.execute(
        CreatePurchaseOrder(
            supplier="ECH", lines=(Line("M6-20", D(500), D("0.10")), Line("M6-NUT", D(500)))
        ),
        zhao,
    )
    assert (po.order, po.status, po.total) == ("PO-0001", "confirmed", "65.00")
    row = stock(app, "M6-20")
    assert (row.on_order, row.projected) == ("500", "500")
    part = bus.execute(ReceivePurchaseOrder(order="po-0001", lines=(Line("M6-20", D(200)),)), li)
    assert part.status == "partially_received"
    with pytest.raises(InvalidQuantity):
        bus.execute(ReceivePurchaseOrder(order="PO-0001", lines=(Line("M6-20", D(301)),)), li)
    rest = bus.execute(ReceivePurchaseOrder(order="PO-0001"), li)
    assert rest.status == "received"
    assert {(x.item, x.qty) for x in rest.received} == {
        ("M6-20", "300"),
        ("M6-NUT", "500"),
    }
    row = stock(app, "M6-20")
    assert (row.on_hand, row.on_order, row.value) == ("500", "0", "50.00")
    with pytest.raises(InvalidState):
        bus.execute(ReceivePurchaseOrder(order="PO-0001"), li)
    with pytest.raises(InvalidState):
        bus.execute(CancelPurchaseOrder(order="PO-0001"), zhao)


def test_a_large_purchase_waits_for_approval_and_cancelling_it_cancels_the_request(app, users):
    bus, zhao, mary = app.bus, users["zhao"], users["mary"]
    po = bus.execute(CreatePurchaseOrder(supplier="SZT", lines=(Line("DRILL-18V", D(50)),)), zhao)
    assert (po.status, po.approval, po.total) == ("pending_approval", "A-1", "12000.00")
    assert stock(app, "DRILL-18V").on_order == "0"  # pending orders are not on order
    with pytest.raises(InvalidState):
        bus.execute(ReceivePurchaseOrder(order="PO-0001"), users["li"])
    bus.execute(CancelPurchaseOrder(order="PO-0001"), zhao)
    with pytest.raises(ApprovalAlreadyDecided):
        bus.execute(DecideApproval(request="A-1", decision="approve"), mary)
    po2 = bus.execute(CreatePurchaseOrder(supplier="SZT", lines=(Line("DRILL-18V", D(50)),)), zhao)
    decided = bus.execute(DecideApproval(request=po2.approval, decision="approve"), mary)
    assert (decided.status, decided.subject_status) == ("approved", "confirmed")
    assert stock(app, "DRILL-18V").on_order == "50"


def test_a_sale_reserves_ships_at_cost_and_releases(app, users):
    bus, wang, li = app.bus, users["wang"], users["li"]
    bus.execute(ReceiveStock(item="M6-20", qty=D(1000), unit_cost=D("0.12")), li)
    so = bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("M6-20", D(20)),)), wang)
    assert (so.order, so.status, so.total) == ("SO-0001", "confirmed", "5.00")
    row = stock(app, "M6-20")
    assert (row.reserved, row.available) == ("20", "980")
    with pytest.raises(InsufficientStock):
        bus.execute(IssueStock(item="M6-20", qty=D(981)), li)
    shipped = bus.execute(ShipSalesOrder(order="SO-0001"), li)
    assert (shipped.status, shipped.cogs) == ("shipped", "2.40")
    row = stock(app, "M6-20")
    assert (row.on_hand, row.reserved, row.value) == ("980", "0", "117.60")
    for bad in (ShipSalesOrder(order="SO-0001"), CancelSalesOrder(order="SO-0001")):
        with pytest.raises(InvalidState):
            bus.execute(bad, li if isinstance(bad, ShipSalesOrder) else wang)
    so2 = bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("M6-20", D(30)),)), wang)
    bus.execute(CancelSalesOrder(order=so2.order), wang)
    assert stock(app, "M6-20").reserved == "0"
    with pytest.raises(InvalidState):
        bus.execute(ShipSalesOrder(order=so2.order), li)
    mine = bus.execute(QueryOrders(mine=True, status="shipped"), wang).orders
    assert [o.order for o in mine] == ["SO-0001"]


def test_a_sale_beyond_stock_is_refused_at_once(app, users):
    app.bus.execute(ReceiveStock(item="HAMMER", qty=D(5)), users["li"])
    with pytest.raises(InsufficientStock):
        app.bus.execute(
            CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(3)), Line("HAMMER", D(3)))),
            users["wang"],
        )
    assert app.bus.execute(QueryOrders(), users["admin"]).orders == ()


def test_partners_of_the_wrong_kind_are_refused(app, users):
    with pytest.raises(WrongPartnerKind):
        app.bus.execute(
            CreateSalesOrder(customer="ECH", lines=(Line("M6-20", D(1)),)), users["wang"]
        )
    with pytest.raises(WrongPartnerKind):
        app.bus.execute(
            CreatePurchaseOrder(supplier="ACME", lines=(Line("M6-20", D(1)),)), users["zhao"]
        )


def test_over_credit_discounts_and_below_cost_wait_for_approval(app, users):
    bus, wang, li, mary = app.bus, users["wang"], users["li"], users["mary"]
    bus.execute(ReceiveStock(item="DRILL-18V", qty=D(200), unit_cost=D("240")), li)
    # MEILIN's limit is 15,000: 40 drills at 399 = 15,960.
    big = bus.execute(CreateSalesOrder(customer="MEILIN", lines=(Line("DRILL-18V", D(40)),)), wang)
    assert big.status == "pending_approval" and "credit limit" in big.reasons[0]
    assert stock(app, "DRILL-18V").reserved == "0"  # pending orders reserve nothing
    disc = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("DRILL-18V", D(1), discount=D(15)),)), wang
    )
    assert disc.status == "pending_approval" and "discount 15%" in disc.reasons[0]
    typed = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("DRILL-18V", D(1), price=D("350")),)), wang
    )  # 12.3 % off list
    assert typed.status == "pending_approval"
    below = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("DRILL-18V", D(1), price=D("239")),)), wang
    )
    assert any("below average cost" in r for r in below.reasons)
    ok = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("DRILL-18V", D(1), discount=D(10)),)), wang
    )
    assert (ok.status, ok.total) == ("confirmed", "359.10")
    # Approval confirms and reserves; rejection cancels.
    bus.execute(DecideApproval(request=big.approval, decision="approve"), mary)
    assert stock(app, "DRILL-18V").reserved == "41"
    rejected = bus.execute(
        DecideApproval(request=disc.approval, decision="reject", reason="too cheap"), mary
    )
    assert rejected.subject_status == "cancelled"
    pending = bus.execute(ListApprovals(), mary).requests
    assert [p.subject for p in pending] == [typed.order, below.order]
    assert bus.execute(ListApprovals(), wang).requests == pending  # wang's own requests


def test_approving_when_stock_no_longer_suffices_is_refused_and_stays_pending(app, users):
    bus, wang, li, mary = app.bus, users["wang"], users["li"], users["mary"]
    set_rule(app, "approval.sales_discount_pct", "5")
    bus.execute(ReceiveStock(item="HAMMER", qty=D(10)), li)
    so = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(8), discount=D(8)),)), wang
    )
    assert so.status == "pending_approval"
    bus.execute(IssueStock(item="HAMMER", qty=D(5)), li)
    with pytest.raises(InsufficientStock):
        bus.execute(DecideApproval(request=so.approval, decision="approve"), mary)
    assert bus.execute(ListApprovals(), mary).requests[0].status == "pending"
    # Cancelling the pending order cancels its request.
    bus.execute(CancelSalesOrder(order=so.order), wang)
    assert bus.execute(ListApprovals(), mary).requests == ()


def test_who_may_decide(app, users):
    bus, wang, li, mary = app.bus, users["wang"], users["li"], users["mary"]
    bus.execute(ReceiveStock(item="HAMMER", qty=D(10)), li)
    so = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(1), discount=D(50)),)), wang
    )
    with pytest.raises(NotPermitted):
        bus.execute(DecideApproval(request=so.approval, decision="approve"), wang)
    with pytest.raises(NotPermitted):
        bus.execute(DecideApproval(request=so.approval, decision="approve"), li)
    with pytest.raises(UnknownRequest):
        bus.execute(DecideApproval(request="A-99", decision="approve"), mary)
    # An approver's own request, and an admin's own request, go to someone else.
    set_rule(app, "approval.purchase_total", "10")
    po = bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("HAMMER", D(1)),)), users["admin"]
    )
    with pytest.raises(OwnRequest):
        bus.execute(DecideApproval(request=po.approval, decision="approve"), users["admin"])
    bus.execute(DecideApproval(request=so.approval, decision="approve"), mary)
    with pytest.raises(ApprovalAlreadyDecided):
        bus.execute(DecideApproval(request=so.approval, decision="reject"), mary)
    # Salespeople cancel only their own orders.
    other = bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(1)),)), users["admin"]
    )
    with pytest.raises(NotPermitted):
        bus.execute(CancelSalesOrder(order=other.order), wang)


def test_a_large_count_discrepancy_waits_for_approval(app, users):
    bus, li, mary = app.bus, users["li"], users["mary"]
    bus.execute(ReceiveStock(item="DRILL-18V", qty=D(100), unit_cost=D("240")), li)
    small = bus.execute(CountStock(item="DRILL-18V", counted_qty=D(99)), li)  # 1 %, 240.00
    assert small.status == "posted"
    big = bus.execute(CountStock(item="DRILL-18V", counted_qty=D(90)), li)  # 9 × 240 = 2160
    assert big.status == "pending_approval" and big.on_hand == "99"
    bus.execute(DecideApproval(request=big.approval, decision="approve"), mary)
    row = stock(app, "DRILL-18V")
    assert (row.on_hand, row.value) == ("90", "21600.00")


def test_fifo_issues_take_the_oldest_layers_and_transfers_carry_them(app, users):
    bus, li = app.bus, users["li"]
    # TAPE-48 is a FIFO item in the demo data.
    bus.execute(ReceiveStock(item="TAPE-48", qty=D(10), unit_cost=D("3.00")), li)
    bus.execute(ReceiveStock(item="TAPE-48", qty=D(10), unit_cost=D("4.00")), li)
    out = bus.execute(IssueStock(item="TAPE-48", qty=D(12)), li)
    assert out.cost == "38.00"  # 10 × 3 + 2 × 4
    moved = bus.execute(TransferStock(item="TAPE-48", qty=D(5), from_="MAIN", to="BJ"), li)
    assert moved.value == "20.00"
    bj = bus.execute(IssueStock(item="TAPE-48", qty=D(2), warehouse="BJ"), li)
    assert bj.cost == "8.00"
    set_rule(app, "approval.count_pct", "100")
    bus.execute(ReceiveStock(item="TAPE-48", qty=D(1), unit_cost=D("5.00")), li)
    up = bus.execute(CountStock(item="TAPE-48", counted_qty=D(5)), li)  # book 4 → newest 5.00
    assert up.diff_value == "5.00"
    last = bus.execute(IssueStock(item="TAPE-48", qty=D(5)), li)
    assert last.cost == "22.00"  # 3 × 4 + 5 + 5, and the balance is empty
    row = stock(app, "TAPE-48")
    assert (row.on_hand, row.value, row.avg_cost) == ("0", "0.00", None)


def test_rules_set_validates_names_and_values(master_db):
    from tests.conftest import jxc

    assert jxc(master_db, "rules", "set", "approval.purchase_total", "20000").returncode == 0
    shown = jxc(master_db, "rules", "show", "--json").stdout
    assert '"approval.purchase_total": "20000"' in shown
    for name, value in (
        ("approval.nope", "1"),
        ("approval.purchase_total", "abc"),
        ("approval.sales_discount_pct", "150"),
        ("approval.credit_check", "maybe"),
        ("reorder.service_level", "1.5"),
    ):
        proc = jxc(master_db, "rules", "set", name, value)
        assert proc.returncode == 1 and "error" in proc.stderr, (name, value)
    assert (
        jxc(master_db, "rules", "set", "approval.purchase_total", "1", "--user", "mary").returncode
        == 1
    )


def test_a_decision_reaches_its_subject_through_the_handler_of_its_kind(app, users):
    # Approvals import none of the order services: the bus hands them a table by kind, and a
    # new kind of subject is one more entry in it.
    mary, wang = users["mary"], users["wang"]
    decided = []
    subjects = {
        "quote": approvals.Subject(
            on_decision=lambda uow, subject, approved, user: (
                decided.append((subject, approved, user.name)) or {"subject_status": "won"}
            ),
            details=lambda uow, subject: {"quote": subject},
        )
    }
    with app.uow() as uow:
        number = approvals.request_approval(uow, "quote", "Q-7", [Reason("big", "大")], wang)
        listed = approvals.list_approvals(ListApprovals(), uow, mary, subjects=subjects)
        result = approvals.decide_approval(
            DecideApproval(request=number, decision="approve"), uow, mary, subjects=subjects
        )
        uow.rollback()
    assert listed.requests[0].details == {"quote": "Q-7"}
    assert decided == [("Q-7", True, "mary")]
    assert (result.subject_status, result.details) == ("won", {"quote": "Q-7"})
    # The bus's own table knows the three kinds of the design.
    assert set(APPROVAL_SUBJECTS) == {"sales_order", "purchase_order", "stock_count"}


def test_approvals_import_none_of_the_services_they_decide_for():
    # The service modules (one function per command), beside their subjects.
    services = tuple(
        f"domain.{m}"
        for m in (
            "orders.sales", "orders.shipping", "orders.purchasing", "orders.store",
            "orders.questions", "orders.amend", "orders.quotes", "orders.delivery_notes",
            "ledger.stock", "ledger.labels", "alerts.actions", "approvals.delegation",
            "planning.forecasts", "money.balances", "money.invoices", "money.payments",
            "money.returns", "money.statement",
        )
    )  # fmt: skip
    code = (
        "import sys, domain.approvals.policy; "
        f"print(sorted(m for m in sys.modules if m.startswith({services!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"
