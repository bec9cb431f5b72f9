"""The one clock the program reads. It is injected; tests and `JXC_NOW` freeze or advance it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """Real time, in UTC."""

    def __init__(self, tz: str = "Asia/Shanghai"):
        self.tz = ZoneInfo(tz)

    def now(self) -> datetime:
        """The current instant, an aware UTC datetime."""
        return datetime.now(UTC)

    def today(self) -> date:
        """Today's date in the configured time zone."""
        return self.now().astimezone(self.tz).date()

    def local(self, when: datetime) -> datetime:
        """`when` shown in the configured time zone."""
        return when.astimezone(self.tz)


class FixedClock(Clock):
    """A clock that stands still until advanced (tests, demos, `JXC_NOW`)."""

    def __init__(self, at: datetime, tz: str = "Asia/Shanghai"):
        super().__init__(tz)
        if at.tzinfo is None:
            at = at.replace(tzinfo=self.tz)
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. `advance(hours=25)`."""
        self._at += timedelta(**delta)


def clock_from_setting(value: str | None, tz: str) -> Clock:
    """Build the clock from `JXC_NOW`: an ISO date (noon of that day in `tz`) or datetime."""
    if not value:
        return Clock(tz)
    value = value.strip()
    if len(value) == 10:
        d = date.fromisoformat(value)
        return FixedClock(datetime.combine(d, time(12, 0), tzinfo=ZoneInfo(tz)), tz)
    return FixedClock(datetime.fromisoformat(value), tz)
