"""The stock ledger through the service layer: receipts, issues, transfers, counts, valuation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.errors import (
    InsufficientStock,
    InvalidQuantity,
    InvalidState,
    NotPermitted,
    UnknownItem,
    UnknownWarehouse,
)
from domain.messages.commands import CountStock, IssueStock, QueryStock, ReceiveStock, TransferStock
from domain.model import Audit, Balance, Outbox, StockMove

pytestmark = pytest.mark.db
D = Decimal


def row(app, sku, wh="MAIN"):
    rows = app.bus.execute(QueryStock(item=sku, warehouse=wh), app.bus.user("admin")).rows
    return rows[0]


def test_receipts_average_their_cost_and_an_issue_takes_it(app, users):
    bus, li = app.bus, users["li"]
    bus.execute(ReceiveStock(item="M6-20", qty=D(100), unit_cost=D("0.12")), li)
    bus.execute(ReceiveStock(item="M6-20", qty=D(200), unit_cost=D("0.15")), li)
    r = row(app, "M6-20")
    assert (r.on_hand, r.value, r.avg_cost) == ("300", "42.00", "0.1400")
    out = bus.execute(IssueStock(item="M6-20", qty=D(7), reason="repairs"), li)
    assert out.cost == "0.98"  # 7 × 42.00 ÷ 300
    assert row(app, "M6-20").value == "41.02"


def test_the_move_that_empties_a_balance_takes_all_its_value(app, users):
    bus, li = app.bus, users["li"]
    bus.execute(ReceiveStock(item="M6-20", qty=D(3), unit_cost=D("0.333333")), li)
    assert row(app, "M6-20").value == "1.00"
    bus.execute(IssueStock(item="M6-20", qty=D(1)), li)  # 0.33
    bus.execute(IssueStock(item="M6-20", qty=D(1)), li)  # 0.34 (0.67 ÷ 2 = 0.335 half-up)
    last = bus.execute(IssueStock(item="M6-20", qty=D(1)), li)
    assert last.cost == "0.33"
    r = row(app, "M6-20")
    assert (r.on_hand, r.value, r.avg_cost) == ("0", "0.00", None)


def test_an_issue_beyond_available_is_refused_and_changes_nothing(app, users):
    bus, li = app.bus, users["li"]
    bus.execute(ReceiveStock(item="HAMMER", qty=D(5)), li)
    bus.execute(ReceiveStock(item="HAMMER", qty=D(3), warehouse="SH"), li)
    with pytest.raises(InsufficientStock) as exc:
        bus.execute(IssueStock(item="HAMMER", qty=D(6)), li)
    assert exc.value.message == "only 5 pcs of HAMMER available in MAIN, 6 wanted; 3 in SH"
    assert exc.value.zh == "MAIN 的 羊角锤（HAMMER） 可用只有 5，需要 6；SH 有 3"
    assert row(app, "HAMMER").on_hand == "5"


def test_negative_stock_when_the_warehouse_allows_it(app, users):
    from domain import settings

    with app.uow() as uow:
        settings.set_value(uow, "stock.allow_negative.BJ", "on")
        uow.commit()
    bus, li = app.bus, users["li"]
    bus.execute(IssueStock(item="HAMMER", qty=D(2), warehouse="BJ"), li)
    assert row(app, "HAMMER", "BJ").on_hand == "-2"
    with pytest.raises(InsufficientStock):
        bus.execute(IssueStock(item="HAMMER", qty=D(2), warehouse="MAIN"), li)
    with app.uow(write=False) as uow:
        events = [r.event for r in uow.execute(select(Outbox.__table__.c.event))]
    assert "StockWentNegative" in events


def test_a_transfer_moves_value_at_the_source_cost(app, users):
    bus, li = app.bus, users["li"]
    bus.execute(ReceiveStock(item="HAMMER", qty=D(10), unit_cost=D("12.00")), li)
    bus.execute(ReceiveStock(item="HAMMER", qty=D(10), unit_cost=D("13.00"), warehouse="BJ"), li)
    out = bus.execute(TransferStock(item="HAMMER", qty=D(4), from_="MAIN", to="BJ"), li)
    assert out.value == "48.00"
    assert row(app, "HAMMER", "BJ").value == "178.00"
    assert row(app, "HAMMER", "MAIN").value == "72.00"
    with pytest.raises(InvalidState):
        bus.execute(TransferStock(item="HAMMER", qty=D(1), from_="BJ", to="bj"), li)


def test_a_count_posts_the_difference_at_current_cost(app, users):
    from domain import settings

    with app.uow() as uow:  # counts within the thresholds post at once
        settings.set_value(uow, "approval.count_pct", "100")
        uow.commit()
    bus, li = app.bus, users["li"]
    bus.execute(ReceiveStock(item="M6-20", qty=D(100), unit_cost=D("0.12")), li)
    down = bus.execute(CountStock(item="M6-20", counted_qty=D(95)), li)
    assert (down.diff_qty, down.diff_value, down.on_hand) == ("-5", "-0.60", "95")
    up = bus.execute(CountStock(item="M6-20", counted_qty=D(105)), li)
    assert (up.diff_qty, up.diff_value, up.value) == ("10", "1.20", "12.60")
    zero = bus.execute(CountStock(item="M6-20", counted_qty=D(0)), li)
    assert (zero.on_hand, zero.value) == ("0", "0.00")
    assert [r.status for r in (down, up, zero)] == ["posted"] * 3
    # A balance with no cost yet takes the last receipt's cost. Found stock where the book
    # says none is an unbounded discrepancy: it waits for an approver.
    again = bus.execute(CountStock(item="M6-20", counted_qty=D(10)), li)
    assert (again.diff_value, again.status, again.on_hand) == (
        "1.20",
        "pending_approval",
        "0",
    )


def test_counted_units_must_be_whole_and_kg_may_be_fractional(app, users):
    bus, li = app.bus, users["li"]
    with pytest.raises(InvalidQuantity):
        bus.execute(ReceiveStock(item="M6-20", qty=D("1.5")), li)
    out = bus.execute(ReceiveStock(item="PAINT-W", qty=D("2.125"), unit_cost=D("4.8")), li)
    assert out.on_hand == "2.125" and out.value == "10.20"
    for bad in (D(0), D(-3), D("1000001"), D("0.0001")):
        with pytest.raises(InvalidQuantity):
            bus.execute(ReceiveStock(item="PAINT-W", qty=bad), li)


def test_unknown_item_and_warehouse_name_the_closest(app, users):
    with pytest.raises(UnknownItem) as exc:
        app.bus.execute(ReceiveStock(item="M6-2O", qty=D(1)), users["li"])
    assert "M6-20" in exc.value.suggestions
    with pytest.raises(UnknownWarehouse):
        app.bus.execute(ReceiveStock(item="M6-20", qty=D(1), warehouse="XX"), users["li"])


def test_a_user_without_the_role_is_refused_before_anything_is_written(app, users):
    with pytest.raises(NotPermitted):
        app.bus.execute(ReceiveStock(item="M6-20", qty=D(1)), users["wang"])  # sales
    with pytest.raises(NotPermitted):
        app.bus.execute(IssueStock(item="M6-20", qty=D(1)), users["tom"])  # viewer
    with app.uow(write=False) as uow:
        assert uow.execute(select(func.count()).select_from(StockMove.__table__)).scalar() == 0


def test_the_same_key_replays_and_another_command_under_it_is_refused(app, users):
    from domain.errors import DuplicateRequest

    bus, li = app.bus, users["li"]
    first = bus.execute(ReceiveStock(item="M6-20", qty=D(10)), li, key="tg:42")
    again = bus.execute(ReceiveStock(item="M6-20", qty=D(10)), li, key="tg:42")
    assert again == first
    with pytest.raises(DuplicateRequest):
        bus.execute(ReceiveStock(item="M6-20", qty=D(11)), li, key="tg:42")
    # A refusal is remembered too: the replay is refused the same way even after stock arrives.
    with pytest.raises(InsufficientStock):
        bus.execute(IssueStock(item="HAMMER", qty=D(1)), li, key="tg:43")
    bus.execute(ReceiveStock(item="HAMMER", qty=D(5)), li)
    with pytest.raises(InsufficientStock):
        bus.execute(IssueStock(item="HAMMER", qty=D(1)), li, key="tg:43")
    assert row(app, "M6-20").on_hand == "10"
    assert row(app, "HAMMER").on_hand == "5"


def test_every_write_leaves_an_audit_row_and_outbox_events_in_its_transaction(app, users):
    bus, li = app.bus, users["li"]
    bus.execute(ReceiveStock(item="M6-20", qty=D(10)), li, key="k1")
    bus.execute(TransferStock(item="M6-20", qty=D(4), from_="MAIN", to="BJ"), li, key="k2")
    with app.uow(write=False) as uow:
        audit = uow.execute(select(Audit.__table__.c.intent, Audit.__table__.c.key)).all()
        events = [r.event for r in uow.execute(select(Outbox.__table__.c.event))]
        moves = uow.execute(select(func.count()).select_from(StockMove.__table__)).scalar()
        balances = uow.execute(select(func.sum(Balance.__table__.c.on_hand))).scalar()
    assert ("stock.receive", "k1") in audit and ("stock.transfer", "k2") in audit
    assert events == ["StockReceived", "StockTransferred"]
    assert moves == 3 and balances == D(10)
