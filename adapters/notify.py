"""The notifier port: deliver a text (and optionally a PNG) to one user.

Two ports, each implemented in full by everything behind it (nothing is probed at run time):
- `Notifier`, what the deliveries, the digests and the scheduler send through: `send` to a
  user, `deliver` by a named channel, `held` (how long a channel still waits after a 429) and
  `edit` (a copy already posted). The console, log and recording notifiers here are
  `DirectNotifier`s (no chat platform behind them: a delivery is a `send`, nothing is held or
  edited); a `ChannelNotifier` routes each delivery through its channel's `ChatChannel` and
  keeps a 429 to that channel.
- `ChatChannel`, one chat platform: `send`, `send_buttons` and `edit` by where the message went
  (Slack: adapters/slack/notifier.py, Telegram: adapters/telegram/notifier.py).
The deliveries that go out through them: adapters/deliveries.py.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

logger = logging.getLogger(__name__)


class Notifier(Protocol):
    """Delivers messages to users (a row of `jxc_user`: name, slack_id, telegram_id…)."""

    def send(self, recipient, text: str, png_path: str | Path | None = None) -> None:
        """The message on every channel the recipient can be reached by."""
        ...

    def held(self, channel: str) -> float:
        """Seconds `channel` still waits after a 429 (0: it may send)."""
        ...

    def deliver(
        self, channel: str, recipient, text: str, png_path=None, buttons: Sequence = ()
    ) -> str | None:
        """One message by `channel`, with its buttons; where the platform put it (for
        `edit`), or None where it cannot be edited. Raises `RetryLater` on a 429."""
        ...

    def edit(self, channel: str, ref: str, text: str) -> bool:
        """Replace a message posted by `channel` at `ref` (its buttons go); False where there
        is nothing to edit."""
        ...


class ChatChannel(Protocol):
    """One chat platform behind a `ChannelNotifier` (Slack, Telegram): each send returns where
    the message went ("channel:ts", "chat_id:message_id"), which `edit` takes."""

    def send(self, recipient, text: str, png_path: str | Path | None = None) -> str | None: ...

    def send_buttons(self, recipient, text: str, buttons: list) -> str | None: ...

    def edit(self, ref: str, text: str) -> None: ...


def _name(recipient) -> str:
    return getattr(recipient, "name", None) or str(recipient)


class DirectNotifier:
    """The `Notifier` with no chat platform behind it (the console, the log, the tests'
    recorders): a delivery by any channel is a `send` (its buttons dropped), no channel is
    ever held, and nothing it sent can be edited. Subclasses implement `send`."""

    def send(self, recipient, text: str, png_path: str | Path | None = None) -> None:
        raise NotImplementedError

    def held(self, channel: str) -> float:
        return 0.0

    def deliver(
        self, channel: str, recipient, text: str, png_path=None, buttons: Sequence = ()
    ) -> str | None:
        self.send(recipient, text, png_path)
        return None

    def edit(self, channel: str, ref: str, text: str) -> bool:
        return False


class ConsoleNotifier(DirectNotifier):
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


class LogNotifier(DirectNotifier):
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


class RecordingNotifier(DirectNotifier):
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
    """The notifier for the configuration outside `jxc serve`: the console (`jxc serve` puts a
    `ChannelNotifier` over the chat notifiers in front of it)."""
    return ConsoleNotifier(stream)


def configured_channels(settings) -> tuple[str, ...]:
    """The chat channels whose tokens are set: deliveries go by them ("slack", "telegram")."""
    if settings is None:
        return ()
    out = []
    if getattr(settings, "slack_bot_token", None):
        out.append("slack")
    if getattr(settings, "telegram_token", None):
        out.append("telegram")
    return tuple(out)


# -- chat channels --------------------------------------------------------------------------------


class RetryLater(Exception):
    """The platform asked to wait (a 429 with `Retry-After` / `retry_after`): that channel waits
    `seconds`, the others go on."""

    def __init__(self, seconds: float, message: str = "rate limited"):
        super().__init__(f"{message}; retry after {seconds:g}s")
        self.seconds = seconds


class TransientError(Exception):
    """A 5xx, a timeout or a dropped connection: tried again shortly."""


class ChannelNotifier:
    """The `Notifier` of `jxc serve`: routes each message through its channel's `ChatChannel`
    ("slack", "telegram"; anything else to `fallback`, the console). A channel that answered
    429 is held for its `Retry-After` (real time), so only that channel waits."""

    def __init__(self, by_channel: dict[str, ChatChannel], fallback: Notifier | None = None):
        import time

        self.by_channel = dict(by_channel)
        self.fallback = fallback or ConsoleNotifier()
        self._clock = time.monotonic
        self._hold: dict[str, float] = {}
        self._lock = threading.Lock()
        self._edited: dict[tuple[str, str], str] = {}

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(self.by_channel)

    def held(self, channel: str) -> float:
        """Seconds the channel still waits after a 429 (0: it may send)."""
        with self._lock:
            return max(0.0, self._hold.get(channel, 0.0) - self._clock())

    def _holding(self, channel: str, exc: RetryLater) -> None:
        with self._lock:
            until = self._clock() + exc.seconds
            self._hold[channel] = max(self._hold.get(channel, 0.0), until)

    def deliver(
        self, channel: str, recipient, text: str, png_path=None, buttons: Sequence = ()
    ) -> str | None:
        """Send one message by `channel`; where the platform put it (for edits), or None."""
        target = self.by_channel.get(channel)
        if target is None:
            self.fallback.send(recipient, text, png_path)
            return None
        if wait := self.held(channel):
            raise RetryLater(wait, f"{channel} is rate limited")
        try:
            if buttons:
                return target.send_buttons(recipient, text, list(buttons))
            return target.send(recipient, text, png_path)
        except RetryLater as exc:
            self._holding(channel, exc)
            raise

    def edit(self, channel: str, ref: str, text: str) -> bool:
        """Replace a message in place (its buttons go); an edit already made is not made again."""
        target = self.by_channel.get(channel)
        if target is None or not ref:
            return False
        with self._lock:
            if self._edited.get((channel, ref)) == text:
                return True
        try:
            target.edit(ref, text)
        except RetryLater as exc:
            self._holding(channel, exc)
            raise
        with self._lock:
            self._edited[(channel, ref)] = text
        return True

    def send(self, recipient, text: str, png_path: str | Path | None = None) -> None:
        """The port: the message on every configured channel the recipient has an id for
        (else the console). One channel failing does not keep it from the others."""
        from domain.alerts.records import channels_of

        for channel in channels_of(recipient, frozenset(self.by_channel)):
            try:
                _quickly(self.deliver, 3, channel, recipient, text, png_path)
            except Exception as exc:  # noqa: BLE001 - one channel's failure is logged
                logger.warning(
                    "sending to %s by %s failed: %s", _name(recipient), channel, exc,
                    extra={"recipient": _name(recipient), "channel": channel},
                )  # fmt: skip


def _quickly(send, tries: int = 3, *args):
    """`send()` with quick retries of a transient failure (never of a 429: that waits)."""
    from tenacity import Retrying, retry_if_not_exception_type, stop_after_attempt, wait_exponential

    for attempt in Retrying(
        stop=stop_after_attempt(tries),
        wait=wait_exponential(multiplier=0.05, max=1),
        retry=retry_if_not_exception_type(RetryLater),
        reraise=True,
    ):
        with attempt:
            return send(*args)
    return None
