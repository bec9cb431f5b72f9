"""Pacing sends: a burst is spread within the limit, and one key waiting never holds another."""

from __future__ import annotations

import asyncio

import pytest

from adapters.pacing import RateLimit, every
from adapters.telegram.sending import Pacing, Sender


class FakeClock:
    """A clock that only moves when someone sleeps on it (time never passes by itself)."""

    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)


def reservations(limit: RateLimit, keys) -> list[float]:
    """The waits a burst of sends to `keys`, all at the same moment, is given."""
    return [limit.reserve(key) for key in keys]


def test_one_a_second_spreads_a_burst_on_one_channel():
    clock = FakeClock()
    limit = every(1.0, clock=clock)
    assert reservations(limit, ["C1"] * 5) == [0.0, 1.0, 2.0, 3.0, 4.0]


def test_a_channel_waiting_does_not_hold_another():
    clock = FakeClock()
    limit = every(1.0, clock=clock)
    assert reservations(limit, ["C1", "C1", "C1"]) == [0.0, 1.0, 2.0]
    assert limit.reserve("C2") == 0.0
    assert limit.reserve("C2") == 1.0


def test_slots_free_up_as_time_passes():
    clock = FakeClock()
    limit = every(1.0, clock=clock)
    assert limit.reserve("C1") == 0.0
    clock.now = 5.0
    assert limit.reserve("C1") == 0.0
    clock.now = 5.25
    assert limit.reserve("C1") == pytest.approx(0.75)


def test_twenty_a_minute_lets_twenty_go_then_waits_for_the_window():
    clock = FakeClock()
    limit = RateLimit(20, 60.0, clock=clock)
    waits = reservations(limit, [-100] * 22)
    assert waits[:20] == [0.0] * 20
    assert waits[20:] == [60.0, 60.0]
    clock.now = 61.0  # the first twenty have left the window; two of the next are taken
    assert reservations(limit, [-100] * 18) == [0.0] * 18
    assert limit.reserve(-100) == pytest.approx(59.0)  # the two at 60 leave it at 120


def test_wait_sleeps_only_when_the_slot_is_later():
    clock = FakeClock()
    limit = every(0.5, clock=clock, sleep=clock.sleep)

    async def burst():
        for _ in range(3):
            await limit.wait("C1")

    asyncio.run(burst())
    assert clock.sleeps == [0.5, 1.0]


def test_a_rate_limit_needs_a_count():
    with pytest.raises(ValueError):
        RateLimit(0, 1.0)


def test_telegram_group_waits_its_minute_while_private_chats_go_on():
    clock = FakeClock()
    pacing = Pacing(
        bot=RateLimit(30, 1.0, clock=clock, sleep=clock.sleep),
        group=RateLimit(2, 60.0, clock=clock, sleep=clock.sleep),
    )

    async def burst():
        for chat in (-5, -5, -5, 42, 43):
            await pacing.wait(chat)

    asyncio.run(burst())
    assert clock.sleeps == [60.0]  # only the group's third message waited


def test_telegram_bot_wide_limit_spreads_sends_across_chats():
    clock = FakeClock()
    pacing = Pacing(bot=RateLimit(2, 1.0, clock=clock, sleep=clock.sleep))

    async def burst():
        for chat in (1, 2, 3, 4):
            await pacing.wait(chat)

    asyncio.run(burst())
    assert clock.sleeps == [1.0, 1.0]


def test_telegram_sender_paces_sends_but_not_answers_or_edits():
    clock = FakeClock()
    limit = every(1.0, clock=clock, sleep=clock.sleep)
    sender = Sender(pacing=Pacing(bot=limit))

    async def ok():
        return True

    async def calls():
        for what in ("sendMessage", "answerCallbackQuery", "editMessageText", "sendPhoto"):
            assert await sender.call(7, what, ok) is True

    asyncio.run(calls())
    assert clock.sleeps == [1.0]  # the photo after the message; the answer and edit went at once


def test_real_loop_spaces_a_burst_by_the_interval():
    limit = every(0.05)

    async def burst():
        loop = asyncio.get_running_loop()
        times = []
        for _ in range(4):
            await limit.wait("C1")
            times.append(loop.time())
        return times

    times = asyncio.run(burst())
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert all(gap >= 0.045 for gap in gaps), gaps
