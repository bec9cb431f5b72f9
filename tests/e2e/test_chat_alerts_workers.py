"""Two `jxc serve` workers on one database (PostgreSQL in CI: `JXC_TEST_DATABASE_URL`): each
alert copy and each digest goes out once, however the workers race."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import select

from adapters.bootstrap import bootstrap, rules_feed
from adapters.config import Settings
from adapters.deliveries import deliver_pending
from adapters.notify import ChannelNotifier, RecordingNotifier
from adapters.scheduler import _RUNTIMES, run_digest_job
from domain.alerts.records import delivery_t
from domain.messages.commands import CreatePurchaseOrder, Line

pytestmark = pytest.mark.db


class ChatRecorder(RecordingNotifier):
    """A chat channel's notifier that records, with buttons and a platform reference."""

    def __init__(self, channel: str):
        super().__init__()
        self.channel = channel
        self.buttons: list[list] = []

    def send(self, recipient, text, png_path=None):
        super().send(recipient, text, png_path)
        return f"{self.channel}:{len(self.sent)}"

    def send_buttons(self, recipient, text, buttons):
        self.buttons.append([b.payload for b in buttons])
        return self.send(recipient, text)

    def edit(self, ref, text):
        pass


def worker(master_db, clock, slack, telegram):
    settings = Settings(database_url=master_db, slack_bot_token="xoxb-x", telegram_token="1:x")
    app = bootstrap(settings, clock=clock)
    return app, ChannelNotifier({"slack": slack, "telegram": telegram}, RecordingNotifier())


def test_two_workers_send_each_alert_copy_once(master_db, clock):
    slack, telegram = ChatRecorder("slack"), ChatRecorder("telegram")
    workers = [worker(master_db, clock, slack, telegram) for _ in range(2)]
    app = workers[0][0]
    app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M6-20", Decimal(100000)),)),
        app.bus.user("zhao"),
    )
    rules_feed(app, "reference").run()
    with app.uow(write=False) as uow:
        rows = uow.execute(select(delivery_t)).all()
    # mary, liu and admin, each by Slack and Telegram
    assert sorted({r.channel for r in rows}) == ["slack", "telegram"]
    assert len(rows) == 6

    barrier = threading.Barrier(2)

    def run(w):
        barrier.wait()
        for _ in range(3):
            deliver_pending(*w)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert sorted(s.recipient for s in slack.sent) == ["admin", "liu", "mary"]
    assert sorted(s.recipient for s in telegram.sent) == ["admin", "liu", "mary"]
    assert all(b == ["ap:A-1:approve", "ap:A-1:reject"] for b in slack.buttons + telegram.buttons)
    with app.uow(write=False) as uow:
        refs = uow.execute(select(delivery_t.c.status, delivery_t.c.platform_ref)).all()
    assert {s for s, _ in refs} == {"sent"} and all(ref for _, ref in refs)
    for a, _ in workers:
        a.engine.dispose()


def test_two_workers_running_the_daily_digest_send_it_once(master_db, clock):
    slack, telegram = ChatRecorder("slack"), ChatRecorder("telegram")
    workers = [worker(master_db, clock, slack, telegram) for _ in range(2)]
    barrier = threading.Barrier(2)

    def run(n, w):
        _RUNTIMES[f"w{n}"] = w
        barrier.wait()
        run_digest_job("daily", ["admin"], runtime=f"w{n}")

    threads = [threading.Thread(target=run, args=(n, w)) for n, w in enumerate(workers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert [s.recipient for s in slack.sent] == ["admin"]
    assert [s.recipient for s in telegram.sent] == ["admin"]
    for a, _ in workers:
        a.engine.dispose()
