"""Calls to the Bot API that survive a bad moment: a 5xx or a timeout is retried with backoff, a
429 holds back that chat only (for the `retry_after` Telegram gives), and a message that cannot be
sent is logged, never raised into the update that caused it.

Messages are paced within Telegram's limits (`Pacing`): about 30 a second for the whole bot and
20 a minute in a group chat, so a burst is spread out rather than answered with 429s.

This is the one place that catches python-telegram-bot's errors.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt

from adapters.pacing import RateLimit

log = logging.getLogger(__name__)
T = TypeVar("T")
NOT_MODIFIED = "message is not modified"
BOT_PER_SECOND = 30  # messages a second for one bot, all chats together
GROUP_PER_MINUTE = 20  # messages a minute in one group chat


def _seconds(exc: RetryAfter) -> float:
    wait = exc._retry_after if hasattr(exc, "_retry_after") else exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


class Pacing:
    """Telegram's limits on sending: `bot` for the whole bot, `group` for each group chat
    (a negative chat id). A group waiting for its minute takes no slot of the bot's second,
    so private chats go on meanwhile."""

    def __init__(self, bot: RateLimit | None = None, group: RateLimit | None = None):
        self.bot = bot or RateLimit(BOT_PER_SECOND, 1.0)
        self.group = group or RateLimit(GROUP_PER_MINUTE, 60.0)

    async def wait(self, chat_id: int) -> None:
        """Wait until a message may go to `chat_id`."""
        if chat_id < 0:
            await self.group.wait(chat_id)
        await self.bot.wait(None)


class Sender:
    """Runs Bot API calls for chats, `attempts` times at most, doubling the wait from `backoff`
    seconds after a 5xx or a timeout; a 429 makes every call for that chat wait its turn.
    Sends (`what` starting "send") are paced by `pacing`; answers and edits are not."""

    def __init__(
        self,
        backoff: float = 0.5,
        attempts: int = 5,
        max_hold: float = 120.0,
        pacing: Pacing | None = None,
    ):
        self.backoff = backoff
        self.attempts = attempts
        self.max_hold = max_hold
        self.pacing = pacing or Pacing()
        self._hold: dict[int, float] = {}  # chat → loop time before which nothing goes to it

    async def document(self, bot, chat_id: int, path: str, caption=None, markup=None):
        """Send a file (a PDF) as a document (`sendDocument`, multipart), paced and retried like
        any send; None when it could not be sent (a file gone is logged)."""
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            log.error("telegram sendDocument: %s", exc, extra={"chat_id": chat_id})
            return None
        name = Path(path).name
        return await self.call(
            chat_id,
            "sendDocument",
            lambda: bot.send_document(
                chat_id, document=data, filename=name, caption=caption, reply_markup=markup
            ),
        )

    async def call(self, chat_id: int, what: str, make: Callable[[], Awaitable[T]]) -> T | None:
        """The result of `make()` (a fresh call each attempt), or None when it could not be done;
        an edit Telegram calls "not modified" is done (True)."""
        loop = asyncio.get_running_loop()
        backoffs = 0  # network errors so far: the wait after one doubles from `backoff`

        def wait(state) -> float:
            nonlocal backoffs
            if isinstance(state.outcome.exception(), RetryAfter):
                return 0.0  # the chat's hold is the wait
            backoffs += 1
            return min(self.backoff * 2 ** (backoffs - 1), 30.0)

        def warn(state) -> None:
            exc = state.outcome.exception()
            if not isinstance(exc, RetryAfter):  # 5xx, timeouts, connection errors
                log.warning(
                    "telegram %s failed (%s); retrying in %.1fs",
                    what,
                    exc,
                    state.upcoming_sleep,
                    extra={"chat_id": chat_id, "attempt": state.attempt_number},
                )

        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.attempts),
                wait=wait,
                retry=retry_if_exception_type((RetryAfter, NetworkError)),
                before_sleep=warn,
                reraise=True,
            ):
                with attempt:
                    hold = self._hold.get(chat_id, 0.0) - loop.time()
                    if hold > 0:
                        await asyncio.sleep(hold)
                    if what.startswith("send"):
                        await self.pacing.wait(chat_id)
                    try:
                        return await make()
                    except RetryAfter as exc:
                        hold = min(_seconds(exc), self.max_hold)
                        self._hold[chat_id] = max(self._hold.get(chat_id, 0.0), loop.time() + hold)
                        log.warning(
                            "telegram %s: rate limited, chat waits %.1fs",
                            what,
                            hold,
                            extra={
                                "chat_id": chat_id,
                                "attempt": attempt.retry_state.attempt_number,
                            },
                        )
                        raise
                    except BadRequest as exc:  # a NetworkError in python-telegram-bot's tree
                        if NOT_MODIFIED in str(exc).lower():
                            return True  # type: ignore[return-value]
                        log.error("telegram %s refused: %s", what, exc, extra={"chat_id": chat_id})
                        return None
                    except NetworkError:
                        raise
                    except TelegramError as exc:  # forbidden (blocked by the user), chat gone…
                        log.error("telegram %s refused: %s", what, exc, extra={"chat_id": chat_id})
                        return None
        except (RetryAfter, NetworkError) as exc:
            log.error(
                "telegram %s given up after %d attempts (%s)",
                what,
                self.attempts,
                exc,
                extra={"chat_id": chat_id},
            )
        return None
