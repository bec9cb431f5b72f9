"""A change of reservations or of what is on order re-checks the reorder points of the items it
touches at once, as a stock move does: no waiting for the next shipment or the daily sweep."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from adapters.bootstrap import rules_feed
from domain.messages.commands import (
    CancelPurchaseOrder,
    CancelSalesOrder,
    CreatePurchaseOrder,
    CreateSalesOrder,
    DecideApproval,
    Line,
    ReceiveStock,
)
from domain.reports.stock import reorder_figures
from tests.integration.test_feed import alerts_of, history

pytestmark = pytest.mark.db
D = Decimal


def feed(app):
    return rules_feed(app, "reference").run()


def reorder_point(app, users, sku):
    """The item's reorder point, as `jxc report below_reorder` computes it, in whole units."""
    with app.uow(write=False) as uow:
        rop = reorder_figures(uow)["rows"][sku]["reorder_point"]
    return D(math.ceil(rop))


def open_reorder(app, sku):
    return [a for a in alerts_of(app, "reorder") if a.subject == sku and a.status == "open"]


def stocked_above_the_point(app, users, sku="GLOVE-L", per_day=10):
    """History of `per_day` a day, and stock 30 above the reorder point: no alert yet."""
    history(app, sku, per_day)
    rop = reorder_point(app, users, sku)
    assert rop > 0
    app.bus.execute(ReceiveStock(item=sku, qty=rop + 30, unit_cost=D("1.30")), users["li"])
    return rop


def test_approving_a_pending_order_that_reserves_stock_raises_the_reorder_alert_at_once(app, users):
    # The stock sits 30 above the reorder point; a discounted order for 40 waits for approval
    # and reserves nothing, so the projected stock does not move yet.
    history(app, "GLOVE-L", 10)
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(2000), unit_cost=D("1.30")), users["li"])
    rop = reorder_point(app, users, "GLOVE-L")
    so = app.bus.execute(
        CreateSalesOrder(
            customer="ACME", lines=(Line("GLOVE-L", 2000 - rop - 30 + 40, discount=D(15)),)
        ),
        users["wang"],
    )
    assert so.status == "pending_approval"
    feed(app)
    assert open_reorder(app, "GLOVE-L") == []
    app.bus.execute(DecideApproval(request=so.approval, decision="approve"), users["mary"])
    stats = feed(app)
    (alert,) = open_reorder(app, "GLOVE-L")
    assert alert.id in stats.opened_ids
    assert alert.message.startswith("GLOVE-L below reorder point: projected ")


def test_cancelling_a_confirmed_order_releases_its_reservation_and_resolves_the_alert(app, users):
    rop = stocked_above_the_point(app, users)
    so = app.bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("GLOVE-L", D(40)),)),
                         users["wang"])  # fmt: skip
    assert so.status == "confirmed"
    feed(app)
    assert len(open_reorder(app, "GLOVE-L")) == 1  # 30 over the point, 40 reserved
    app.bus.execute(CancelSalesOrder(order=so.order), users["wang"])
    feed(app)
    assert open_reorder(app, "GLOVE-L") == []
    assert rop > 0


def test_a_purchase_order_created_or_cancelled_moves_what_is_on_order_and_the_alert(app, users):
    stocked_above_the_point(app, users)
    so = app.bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("GLOVE-L", D(40)),)),
                         users["wang"])  # fmt: skip
    feed(app)
    assert len(open_reorder(app, "GLOVE-L")) == 1
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("GLOVE-L", D(500), D("1.30")),)),
        users["zhao"],
    )
    assert po.status == "confirmed"
    feed(app)
    assert open_reorder(app, "GLOVE-L") == []  # 500 on order lifts it above the point
    app.bus.execute(CancelPurchaseOrder(order=po.order), users["zhao"])
    feed(app)
    assert len(open_reorder(app, "GLOVE-L")) == 1
    assert so.order


def test_approving_a_purchase_order_puts_it_on_order_and_resolves_the_alert(app, users):
    stocked_above_the_point(app, users)
    app.bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("GLOVE-L", D(40)),)),
                    users["wang"])  # fmt: skip
    feed(app)
    assert len(open_reorder(app, "GLOVE-L")) == 1
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("GLOVE-L", D(9000), D("1.30")),)),
        users["zhao"],
    )
    assert po.status == "pending_approval"  # over 10,000: nothing on order yet
    feed(app)
    assert len(open_reorder(app, "GLOVE-L")) == 1
    app.bus.execute(DecideApproval(request=po.approval, decision="approve"), users["mary"])
    feed(app)
    assert open_reorder(app, "GLOVE-L") == []
