"""Alerts reach their recipients through the notifier: retried with backoff when it fails, once
when it works, and within a second of the event with `jxc serve scheduler`'s feed running."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from sqlalchemy import select

from adapters.bootstrap import rules_feed
from adapters.deliveries import deliver_pending
from adapters.notify import RecordingNotifier
from adapters.scheduler import FeedLoop
from domain.alerts.records import alert_t, delivery_t
from domain.messages.commands import CreatePurchaseOrder, Line
from tests.integration.test_feed import history

pytestmark = pytest.mark.db
D = Decimal


class FlakyNotifier(RecordingNotifier):
    """Fails the first `failures` sends, then records like RecordingNotifier."""

    def __init__(self, failures: int):
        super().__init__()
        self.failures = failures

    def send(self, recipient, text, png_path=None):
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("channel down")
        super().send(recipient, text, png_path)


def pending_po(app, users):
    return app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M6-20", D(100000), D("0.12")),)),
        users["zhao"],
    )


def rows(app):
    with app.uow(write=False) as uow:
        return uow.execute(select(delivery_t).order_by(delivery_t.c.id)).all()


def test_a_failing_notifier_delivers_later_and_only_once(app, users, clock):
    pending_po(app, users)
    rules_feed(app, "reference").run()
    notifier = FlakyNotifier(failures=9)  # three recipients × three quick tries
    assert deliver_pending(app, notifier) == 0
    failed = rows(app)
    assert {r.status for r in failed} == {"pending"}
    assert all(r.attempts == 1 and "channel down" in r.last_error for r in failed)
    assert deliver_pending(app, notifier) == 0  # not due yet: backoff
    clock.advance(minutes=1)
    assert deliver_pending(app, notifier) == 3
    assert deliver_pending(app, notifier) == 0
    assert sorted(s.recipient for s in notifier.sent) == ["admin", "liu", "mary"]
    assert {r.status for r in rows(app)} == {"sent"}


def test_the_server_feed_stores_and_delivers_an_alert_within_a_second(app, users):
    history(app, "GLOVE-L", 10)
    notifier = RecordingNotifier()
    loop = FeedLoop(app, notifier, interval=0.05, kind="reference").start()
    try:
        started = time.monotonic()
        po = pending_po(app, users)
        assert notifier.wait_for(3, timeout=5)
        assert time.monotonic() - started < 1.5
    finally:
        loop.stop()
    with app.uow(write=False) as uow:
        (alert,) = uow.execute(select(alert_t)).all()
    assert alert.kind == "approval"
    assert all(po.approval in s.text for s in notifier.sent)
    assert sorted(s.recipient for s in notifier.sent) == ["admin", "liu", "mary"]
