"""Report periods measured from today's date."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import MissingSlot
from domain.reports.periods import month_ends, period_range

WED = date(2026, 6, 17)  # a Wednesday in the second quarter


@pytest.mark.parametrize(
    ("name", "start", "end"),
    [
        ("today", "2026-06-17", "2026-06-17"),
        ("this_week", "2026-06-15", "2026-06-17"),
        ("last_week", "2026-06-08", "2026-06-14"),
        ("this_month", "2026-06-01", "2026-06-17"),
        ("last_month", "2026-05-01", "2026-05-31"),
        ("this_quarter", "2026-04-01", "2026-06-17"),
        ("last_quarter", "2026-01-01", "2026-03-31"),
        ("this_year", "2026-01-01", "2026-06-17"),
        ("last_year", "2025-01-01", "2025-12-31"),
        ("last_7_days", "2026-06-11", "2026-06-17"),
        ("last_30_days", "2026-05-19", "2026-06-17"),
        ("last_12_months", "2025-06-18", "2026-06-17"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2026-12", "2026-12-01", "2026-12-31"),
    ],
)
def test_a_period_name_becomes_dates(name, start, end):
    p = period_range(name, WED)
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)


def test_periods_across_a_year_boundary():
    jan = date(2026, 1, 5)
    assert period_range("last_month", jan).start == date(2025, 12, 1)
    assert period_range("last_quarter", jan).start == date(2025, 10, 1)
    assert period_range("last_quarter", jan).end == date(2025, 12, 31)
    monday = period_range("this_week", date(2026, 6, 15))
    assert (monday.start, monday.days) == (date(2026, 6, 15), 1)


@pytest.mark.parametrize("bad", ["next_month", "2026-13", "2026-6", ""])
def test_an_unknown_period_is_a_missing_slot(bad):
    with pytest.raises(MissingSlot):
        period_range(bad, WED)


def test_month_ends_stop_at_the_end_of_the_period():
    p = period_range("this_quarter", WED)
    assert month_ends(p) == [date(2026, 4, 30), date(2026, 5, 31), date(2026, 6, 17)]
    assert month_ends(period_range("2026-02", WED)) == [date(2026, 2, 28)]
