"""The notifier port: deliver a text (and optionally a PNG) to one user.

Chat adapters (Slack, Telegram) implement the same `send` later; for now a console notifier, a
log notifier, and an in-memory recording notifier for tests.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Protocol, TextIO

logger = logging.getLogger(__name__)


class Notifier(Protocol):
    """Delivers a message to one user (a row of `jxc_user`: name, slack_id, telegram_id…)."""

    def send(self, recipient, text: str, png_path: str | Path | None = None) -> None: ...


def _name(recipient) -> str:
    return getattr(recipient, "name", None) or str(recipient)


class ConsoleNotifier:
    """Prints each message to a stream (standard output by default), headed by its recipient."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream
        self._lock = threading.Lock()

    def send(self, recipient, text: str, png_path: str | Path | None = None) -> None:
        out = self.stream or sys.stdout
        with self._lock:
            out.write(f"--- to {_name(recipient)} ---\n{text}\n")
            if png_path:
                out.write(f"chart: {png_path}\n")
            out.flush()


class LogNotifier:
    """Logs each message at INFO, with the recipient and chart as structured fields."""

    def send(self, recipient, text: str, png_path: str | Path | None = None) -> None:
        logger.info(
            "notification: %s",
            text,
            extra={"recipient": _name(recipient), "png": str(png_path) if png_path else None},
        )


@dataclass(frozen=True)
class Sent:
    """One message a RecordingNotifier was given."""

    recipient: str
    text: str
    png_path: str | None


class RecordingNotifier:
    """Keeps what it was asked to send, in memory (tests); `wait_for(n)` blocks until n have
    arrived (messages come from the scheduler's worker threads)."""

    def __init__(self):
        self.sent: list[Sent] = []
        self._cond = threading.Condition()

    def send(self, recipient, text: str, png_path: str | Path | None = None) -> None:
        with self._cond:
            self.sent.append(Sent(_name(recipient), text, str(png_path) if png_path else None))
            self._cond.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """True once at least `count` messages were sent, False after `timeout` seconds."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self.sent) >= count, timeout)


def make_notifier(settings=None, stream: TextIO | None = None) -> Notifier:
    """The notifier for the configuration: the console for now (the chat adapters, when
    configured, will take over here)."""
    return ConsoleNotifier(stream)


# -- delivering alerts -------------------------------------------------------------------------

DELIVERY_LEASE = timedelta(minutes=2)
"""How long a claimed delivery is left to its worker before another may take it (a crash
between sending and marking it sent delivers it again: at least once)."""
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
)
MAX_ATTEMPTS = 8


def deliver_pending(app, notifier: Notifier, limit: int = 50, tries: int = 3) -> int:
    """Send the deliveries that are due through `notifier`; returns how many were sent.

    Each is claimed first (its next attempt moved past the lease, in its own transaction, so
    two workers never send the same one), then sent with quick retries (tenacity, exponential
    backoff), then marked sent. One that still fails keeps its error and is tried again later,
    with a growing delay, up to `MAX_ATTEMPTS`."""
    from sqlalchemy import select, update
    from tenacity import Retrying, stop_after_attempt, wait_exponential

    from domain.alerts import delivery_t
    from domain.model import User

    user_t = User.__table__
    sent = 0
    with app.uow(write=False) as uow:
        due = uow.execute(
            select(delivery_t.c.id)
            .where((delivery_t.c.status == "pending") & (delivery_t.c.next_attempt_at <= uow.now))
            .order_by(delivery_t.c.id)
            .limit(limit)
        ).all()
    for (delivery_id,) in due:
        with app.uow() as uow:
            claimed = uow.execute(
                update(delivery_t)
                .where(
                    (delivery_t.c.id == delivery_id)
                    & (delivery_t.c.status == "pending")
                    & (delivery_t.c.next_attempt_at <= uow.now)
                )
                .values(
                    next_attempt_at=uow.now + DELIVERY_LEASE,
                    attempts=delivery_t.c.attempts + 1,
                )
            ).rowcount
            row = uow.execute(select(delivery_t).where(delivery_t.c.id == delivery_id)).first()
            who = uow.execute(select(user_t).where(user_t.c.name == row.recipient)).first()
            uow.commit()
        if not claimed:
            continue
        try:
            for attempt in Retrying(
                stop=stop_after_attempt(tries),
                wait=wait_exponential(multiplier=0.05, max=1),
                reraise=True,
            ):
                with attempt:
                    notifier.send(who or row.recipient, row.text)
        except Exception as exc:  # noqa: BLE001 - a channel's failure is kept on the row
            logger.warning(
                "delivery %s failed: %s", delivery_id, exc, extra={"delivery": delivery_id}
            )
            with app.uow() as uow:
                delay = RETRY_DELAYS[min(row.attempts - 1, len(RETRY_DELAYS) - 1)]
                uow.execute(
                    update(delivery_t)
                    .where(delivery_t.c.id == delivery_id)
                    .values(
                        last_error=f"{type(exc).__name__}: {exc}"[:500],
                        next_attempt_at=uow.now + delay,
                        status="failed" if row.attempts >= MAX_ATTEMPTS else "pending",
                    )
                )
                uow.commit()
            continue
        with app.uow() as uow:
            uow.execute(
                update(delivery_t)
                .where(delivery_t.c.id == delivery_id)
                .values(status="sent", sent_at=uow.now, last_error=None)
            )
            uow.commit()
        sent += 1
    return sent
