"""Calls to the Bot API that survive a bad moment: a 5xx or a timeout is retried with backoff, a
429 holds back that chat only (for the `retry_after` Telegram gives), and a message that cannot be
sent is logged, never raised into the update that caused it.

This is the one place that catches python-telegram-bot's errors.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

log = logging.getLogger(__name__)
T = TypeVar("T")
NOT_MODIFIED = "message is not modified"


def _seconds(exc: RetryAfter) -> float:
    wait = exc._retry_after if hasattr(exc, "_retry_after") else exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class Sender:
    """Runs Bot API calls for chats, `attempts` times at most, doubling the wait from `backoff`
    seconds after a 5xx or a timeout; a 429 makes every call for that chat wait its turn."""

    def __init__(self, backoff: float = 0.5, attempts: int = 5, max_hold: float = 120.0):
        self.backoff = backoff
        self.attempts = attempts
        self.max_hold = max_hold
        self._hold: dict[int, float] = {}  # chat → loop time before which nothing goes to it

    async def call(self, chat_id: int, what: str, make: Callable[[], Awaitable[T]]) -> T | None:
        """The result of `make()` (a fresh call each attempt), or None when it could not be done;
        an edit Telegram calls "not modified" is done (True)."""
        loop = asyncio.get_running_loop()
        delay = self.backoff
        for attempt in range(1, self.attempts + 1):
            hold = self._hold.get(chat_id, 0.0) - loop.time()
            if hold > 0:
                await asyncio.sleep(hold)
            try:
                return await make()
            except RetryAfter as exc:
                wait = min(_seconds(exc), self.max_hold)
                self._hold[chat_id] = max(self._hold.get(chat_id, 0.0), loop.time() + wait)
                log.warning(
                    "telegram %s: rate limited, chat waits %.1fs",
                    what,
                    wait,
                    extra={"chat_id": chat_id, "attempt": attempt},
                )
            except BadRequest as exc:
                if NOT_MODIFIED in str(exc).lower():
                    return True  # type: ignore[return-value]
                log.error("telegram %s refused: %s", what, exc, extra={"chat_id": chat_id})
                return None
            except NetworkError as exc:  # 5xx, timeouts, connection errors
                log.warning(
                    "telegram %s failed (%s); retrying in %.1fs",
                    what,
                    exc,
                    delay,
                    extra={"chat_id": chat_id, "attempt": attempt},
                )
                if attempt < self.attempts:
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 30.0)
            except TelegramError as exc:  # forbidden (blocked by the user), chat gone…
                log.error("telegram %s refused: %s", what, exc, extra={"chat_id": chat_id})
                return None
        log.error(
            "telegram %s given up after %d attempts",
            what,
            self.attempts,
            extra={"chat_id": chat_id},
        )
        return None
