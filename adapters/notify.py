"""The notifier port: deliver a text (and optionally a PNG) to one user.

Chat adapters (Slack, Telegram) implement the same `send` later; for now a console notifier, a
log notifier, and an in-memory recording notifier for tests.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
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
