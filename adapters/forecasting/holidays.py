"""Chinese holidays as windows of days with an effect, for every model that can use them.

Trade around the Spring Festival slows for weeks (stocking up before, closed shops for a week,
a slow restart after) and Golden Week empties the first days of October, so a holiday is a
window, not a day: the anchor day plus days before and after, each day of the window its own
effect. Prophet learns the effects as holiday regressors (`prophet_frame`); the statsforecast
models, which know nothing of holidays, fit on a series where the window days are replaced by
what a normal day would have sold and get the learned effect back on the window days of their
forecast (`HolidayAdjustment`).

`holidays` and numpy are imported when first used, never at CLI start.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

SPRING_FESTIVAL = "spring_festival"
GOLDEN_WEEK = "golden_week"
# (days before, days after) the anchor with an effect. The Spring Festival's anchor is the
# Chinese New Year's day; Golden Week's is 1 October.
SPRING_FESTIVAL_WINDOW = (14, 21)
GOLDEN_WEEK_WINDOW = (7, 10)
OTHER_WINDOW = (1, 2)
# Pulls a learned factor towards 1 (no effect) by this many days' worth of a normal day's
# stray from its baseline: a busy item's clear dip keeps its depth, a noisy slow item's few
# units on a holiday say little.
_SHRINK = 0.5
_LEVEL_HALF_WIDTH = 28


@dataclass(frozen=True)
class HolidayWindow:
    """A holiday's anchor day and how many days before and after it trade is affected."""

    name: str
    day: date
    before: int
    after: int


@functools.lru_cache(maxsize=32)
def cn_windows(first_year: int, last_year: int) -> tuple[HolidayWindow, ...]:
    """The CN holiday windows of the years given, the long ones first (they win an overlap)."""
    import holidays

    cn = holidays.China(years=list(range(first_year, last_year + 1)))
    long, short = [], []
    for year in range(first_year, last_year + 1):
        festival = sorted(d for d, n in cn.items() if d.year == year and "Spring Festival" in n)
        if festival:
            long.append(HolidayWindow(SPRING_FESTIVAL, festival[0], *SPRING_FESTIVAL_WINDOW))
        long.append(HolidayWindow(GOLDEN_WEEK, date(year, 10, 1), *GOLDEN_WEEK_WINDOW))
    taken = {w.day + timedelta(days=i) for w in long for i in range(-w.before, w.after + 1)}
    seen: set[tuple[str, int]] = set()
    for day, name in sorted(cn.items()):
        if day in taken or day.year < first_year or day.year > last_year:
            continue
        base = name.split(" (")[0]
        if base.startswith("Day off") or base == "Chinese New Year's Eve":
            continue  # substituted days off and the eve sit inside a window already
        if (base, day.year) in seen:
            continue  # a holiday of several days: one window from its first day
        seen.add((base, day.year))
        short.append(HolidayWindow(base, day, *OTHER_WINDOW))
    return tuple(long + short)


def windows_between(first: date, last: date) -> tuple[HolidayWindow, ...]:
    """The windows that touch the days from `first` to `last`."""
    return tuple(
        w
        for w in cn_windows(first.year - 1, last.year + 1)
        if w.day + timedelta(days=w.after) >= first and w.day - timedelta(days=w.before) <= last
    )


def day_keys(first: date, last: date) -> dict[date, tuple[str, int]]:
    """Each window day from `first` to `last` → (holiday, offset from its anchor); an overlap
    goes to the longer window."""
    keys: dict[date, tuple[str, int]] = {}
    for w in windows_between(first, last):
        for offset in range(-w.before, w.after + 1):
            day = w.day + timedelta(days=offset)
            if first <= day <= last:
                keys.setdefault(day, (w.name, offset))
    return keys


def prophet_frame(first: date, last: date, extra=None):
    """Prophet's `holidays` frame: the CN windows (and `extra` rows, a frame of the same
    columns) from `first` to `last`; None when there are none."""
    import pandas as pd

    wins = windows_between(first, last)
    frame = pd.DataFrame(
        {
            "holiday": [w.name for w in wins],
            "ds": pd.to_datetime([w.day for w in wins]),
            "lower_window": [-w.before for w in wins],
            "upper_window": [w.after for w in wins],
        }
    )
    if extra is not None and len(extra):
        frame = pd.concat([frame, extra], ignore_index=True)
    return frame if len(frame) else None


@dataclass(frozen=True)
class HolidayAdjustment:
    """What a model without holidays needs: the training series with window days replaced by
    a normal day's demand, and a factor per (holiday, offset) learned from the history."""

    clean: object  # numpy array
    factors: dict[tuple[str, int], float]

    @classmethod
    def learn(cls, dates: list[date], values) -> HolidayAdjustment:
        """Learn from a daily series: a normal day is the mean of the non-window days within
        four weeks either side times that weekday's share; a window day's factor is what was
        sold on it over what a normal day would have sold (summed over the years seen), pulled
        toward 1 by half a normal day's mean absolute stray from its baseline."""
        import numpy as np

        y = np.asarray(values, dtype=float)
        n = len(y)
        keys = day_keys(dates[0], dates[-1]) if n else {}
        if not keys:
            return cls(y, {})
        in_window = np.array([d in keys for d in dates])
        normal = np.where(in_window, 0.0, y)
        count = (~in_window).astype(float)
        csum = np.concatenate([[0.0], np.cumsum(normal)])
        ccnt = np.concatenate([[0.0], np.cumsum(count)])
        idx = np.arange(n)
        lo = np.clip(idx - _LEVEL_HALF_WIDTH, 0, n)
        hi = np.clip(idx + _LEVEL_HALF_WIDTH + 1, 0, n)
        days = ccnt[hi] - ccnt[lo]
        level = np.where(days > 0, (csum[hi] - csum[lo]) / np.maximum(days, 1), np.nan)
        if np.isnan(level).all():
            return cls(y, {})
        level = np.where(np.isnan(level), np.nanmean(level), level)
        dow = np.array([d.weekday() for d in dates])
        share = np.ones(7)
        for k in range(7):
            sel = (~in_window) & (dow == k) & (level > 0)
            if sel.any():
                share[k] = y[sel].sum() / level[sel].sum()
        share = share / share.mean() if share.mean() > 0 else np.ones(7)
        baseline = level * share[dow]
        sums: dict[tuple[str, int], list[float]] = {}
        for i, d in enumerate(dates):
            key = keys.get(d)
            if key is not None:
                acc = sums.setdefault(key, [0.0, 0.0])
                acc[0] += y[i]
                acc[1] += baseline[i]
        # How far a normal day strays from its baseline: the evidence a window day's factor
        # is pulled toward 1 by.
        typical = float(np.mean(np.abs(y - baseline)[~in_window])) if (~in_window).any() else 0.0
        factors = {
            key: (got + _SHRINK * typical) / (base + _SHRINK * typical)
            for key, (got, base) in sums.items()
            if base + _SHRINK * typical > 0
        }
        return cls(np.where(in_window, baseline, y), factors)

    def factors_for(self, days: list[date]) -> list[float]:
        """The factor of each forecast day: 1 outside windows and for a holiday never seen."""
        if not self.factors or not days:
            return [1.0] * len(days)
        keys = day_keys(days[0], days[-1])
        return [float(self.factors.get(keys.get(d), 1.0)) for d in days]
