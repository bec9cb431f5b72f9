"""Report periods: a name from the design's closed list, turned into a range of dates.

Pure: the caller passes today's date (from the clock, in the configured time zone). A `this_…`
period runs to today; a `last_…` period is the whole previous one; `last_7_days` and
`last_30_days` end today; `YYYY-MM` is that calendar month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.errors import MissingSlot

PERIODS = (
    "today",
    "this_week",
    "last_week",
    "this_month",
    "last_month",
    "this_quarter",
    "last_quarter",
    "this_year",
    "last_year",
    "last_7_days",
    "last_30_days",
)
# Not a name users type: the default of the yearly figures (turnover, KPIs, suppliers).
LAST_12_MONTHS = "last_12_months"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """A named, inclusive range of local dates."""

    name: str
    start: date
    end: date

    @property
    def days(self) -> int:
        """How many days the period spans."""
        return (self.end - self.start).days + 1

    def to_dict(self) -> dict:
        """The period as reports show it: `{"name", "start", "end"}`."""
        return {"name": self.name, "start": self.start.isoformat(), "end": self.end.isoformat()}


def _month_end(year: int, month: int) -> date:
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return nxt - timedelta(days=1)


def _quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def period_range(name: str, today: date) -> Period:
    """The dates a period name covers, measured from `today`; an unknown name is `MissingSlot`."""
    key = name.strip().lower()
    if key == "today":
        return Period(key, today, today)
    if key == "this_week":
        return Period(key, today - timedelta(days=today.weekday()), today)
    if key == "last_week":
        start = today - timedelta(days=today.weekday() + 7)
        return Period(key, start, start + timedelta(days=6))
    if key == "this_month":
        return Period(key, today.replace(day=1), today)
    if key == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return Period(key, end.replace(day=1), end)
    if key == "this_quarter":
        return Period(key, _quarter_start(today), today)
    if key == "last_quarter":
        end = _quarter_start(today) - timedelta(days=1)
        return Period(key, _quarter_start(end), end)
    if key == "this_year":
        return Period(key, date(today.year, 1, 1), today)
    if key == "last_year":
        return Period(key, date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if key == "last_7_days":
        return Period(key, today - timedelta(days=6), today)
    if key == "last_30_days":
        return Period(key, today - timedelta(days=29), today)
    if key == LAST_12_MONTHS:
        return Period(key, year_before(today), today)
    m = _MONTH.match(key)
    if m and 1 <= int(m.group(2)) <= 12:
        year, month = int(m.group(1)), int(m.group(2))
        return Period(key, date(year, month, 1), _month_end(year, month))
    raise MissingSlot(
        f"unknown period {name!r}; use one of {', '.join(PERIODS)} or YYYY-MM",
        zh=f"未知的期间 {name!r}；可用：{', '.join(PERIODS)} 或 YYYY-MM",
        suggestions=[*PERIODS, "YYYY-MM"],
    )


def year_before(end: date) -> date:
    """The first day of the twelve months that end on `end` (2026-06-15 → 2025-06-16)."""
    try:
        back = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        back = end.replace(year=end.year - 1, day=28)
    return back + timedelta(days=1)


def month_ends(period: Period) -> list[date]:
    """One date per calendar month the period touches: the month's last day, or the period's
    end for its last month. Turnover averages the stock value at these dates."""
    out = []
    year, month = period.start.year, period.start.month
    while True:
        end = _month_end(year, month)
        if end >= period.end:
            out.append(period.end)
            return out
        out.append(end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
