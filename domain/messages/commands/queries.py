"""Questions answered elsewhere (forecasts, reports, prices, credit, the digest) and help."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from domain.errors import BadRequest
from domain.messages.codec import Text
from domain.messages.commands.base import Command
from domain.messages.commands.slots import Days

MIN_YEAR, MAX_YEAR = 1900, 2999
"""The years a report's month may name (dates a year away stay inside what dates can hold)."""


class PeriodKind(Text):
    """A report's period: text, and a month (`YYYY-MM`) from `MIN_YEAR` to `MAX_YEAR`."""

    def check(self, name, value):
        super().check(name, value)
        month = (value or "").strip()
        if len(month) == 7 and month[4] == "-" and month[:4].isdigit():
            if not MIN_YEAR <= int(month[:4]) <= MAX_YEAR:
                raise BadRequest(
                    f"period {month}: a month from {MIN_YEAR} to {MAX_YEAR}, as YYYY-MM",
                    zh=f"期间 {month}：月份须在 {MIN_YEAR} 至 {MAX_YEAR} 年之间（YYYY-MM）",
                )
        return value


Period = Annotated[str, PeriodKind()]


@dataclass(frozen=True)
class Forecast(Command):
    """Forecast an item's demand."""

    intent: ClassVar[str] = "forecast"
    WRITE: ClassVar[bool] = False
    REQUIRED: ClassVar[tuple[str, ...]] = ("item",)
    item: str = ""
    days: Days | None = None


@dataclass(frozen=True)
class Report(Command):
    """Run a named report."""

    intent: ClassVar[str] = "report"
    WRITE: ClassVar[bool] = False
    REQUIRED: ClassVar[tuple[str, ...]] = ("name",)
    name: str = ""
    period: Period | None = None


@dataclass(frozen=True)
class QueryPrice(Command):
    """Ask an item's list price and availability, and with a customer the net price of their
    latest order line for it."""

    intent: ClassVar[str] = "price.query"
    WRITE: ClassVar[bool] = False
    REQUIRED: ClassVar[tuple[str, ...]] = ("item",)
    item: str = ""
    customer: str | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class QueryBalance(Command):
    """Ask a partner's credit line: limit, exposure and what is left."""

    intent: ClassVar[str] = "partner.balance"
    WRITE: ClassVar[bool] = False
    REQUIRED: ClassVar[tuple[str, ...]] = ("partner",)
    partner: str = ""


@dataclass(frozen=True)
class QueryDigest(Command):
    """Ask for the digest now (daily by default): the text and chart the scheduled one sends."""

    intent: ClassVar[str] = "digest"
    WRITE: ClassVar[bool] = False
    kind: str | None = None


@dataclass(frozen=True)
class Help(Command):
    """What the user may do, with examples."""

    intent: ClassVar[str] = "help"
    WRITE: ClassVar[bool] = False
