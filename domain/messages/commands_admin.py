"""Typed commands beyond the chat's vocabulary: the batch and admin doors of the CLI.

They run through the message bus like every other command, so the role check is the bus's
(`domain.roles`): a backtest any viewer may run, the catalogue forecast a buyer, sending a
digest and changing its schedules an admin. Their services need ports from the edges (a
forecast fitter, a notifier), so the bootstrap registers them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.messages.commands import Command


@dataclass(frozen=True)
class BacktestForecasts(Command):
    """Rolling-origin backtest (MASE against the seasonal naive) of every item with history, or
    of the SKUs given. Reads only."""

    intent: ClassVar[str] = "forecast.backtest"
    WRITE: ClassVar[bool] = False
    horizon: int = 28
    items: tuple[str, ...] | None = None
    jobs: int = -1


@dataclass(frozen=True)
class ForecastCatalogue(Command):
    """Forecast every item with history (or the SKUs given) and store the forecasts that
    reorder points read. Refitting an unchanged item is skipped, and storing the same forecast
    again changes nothing, so the batch needs no idempotency key: the bus runs it like a
    question, and it stores its results in a short transaction of its own after the fits
    (no write lock is held while fitting)."""

    intent: ClassVar[str] = "forecast.all"
    WRITE: ClassVar[bool] = False
    days: int = 30
    items: tuple[str, ...] | None = None
    jobs: int = -1


@dataclass(frozen=True)
class SendDigest(Command):
    """Build the digest of a kind now and hand it to the notifier for the recipients of that
    kind's schedules (admins when none is stored). Changes no data."""

    intent: ClassVar[str] = "digest.send"
    WRITE: ClassVar[bool] = False
    kind: str = "daily"


@dataclass(frozen=True)
class SetDigestSchedules(Command):
    """Replace the digest schedules (a JSON list of `{kind, at, to}`)."""

    intent: ClassVar[str] = "digest.schedules"
    schedules: str = ""


ADMIN_COMMANDS: dict[str, type[Command]] = {
    c.intent: c for c in (BacktestForecasts, ForecastCatalogue, SendDigest, SetDigestSchedules)
}
