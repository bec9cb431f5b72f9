"""Pacing sends within the platforms' limits: a burst is spread out, never refused.

A `RateLimit` allows `count` sends per `per` seconds for each key (a Slack channel, a Telegram
group, or one key for a whole bot). `wait(key)` reserves the earliest slot that keeps every
window of `per` seconds at `count` sends or fewer, then sleeps until it. A reservation is
taken before sleeping, so callers need no lock, and each key has its own slots: one channel
waiting never holds another.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable


class RateLimit:
    """At most `count` sends per `per` seconds for each key."""

    def __init__(
        self,
        count: int,
        per: float,
        *,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ):
        if count < 1 or per < 0:
            raise ValueError("a rate limit needs count >= 1 and per >= 0")
        self.count = count
        self.per = per
        self._clock = clock
        self._sleep = sleep
        self._slots: dict[object, deque[float]] = {}

    def _now(self) -> float:
        return self._clock() if self._clock else asyncio.get_running_loop().time()

    def reserve(self, key: object) -> float:
        """Take the next slot for `key`; the seconds until it (0: now)."""
        now = self._now()
        slots = self._slots.setdefault(key, deque(maxlen=self.count))
        slot = now
        if len(slots) == self.count:
            # The slot `count` sends back must have left the window before this one goes.
            slot = max(now, slots[0] + self.per)
        slots.append(slot)
        self._forget(now)
        return slot - now

    async def wait(self, key: object) -> None:
        """Wait for `key`'s next slot."""
        delay = self.reserve(key)
        if delay > 0:
            await self._sleep(delay)

    def _forget(self, now: float) -> None:
        # Keys whose last slot is out of the window have nothing to remember.
        if len(self._slots) > 1024:
            for key in [k for k, s in self._slots.items() if s and s[-1] + self.per <= now]:
                del self._slots[key]


def every(seconds: float, **kwargs) -> RateLimit:
    """One send per `seconds` for each key."""
    return RateLimit(1, seconds, **kwargs)
