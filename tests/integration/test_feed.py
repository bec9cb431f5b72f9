"""The feed turns the outbox into alerts and deliveries, from the current state of each subject."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from adapters.bootstrap import rules_feed
from domain.alerts.records import alert_t, delivery_t
from domain.ledger import imports
from domain.messages.commands import (
    CountStock,
    CreatePurchaseOrder,
    DecideApproval,
    IssueStock,
    Line,
    ReceiveStock,
    Report,
)
from domain.model import Outbox

pytestmark = pytest.mark.db
D = Decimal


def history(app, sku, per_day, days=60, customer="ACME"):
    """`days` days of sales history of `sku` ending yesterday, `per_day` a day."""
    end = app.clock.today() - timedelta(days=1)
    rows = [
        (
            n,
            {
                "date": (end - timedelta(days=i)).isoformat(),
                "sku": sku,
                "qty": str(per_day),
                "customer": customer,
                "unit_price": "",
            },
        )  # fmt: skip
        for n, i in enumerate(range(days), start=2)
    ]
    with app.uow() as uow:
        imports.import_rows(uow, "sales_history", rows, today=date(2026, 6, 15))
        uow.commit()


def feed(app):
    return rules_feed(app, "reference").run()


def alerts_of(app, kind=None):
    with app.uow(write=False) as uow:
        q = select(alert_t).order_by(alert_t.c.id)
        if kind:
            q = q.where(alert_t.c.kind == kind)
        return uow.execute(q).all()


def deliveries(app, alert_id=None):
    with app.uow(write=False) as uow:
        q = select(delivery_t).order_by(delivery_t.c.id)
        if alert_id is not None:
            q = q.where(delivery_t.c.alert_id == alert_id)
        return uow.execute(q).all()


def test_stock_below_the_reorder_point_alerts_the_buyers_with_the_reports_figures(app, users):
    history(app, "GLOVE-L", 10)
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(50)), users["li"])
    stats = feed(app)
    assert stats.opened == 1
    (alert,) = alerts_of(app)
    assert (alert.kind, alert.subject, alert.status) == ("reorder", "GLOVE-L", "open")
    row = app.bus.execute(Report(name="below_reorder"), users["tom"]).rows[0]
    assert row["sku"] == "GLOVE-L"
    assert alert.message.startswith(
        f"GLOVE-L below reorder point: projected 50 (50 available + 0 on order), reorder point "
        f"{int(-(-row['reorder_point'] // 1))} (10/day × 7 days lead + safety stock 0 at 95 %)"
    )
    assert "suggest ordering" in alert.message and "MOQ 200" in alert.message
    assert alert.message_zh.startswith("GLOVE-L 低于再订货点：预计库存 50")
    # the buyer zhao reads Chinese
    (sent,) = deliveries(app, alert.id)
    assert (sent.recipient, sent.status, sent.purpose) == ("zhao", "pending", "alert")
    assert sent.text == alert.message_zh


def test_a_reorder_alert_resolves_when_projected_rises_and_fires_again_after(app, users):
    history(app, "GLOVE-L", 10)
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(50)), users["li"])
    feed(app)
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(500)), users["li"])
    stats = feed(app)
    assert stats.resolved == 1
    assert [a.status for a in alerts_of(app)] == ["resolved"]
    app.bus.execute(IssueStock(item="GLOVE-L", qty=D(520), reason="scrap"), users["li"])
    feed(app)
    first, second = alerts_of(app)
    assert (first.status, second.status) == ("resolved", "open")
    assert first.cause != second.cause
    # more events while it is open raise nothing new
    app.bus.execute(IssueStock(item="GLOVE-L", qty=D(5), reason="scrap"), users["li"])
    assert feed(app).opened == 0


def test_an_item_without_demand_history_raises_no_reorder_alert(app, users):
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(1)), users["li"])
    assert feed(app).opened == 0
    assert alerts_of(app) == []


def test_a_malformed_outbox_row_is_marked_failed_and_does_not_block_the_rest(app, users):
    history(app, "GLOVE-L", 10)
    with app.uow() as uow:
        uow.execute(insert(Outbox.__table__), [
            {"at": uow.now, "event": "StockReceived", "payload": "{not json"},
            {"at": uow.now, "event": "StockIssued", "payload": '{"warehouse": "MAIN"}'},
        ])  # fmt: skip
        uow.commit()
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(50)), users["li"])
    stats = feed(app)
    assert (stats.rows, stats.failed, stats.opened) == (3, 2, 1)
    with app.uow(write=False) as uow:
        rows = uow.execute(select(Outbox.__table__).order_by(Outbox.__table__.c.id)).all()
    assert [r.status for r in rows] == ["failed", "failed", "processed"]
    assert "not JSON" in rows[0].error and "sku" in rows[1].error
    assert all(r.processed_at is not None for r in rows)
    assert feed(app).rows == 0  # nothing left to claim


def test_events_older_than_a_day_update_alerts_without_delivering_them(app, users, clock):
    history(app, "GLOVE-L", 10)
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(50)), users["li"])
    clock.advance(days=2)
    assert feed(app).opened == 1
    assert deliveries(app) == []


def test_a_pending_approval_alerts_approvers_and_admins_but_not_the_requester(app, users):
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M6-20", D(100000), D("0.12")),)),
        users["admin"],
    )
    assert po.status == "pending_approval"
    feed(app)
    (alert,) = alerts_of(app, "approval")
    assert alert.subject == po.approval
    assert alert.message.startswith(f"{po.approval} for {po.order} (ECH")
    assert alert.message.endswith("waits for you")
    assert sorted(d.recipient for d in deliveries(app, alert.id)) == ["liu", "mary"]


def test_a_decision_resolves_the_approval_alert_and_tells_the_requester_why(app, users):
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M6-20", D(100000), D("0.12")),)),
        users["zhao"],
    )
    feed(app)
    app.bus.execute(
        DecideApproval(request=po.approval, decision="reject", reason="too many"),
        users["mary"],
    )
    feed(app)
    (alert,) = alerts_of(app, "approval")
    assert alert.status == "resolved"
    told = [d for d in deliveries(app, alert.id) if d.purpose == "decision"]
    assert [(d.recipient, d.text) for d in told] == [
        ("zhao", f"{po.approval}（{po.order}）已被 mary 驳回：too many")
    ]


def test_a_count_waiting_for_approval_is_named_by_its_item_and_warehouse(app, users):
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(1000)), users["li"])
    count = app.bus.execute(CountStock(item="GLOVE-L", counted_qty=D(1198)), users["li"])
    assert count.status == "pending_approval"
    feed(app)
    (alert,) = alerts_of(app, "approval")
    number, request = count.count, count.approval
    assert alert.message.startswith(f"{request} for count #{number} of GLOVE-L in MAIN (")
    assert alert.message_zh.startswith(f"{request}（MAIN 的 GLOVE-L 盘点 #{number}，")
    app.bus.execute(DecideApproval(request=request, decision="approve"), users["mary"])
    feed(app)
    told = [d.text for d in deliveries(app, alert.id) if d.purpose == "decision"]
    assert told == [
        f"{request}（MAIN 的 GLOVE-L 盘点 #{number}）已由 mary 批准"
    ]  # li reads Chinese


def test_reminder_and_escalation_go_out_once_each_as_the_clock_moves(app, users, clock):
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M6-20", D(100000), D("0.12")),)),
        users["zhao"],
    )
    f = rules_feed(app, "reference")
    f.run()
    (alert,) = alerts_of(app, "approval")

    def purposes():
        return sorted((d.purpose, d.recipient) for d in deliveries(app, alert.id))

    clock.advance(hours=23)
    assert f.sweep() == 0
    clock.advance(hours=2)
    assert f.sweep() == 3  # mary, liu and admin are reminded
    assert f.sweep() == 0  # once
    clock.advance(hours=24)
    assert f.sweep() == 1  # the admin hears of it as an escalation
    f.run()  # the inline feed runs the sweep too; nothing twice
    assert purposes() == [
        ("alert", "admin"), ("alert", "liu"), ("alert", "mary"),
        ("escalation", "admin"),
        ("reminder", "admin"), ("reminder", "liu"), ("reminder", "mary"),
    ]  # fmt: skip
    assert po.approval in [d.text for d in deliveries(app, alert.id)][-1]


def test_two_workers_claim_each_outbox_row_once_on_postgresql(app, users):
    if app.engine.dialect.name != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's; SQLite has one writer at a time")
    import threading

    history(app, "GLOVE-L", 10)
    app.bus.execute(ReceiveStock(item="GLOVE-L", qty=D(50)), users["li"])
    from adapters.bootstrap import make_rules_engine as make_engine
    from rules.feed import Feed

    feeds = [Feed(app.uow, make_engine("reference"), batch=1) for _ in range(2)]
    threads = [threading.Thread(target=f.run) for f in feeds]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(alerts_of(app, "reorder")) == 1
    assert len(deliveries(app)) == 1
