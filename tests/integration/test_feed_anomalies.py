"""The feed's anomaly rules from commands as a user runs them: a day's sales far above the item's
history (`anomaly.demand`) and a stocktake over the thresholds (`anomaly.count`)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from adapters.bootstrap import rules_feed
from domain import settings
from domain.alerts.records import alert_t, delivery_t
from domain.ledger import imports
from domain.messages.commands import (
    CountStock,
    CreateSalesOrder,
    Line,
    ReceiveStock,
    ShipSalesOrder,
)

pytestmark = pytest.mark.db
D = Decimal


def history(app, sku, per_day: list[int], customer="ACME"):
    """Sales history of `sku` ending yesterday, one day per entry of `per_day` (oldest first)."""
    end = app.clock.today() - timedelta(days=1)
    days = len(per_day)
    rows = [
        (
            n,
            {
                "date": (end - timedelta(days=days - 1 - i)).isoformat(),
                "sku": sku,
                "qty": str(q),
                "customer": customer,
                "unit_price": "",
            },
        )  # fmt: skip
        for n, (i, q) in enumerate(enumerate(per_day), start=2)
    ]
    with app.uow() as uow:
        imports.import_rows(uow, "sales_history", rows, today=date(2026, 6, 15))
        uow.commit()


def feed(app):
    return rules_feed(app, "reference").run()


def alerts_of(app, kind):
    with app.uow(write=False) as uow:
        q = select(alert_t).where(alert_t.c.kind == kind).order_by(alert_t.c.id)
        return uow.execute(q).all()


def recipients(app, alert_id):
    with app.uow(write=False) as uow:
        q = select(delivery_t.c.recipient).where(delivery_t.c.alert_id == alert_id)
        return sorted(r for (r,) in uow.execute(q).all())


def sell(app, users, sku, qty):
    """A sales order of `qty` of `sku` to ACME, shipped today."""
    so = app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line(sku, D(qty)),)), users["wang"]
    )
    assert so.status == "confirmed", so
    app.bus.execute(ShipSalesOrder(order=so.order), users["li"])
    return so.order


# -- anomaly.demand --------------------------------------------------------------------------


def test_a_days_sales_far_above_mean_plus_three_sigma_alert_the_buyers(app, users):
    history(app, "GLOVE-L", [8, 12] * 30)  # mean 10, σ about 2: the limit is about 16
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(500)), users["li"])
    feed(app)
    assert alerts_of(app, "anomaly.demand") == []
    sell(app, users, "GLOVE-L", 40)
    feed(app)
    (alert,) = alerts_of(app, "anomaly.demand")
    assert (alert.subject, alert.status) == ("GLOVE-L", "open")
    today = app.clock.today().isoformat()
    assert alert.message.startswith(f"GLOVE-L: 40 sold on {today}, above mean + 3σ")
    assert "mean 10" in alert.message
    assert alert.message_zh.startswith(f"GLOVE-L：{today} 销量 40")
    # the buyer zhao hears of it, in Chinese
    assert recipients(app, alert.id) == ["zhao"]


def test_sales_within_three_sigma_raise_nothing_and_the_days_total_counts(app, users):
    history(app, "GLOVE-L", [8, 12] * 30)
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(500)), users["li"])
    sell(app, users, "GLOVE-L", 15)
    feed(app)
    assert alerts_of(app, "anomaly.demand") == []
    # a second order the same day: 15 + 15 sold today is over the limit
    sell(app, users, "GLOVE-L", 15)
    feed(app)
    (alert,) = alerts_of(app, "anomaly.demand")
    assert alert.message.startswith("GLOVE-L: 30 sold on ")


def test_a_raised_sigma_threshold_applies_to_the_next_sale(app, users):
    history(app, "GLOVE-L", [8, 12] * 30)
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(500)), users["li"])
    with app.uow() as uow:
        settings.store(uow, "anomaly.sigma", "20")  # limit about 10 + 20 × 2 = 50
        uow.commit()
    sell(app, users, "GLOVE-L", 40)
    feed(app)
    assert alerts_of(app, "anomaly.demand") == []


def test_an_item_with_too_short_a_history_raises_no_demand_anomaly(app, users):
    history(app, "GLOVE-L", [8, 12] * 5)  # ten days: too few to judge
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(500)), users["li"])
    sell(app, users, "GLOVE-L", 200)
    feed(app)
    assert alerts_of(app, "anomaly.demand") == []


# -- anomaly.count -----------------------------------------------------------------------------


def test_a_count_over_the_percentage_threshold_alerts_the_approvers(app, users):
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(100)), users["li"])
    done = app.bus.execute(CountStock(item="GLOVE-L", counted_qty=D(90)), users["li"])
    feed(app)
    (alert,) = alerts_of(app, "anomaly.count")
    assert (alert.subject, alert.status) == ("GLOVE-L@MAIN", "open")
    assert alert.message == (
        "Count of GLOVE-L in MAIN: -10 off the book (value -13.00, 10 %), "
        "over the limits (1,000.00 or 2 %)"
    )
    assert recipients(app, alert.id) == ["liu", "mary"]
    # the count waits for its approval too (the same thresholds)
    assert done.status == "pending_approval", done
    assert [a.status for a in alerts_of(app, "approval")] == ["open"]


def test_a_count_within_the_thresholds_raises_no_anomaly(app, users):
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(100)), users["li"])
    done = app.bus.execute(CountStock(item="GLOVE-L", counted_qty=D(99)), users["li"])
    assert done.status == "posted", done
    feed(app)
    assert alerts_of(app, "anomaly.count") == []


def test_a_count_over_the_value_threshold_alerts_though_its_percentage_is_small(app, users):
    with app.uow() as uow:
        settings.set_value(uow, "approval.count_value", "5")
        uow.commit()
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(1000)), users["li"])
    app.bus.execute(CountStock(item="GLOVE-L", counted_qty=D(990)), users["li"])  # 1 %
    feed(app)
    (alert,) = alerts_of(app, "anomaly.count")
    assert alert.message.endswith("(value -13.00, 1 %), over the limits (5.00 or 2 %)")
