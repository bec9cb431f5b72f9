"""Chinese holidays as windows of days with an effect, for every model that can use them.

Trade around the Spring Festival slows for weeks (stocking up before, closed shops for a week,
a slow restart after) and Golden Week empties the first days of October, so a holiday is a
window, not a day: the anchor day plus days before and after. Each day of the window has its
own effect, keyed by whether it is a day off (`day_keys`), and shares what it cannot tell alone
with the other days of its status. Prophet learns the effects as holiday regressors
(`prophet_frame`); the statsforecast
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


OFF, MAKEUP, BEFORE, AFTER = "off", "makeup", "before", "after"
Key = tuple[str, str, int]


@functools.lru_cache(maxsize=32)
def _calendar(first_year: int, last_year: int) -> tuple[frozenset[date], frozenset[date]]:
    """The official days off and the make-up working days (a weekend day worked in exchange)
    of the years."""
    import holidays

    cn = holidays.China(years=list(range(first_year, last_year + 1)))
    workdays = {d for d in cn.weekend_workdays if first_year <= d.year <= last_year}
    return frozenset(cn), frozenset(workdays)


def day_keys(first: date, last: date) -> dict[date, Key]:
    """Each window day from `first` to `last` → its key: (holiday, status, position).

    What a day of a holiday window sells depends on whether it is a day off, and the days off
    move from year to year (Golden Week ran from 1 to 7 October 2024 and from 1 to 8 October
    2025; a day off can fall on a Monday one year and a Sunday the next). So the days off in a
    window (official holidays, and the weekend days joined to them) are `off`, a make-up working
    day is `makeup`, the other days are `before` or `after` the days off; the position is the
    day's distance from the anchor day. An overlap goes to the longer window."""
    keys: dict[date, Key] = {}
    for w in windows_between(first, last):
        off, start, end, workdays = _days_off(w)
        for k in range(-w.before, w.after + 1):
            d = w.day + timedelta(days=k)
            if not first <= d <= last or d in keys:
                continue
            if d in workdays:
                keys[d] = (w.name, MAKEUP, 0)
            else:
                status = OFF if d in off else BEFORE if d < start else AFTER
                keys[d] = (w.name, status, k)
    return keys


def _days_off(w: HolidayWindow) -> tuple[set[date], date, date, frozenset[date]]:
    """The window's days off (its official holidays and the weekend days joined to them), the
    first and last day of the run of them at the anchor (or nearest it; the anchor alone if the
    calendar has none), and the make-up working days around it. Another holiday's days off in
    the window (the Mid-Autumn Festival a week before Golden Week in 2026) are days off too, and
    the working days between are not."""
    days_off, workdays = _calendar(w.day.year - 1, w.day.year + 1)
    first, last = w.day - timedelta(days=w.before), w.day + timedelta(days=w.after)
    one = timedelta(days=1)

    def weekend(d: date) -> bool:
        return first <= d <= last and d.weekday() >= 5 and d not in workdays

    off = {d for d in days_off if first <= d <= last}
    for d in list(off):
        for step in (-one, one):
            e = d + step
            while weekend(e) and e not in off:
                off.add(e)
                e += step
    if not off:
        return {w.day}, w.day, w.day, workdays
    start = end = min(off, key=lambda d: (abs((d - w.day).days), d))
    while start - one in off:
        start -= one
    while end + one in off:
        end += one
    return off, start, end, workdays


def prophet_frame(first: date, last: date, extra=None):
    """Prophet's `holidays` frame: each window day from `first` to `last` under two names, its
    key's (`golden_week/off/5`) and its status's (`golden_week/off`), so Prophet learns an
    effect shared by the days of a status and each day's own departure from it (and `extra`
    rows, a frame of the same columns); None when there are none."""
    import pandas as pd

    keys = day_keys(first, last)
    days = sorted(keys)
    names = [f"{keys[d][0]}/{keys[d][1]}/{keys[d][2]}" for d in days]
    names += [f"{keys[d][0]}/{keys[d][1]}" for d in days]
    frame = pd.DataFrame(
        {
            "holiday": names,
            "ds": pd.to_datetime(days + days),
            "lower_window": 0,
            "upper_window": 0,
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
    factors: dict[tuple, float]  # by day key (holiday, status, position) and by (holiday, status)

    @classmethod
    def learn(cls, dates: list[date], values) -> HolidayAdjustment:
        """Learn from a daily series: a normal day is the mean of the non-window days within
        four weeks either side times that weekday's share. A status's factor (the days off of
        Golden Week, the days before it, ...) is what its days sold over what normal days would
        have sold, pulled toward 1 by half a normal day's mean absolute stray from its baseline;
        a window day's own factor is the same over the days of its key in the years seen, pulled
        as far toward its status's factor. A forecast day whose key was never seen takes its
        status's factor."""
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
        sums: dict[tuple, list[float]] = {}
        for i, d in enumerate(dates):
            key = keys.get(d)
            if key is not None:
                for k in (key, key[:2]):  # the day's own key and its status's
                    acc = sums.setdefault(k, [0.0, 0.0])
                    acc[0] += y[i]
                    acc[1] += baseline[i]
        # How far a normal day strays from its baseline: the evidence a window day's factor
        # is pulled by, toward its status's factor, and that toward 1.
        typical = float(np.mean(np.abs(y - baseline)[~in_window])) if (~in_window).any() else 0.0
        pull = _SHRINK * typical
        factors: dict[tuple, float] = {}
        for k, (got, base) in sums.items():
            if len(k) == 2 and base + pull > 0:
                factors[k] = (got + pull) / (base + pull)
        for k, (got, base) in sums.items():
            if len(k) == 3 and base + pull > 0:
                factors[k] = (got + pull * factors.get(k[:2], 1.0)) / (base + pull)
        return cls(np.where(in_window, baseline, y), factors)

    def factors_for(self, days: list[date]) -> list[float]:
        """The factor of each forecast day: 1 outside windows and for a holiday never seen."""
        if not self.factors or not days:
            return [1.0] * len(days)
        keys = day_keys(days[0], days[-1])
        out = []
        for d in days:
            key = keys.get(d)
            f = 1.0 if key is None else self.factors.get(key, self.factors.get(key[:2], 1.0))
            out.append(float(f))
        return out
