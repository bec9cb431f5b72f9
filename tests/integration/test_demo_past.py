"""The demo's past, played through the service layer: history stops where the played weeks
start, no day's demand is counted twice, and the same day always gives the same past."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from adapters.bootstrap import bootstrap
from adapters.config import Settings
from adapters.demo import seed_demo
from domain.clock import FixedClock
from domain.ledger import lookup
from domain.ledger.history import last_history_day, sales
from domain.messages.commands import QueryOrders
from domain.model import SalesHistory, StockMove
from domain.model.money import Payment
from tests.conftest import NOW

pytestmark = pytest.mark.db
START = date(2026, 4, 20)  # eight weeks before 2026-06-15


def seeded(url: str):
    app = bootstrap(
        Settings(database_url=url),
        clock=FixedClock(datetime.fromisoformat(NOW), "Asia/Shanghai"),
        migrate_schema=True,
    )
    seed_demo(app)
    return app


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    app = seeded(f"sqlite:///{tmp_path_factory.mktemp('past') / 'a.db'}")
    yield app
    app.engine.dispose()


def test_history_stops_where_the_played_weeks_start(demo):
    with demo.uow(write=False) as uow:
        last_row = uow.execute(select(func.max(SalesHistory.__table__.c.day))).scalar()
        first_move = uow.execute(select(func.min(StockMove.__table__.c.at))).scalar()
        assert last_row == date(2026, 4, 19)
        assert uow.clock.local(first_move).date() == START
        # The last day of history is yesterday's shipments.
        assert last_history_day(uow) == date(2026, 6, 14)
        played = sales(uow, START, date(2026, 6, 14))
    # Every sale in the played weeks is a shipped order, none a history row beside it.
    assert played and all(s.order for s in played)


def test_the_played_weeks_leave_customers_within_their_credit(demo):
    admin = demo.bus.user("admin")
    rows = demo.bus.execute(QueryOrders(kind="sales"), admin).orders
    held = [o for o in rows if o.status == "pending_approval"]
    # Only the request left for today's approvers waits; no routine order was held for credit.
    assert [o.partner for o in held] == ["ACME"]


def test_the_same_day_gives_the_same_past(demo, tmp_path):
    again = seeded(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        admin = demo.bus.user("admin")
        first = demo.bus.execute(QueryOrders(), admin)
        second = again.bus.execute(QueryOrders(), again.bus.user("admin"))
        assert first == second
    finally:
        again.engine.dispose()


def test_the_accountant_collected_and_paid_and_some_invoices_are_overdue(demo):
    from domain.ledger.verify import verify_books
    from domain.money.balances import owed
    from domain.money.statement import list_invoices

    with demo.uow(write=False) as uow:
        rows = list_invoices(uow).invoices
        paid = [r for r in rows if r.paid != "0.00"]
        today = uow.clock.today()
        overdue = {r.partner for r in rows if r.open != "0.00" and r.due < str(today)}
        xinda = owed(uow, lookup.partner(uow, "XINDA").id, today)
        payers = set(uow.execute(select(Payment.__table__.c.user_name).distinct()).scalars())
        books = verify_books(uow)
    assert {r.kind for r in paid} == {"sales", "purchase"}
    assert {"XINDA", "GREEN"} <= overdue and "MEILIN" not in overdue
    assert xinda.overdue > 0 and xinda.aging["1-30"] == xinda.overdue
    assert payers == {"chen"}
    assert books.ok and books.payments > 0
