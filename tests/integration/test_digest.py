"""Digests: what they say, and the scheduler that sends them (APScheduler with its jobs in the
application's database, a near trigger instead of waiting for 08:30)."""

from __future__ import annotations

import pickle
import time
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import MetaData, Table, inspect, select

from adapters.deliveries import deliver_pending
from adapters.digest import build_digest
from adapters.digest_schedules import (
    DEFAULT_SCHEDULES,
    load_schedules,
    parse_schedules,
    save_schedules,
)
from adapters.notify import RecordingNotifier, TransientError
from adapters.scheduler import (
    _RUNTIMES,
    JOB_TABLE,
    build_scheduler,
    run_digest_job,
    start_scheduler,
    sync_digest_jobs,
)
from domain.alerts.records import delivery_t
from domain.errors import InvalidAmount
from domain.messages.batch_results import DigestSchedule, DigestSchedules, DigestSent
from domain.messages.commands import ReceiveStock
from domain.messages.commands_admin import SendDigest, SetDigestSchedules

pytestmark = pytest.mark.db


@pytest.fixture
def stocked(app, users):
    app.bus.execute(
        ReceiveStock(item="M6-20", qty=Decimal(1000), unit_cost=Decimal("0.12")), users["li"]
    )
    return app


@pytest.fixture
def notifier():
    return RecordingNotifier()


def test_a_digest_with_nothing_to_report_says_so(app):
    digest = build_digest(app, "daily")
    assert digest.empty and digest.png is None
    assert "Nothing to report" in digest.text


def test_a_digest_shows_stock_value_approvals_and_kpis_with_a_chart(stocked, tmp_path):
    digest = build_digest(stocked, "weekly", png_path=tmp_path / "d.png")
    assert not digest.empty
    assert "Stock value: 120.00 CNY" in digest.text
    assert "Pending approvals: 0" in digest.text and "KPIs" in digest.text
    assert digest.png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    zh = build_digest(stocked, "daily", lang="zh", png_path=tmp_path / "z.png")
    assert "库存价值" in zh.text


def test_digest_schedules_are_data_with_daily_and_weekly_defaults(app):
    with app.uow(write=False) as uow:
        assert [s.to_dict() for s in load_schedules(uow)] == list(DEFAULT_SCHEDULES)
    with app.uow() as uow:
        save_schedules(uow, '[{"kind": "daily", "at": "07:15", "to": ["mary"]}]')
        uow.commit()
    with app.uow(write=False) as uow:
        assert [s.at for s in load_schedules(uow)] == ["07:15"]
    for bad in ("nope", '[{"kind": "hourly", "at": "07:00", "to": ["admin"]}]',
                '[{"kind": "daily", "at": "25:00", "to": ["admin"]}]',
                '[{"kind": "weekly", "at": "someday 08:30", "to": ["admin"]}]',
                '[{"kind": "daily", "at": "08:30", "to": []}]'):  # fmt: skip
        with pytest.raises(InvalidAmount):
            parse_schedules(bad)


def test_a_scheduled_digest_fires_and_reaches_admins_and_approvers(stocked, notifier):
    scheduler = start_scheduler(stocked, notifier)
    try:
        assert JOB_TABLE in inspect(stocked.engine).get_table_names()
        job = scheduler.get_job("digest.daily.08:30")
        assert job.next_run_time.tzinfo is not None
        assert job.next_run_time.utcoffset() == timedelta(hours=8)  # Asia/Shanghai
        scheduler.modify_job(job.id, next_run_time=datetime.now(ZoneInfo("Asia/Shanghai")))
        assert notifier.wait_for(4, timeout=15)
    finally:
        scheduler.shutdown()
    assert {s.recipient for s in notifier.sent} == {"admin", "mary", "liu", "chen"}
    assert all("Stock value" in s.text or "库存价值" in s.text for s in notifier.sent)
    assert all(s.png_path and s.png_path.endswith(".png") for s in notifier.sent)


def test_missed_runs_after_downtime_give_one_catch_up_not_a_burst(stocked, notifier):
    tz = ZoneInfo(stocked.settings.timezone)
    now = datetime.now(tz)
    at = (now - timedelta(hours=2)).strftime("%H:%M")
    with stocked.uow() as uow:
        save_schedules(uow, [{"kind": "daily", "at": at, "to": ["mary"]}])
        uow.commit()
    # The process that stored the job, then went down for three days.
    before = build_scheduler(stocked, RecordingNotifier())
    before.start(paused=True)
    (job,) = sync_digest_jobs(before, load_schedules_of(stocked), stocked.settings.timezone)
    before.shutdown()
    rewind(stocked.engine, job.id, job.trigger.get_next_fire_time(None, now - timedelta(days=3)))

    after = start_scheduler(stocked, notifier)
    try:
        assert notifier.wait_for(1, timeout=15)
        deadline = time.monotonic() + 15  # the missed runs are all taken in one pass
        while (next_run := after.get_job(job.id).next_run_time) <= now:
            assert time.monotonic() < deadline, next_run
            time.sleep(0.02)
    finally:
        after.shutdown()  # waits for the job's run to end: a burst, were there one, is in it
    assert [s.recipient for s in notifier.sent] == ["mary"]
    assert next_run > now


def load_schedules_of(app):
    with app.uow(write=False) as uow:
        return load_schedules(uow)


def rewind(engine, job_id: str, when: datetime) -> None:
    """Set a stored job's next run time back, as if the process had been down since then.
    (Done in the store: a scheduler shut down with a job due would consume the run itself.)"""
    table = Table(JOB_TABLE, MetaData(), autoload_with=engine)
    with engine.begin() as conn:
        state = pickle.loads(
            conn.execute(select(table.c.job_state).where(table.c.id == job_id)).scalar()
        )
        state["next_run_time"] = when
        conn.execute(
            table.update()
            .where(table.c.id == job_id)
            .values(job_state=pickle.dumps(state), next_run_time=when.timestamp())
        )


def test_a_digest_shows_whole_units_money_with_separators_and_percentages(app, users, tmp_path):
    from domain import settings
    from domain.ledger import imports

    with app.uow() as uow:
        settings.store(uow, "reorder.history_days", "5")  # under the range: a short test window
        rows = [("2026-06-10", "10"), ("2026-06-12", "20"), ("2026-06-14", "20")]
        imports.import_rows(
            uow,
            "sales_history",
            [
                (n, {"date": d, "sku": "M6-20", "qty": q, "customer": "ACME", "unit_price": "0.25"})
                for n, (d, q) in enumerate(rows, start=2)
            ],
            today=app.clock.today(),
        )
        uow.commit()
    app.bus.execute(
        ReceiveStock(item="BOX-M", qty=Decimal(250000), unit_cost=Decimal("1.60")), users["li"]
    )
    text = build_digest(app, "daily", png_path=tmp_path / "d.png").text
    assert "Stock value: 400,000.00 CNY" in text
    # M6-20: ROP 10 × 7 + 1.645 × 10 × √7 = 113.519 → 114 whole pieces; EOQ 6976.15 → 6,977.
    assert "  M6-20: 0 ≤ ROP 114, suggest 6,977" in text
    assert "  1. M6-20 12.50 (100.0 %)" in text
    assert "order fill rate: – (target 98.5 %) n/a" in text


def test_a_chinese_digest_names_periods_and_reorder_figures_in_chinese(app, users, tmp_path):
    from domain import settings
    from domain.ledger import imports

    with app.uow() as uow:
        settings.store(uow, "reorder.history_days", "5")  # under the range: a short test window
        rows = [("2026-06-10", "10"), ("2026-06-12", "20"), ("2026-06-14", "20")]
        imports.import_rows(
            uow,
            "sales_history",
            [
                (n, {"date": d, "sku": "M6-20", "qty": q, "customer": "ACME", "unit_price": "0.25"})
                for n, (d, q) in enumerate(rows, start=2)
            ],
            today=app.clock.today(),
        )
        uow.commit()
    app.bus.execute(
        ReceiveStock(item="BOX-M", qty=Decimal(100), unit_cost=Decimal("1.60")), users["li"]
    )
    lines = build_digest(app, "daily", lang="zh", png_path=tmp_path / "d.png").text.splitlines()
    assert "  M6-20: 预计可用 0 ≤ 再订货点 114，建议订 6,977" in lines
    assert "畅销（近 7 天）：" in lines and "  1. M6-20 12.50（100.0 %）" in lines
    assert "关键指标（近 12 个月）：" in lines
    assert "  订单满足率：–（目标 98.5 %）无数据" in lines
    english = build_digest(app, "weekly", png_path=tmp_path / "w.png").text.splitlines()
    assert "Top sellers (last week):" in english and "KPIs (last 12 months):" in english


class DownThenUp(RecordingNotifier):
    """A chat platform that is down for the first `down` sends, then takes them."""

    def __init__(self, down: int):
        super().__init__()
        self.down = down

    def send(self, recipient, text, png_path=None):
        if self.down > 0:
            self.down -= 1
            raise TransientError("503 from the chat platform")
        super().send(recipient, text, png_path)


def test_a_digest_due_while_the_chat_platform_is_down_is_sent_when_it_is_back(stocked, clock):
    notifier = DownThenUp(down=100)
    _RUNTIMES["down"] = (stocked, notifier)
    try:
        run_digest_job("daily", ["mary"], runtime="down")
        assert notifier.sent == []
        with stocked.uow(write=False) as uow:
            (row,) = uow.execute(select(delivery_t).where(delivery_t.c.purpose == "digest"))
        assert (row.recipient, row.status) == ("mary", "pending")
        assert "503" in row.last_error and row.attachment.endswith(".png")
        run_digest_job("daily", ["mary"], runtime="down")  # the day's run again: nothing more
        notifier.down = 0
        clock.advance(minutes=1)
        assert deliver_pending(stocked, notifier) == 1
    finally:
        del _RUNTIMES["down"]
    (sent,) = notifier.sent
    assert sent.recipient == "mary" and "Stock value" in sent.text
    assert sent.png_path == row.attachment
    assert deliver_pending(stocked, notifier) == 0  # sent once


def test_overdue_receivables_reach_the_copies_of_accountants_and_admins_only(stocked, users):
    from adapters.digest import deliver
    from domain.messages.commands import CreateSalesOrder, Line, ShipSalesOrder

    so = stocked.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("M6-20", Decimal(100)),)), users["wang"]
    )
    stocked.bus.execute(ShipSalesOrder(order=so.order), users["li"])  # due 2026-07-15
    stocked.clock.advance(days=40)  # 10 days past due
    notifier = RecordingNotifier()
    with stocked.uow(write=False) as uow:
        deliver(uow, notifier, "daily", ["admin", "approver", "accountant"], "CNY")
    text = {s.recipient: s.text for s in notifier.sent}
    assert "Overdue receivables: 25.00 CNY (1 customers)" in text["admin"]
    assert "  ACME: 25.00 (1-30 days 25.00)" in text["admin"]
    assert "逾期应收：25.00 CNY（1 个客户）" in text["chen"]
    assert "  艾克米: 25.00（1-30天 25.00）" in text["chen"]
    assert "Overdue" not in text["mary"] and "逾期应收" not in text["liu"]


def test_digest_services_answer_typed_results_and_a_schedules_replay_is_typed(app, users):
    admin = users["admin"]
    change = SetDigestSchedules(schedules='[{"kind": "daily", "at": "07:15", "to": ["mary"]}]')
    stored = app.bus.execute(change, admin, key="test:digest-schedules")
    assert stored == DigestSchedules(
        schedules=(DigestSchedule(kind="daily", at="07:15", to=("mary",)),)
    )
    assert app.bus.execute(change, admin, key="test:digest-schedules") == stored  # a replay
    with app.uow(write=False) as uow:
        assert [s.to_dict() for s in load_schedules(uow)] == [
            {"kind": "daily", "at": "07:15", "to": ["mary"]}
        ]
    sent = app.bus.execute(SendDigest(kind="daily"), admin)
    assert sent == DigestSent(kind="daily", sent=1)  # mary, the one recipient of the schedule
