"""The candidate models of a forecast: which models a kind of series chooses among, what each
is called, and running one (an ensemble averages its two members).

The kind of series picks the candidates (design, "Forecast details"): under 60 days of history
→ `seasonal_mean`; more than 60 % zero days in the last 90 → `croston_sba`, `adida`, `imapa`;
otherwise `prophet` (multiplicative when the item's swings grow with its level), `auto_ets`,
`mstl` and `ensemble` (the mean of the best two).

Fitters come in as a table, name → `(series, days) -> list[ForecastPoint]`; only the names
found there are candidates, so a table without Prophet still chooses among the rest.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence

from domain.planning.forecasting import (
    ADIDA,
    AUTO_ETS,
    CROSTON_SBA,
    ENSEMBLE,
    IMAPA,
    MIN_HISTORY_DAYS,
    MSTL,
    PROPHET,
    SEASON,
    SEASONAL_MEAN,
    Fitter,
    ForecastPoint,
    Series,
    clean_point,
    future_dates,
    has_band,
    seasonal_mean,
)

INTERMITTENT_WINDOW = 90
INTERMITTENT_ZERO_SHARE = 0.60
# A candidate of the prophet family, fitted with multiplicative seasonality and holidays.
PROPHET_MULTIPLICATIVE = "prophet_multiplicative"

REGULAR, INTERMITTENT, SHORT = "regular", "intermittent", "short"
CANDIDATES: dict[str, tuple[str, ...]] = {
    REGULAR: (PROPHET, AUTO_ETS, MSTL),
    INTERMITTENT: (CROSTON_SBA, ADIDA, IMAPA),
    SHORT: (SEASONAL_MEAN,),
}
DEFAULTS = {REGULAR: AUTO_ETS, INTERMITTENT: CROSTON_SBA, SHORT: SEASONAL_MEAN}
_FAMILY = {PROPHET_MULTIPLICATIVE: PROPHET}
_NAMES = {
    PROPHET: "Prophet",
    PROPHET_MULTIPLICATIVE: "Prophet (multiplicative)",
    SEASONAL_MEAN: "day-of-week mean",
}

FitterTable = Mapping[str, Fitter]


def family(candidate: str) -> str:
    """The design's model identifier of a candidate (`prophet_multiplicative` → `prophet`,
    `ensemble:auto_ets+mstl` → `ensemble`)."""
    if candidate.startswith(ENSEMBLE):
        return ENSEMBLE
    return _FAMILY.get(candidate, candidate)


def candidate_name(candidate: str) -> str:
    if candidate.startswith(ENSEMBLE + ":"):
        a, b = candidate.split(":", 1)[1].split("+")
        return f"ensemble of {candidate_name(a)} and {candidate_name(b)}"
    return _NAMES.get(candidate, candidate)


def as_table(fitters: FitterTable | Fitter | None) -> dict[str, Fitter]:
    """A fitter table from a table, a single fitter (taken as Prophet) or nothing."""
    if fitters is None:
        return {}
    if callable(fitters) and not isinstance(fitters, Mapping):
        return {PROPHET: fitters}
    return dict(fitters)


# -- the kind of series -----------------------------------------------------------------------


def series_kind(series: Series) -> tuple[str, str]:
    """`short`, `intermittent` or `regular`, and why in words."""
    n = len(series)
    if n < MIN_HISTORY_DAYS:
        return SHORT, f"only {n} days of history (under {MIN_HISTORY_DAYS})"
    recent = [q for _, q in series[-INTERMITTENT_WINDOW:]]
    zero_share = sum(1 for q in recent if q == 0) / len(recent)
    if zero_share > INTERMITTENT_ZERO_SHARE:
        return INTERMITTENT, (
            f"intermittent demand: {zero_share:.0%} of the last {len(recent)} days had no sales "
            f"(over {INTERMITTENT_ZERO_SHARE:.0%})"
        )
    return REGULAR, (
        f"regular demand: {n} days of history, {zero_share:.0%} zero days in the last {len(recent)}"
    )


def swings_grow_with_level(series: Series, weeks: int = 52) -> bool:
    """Whether the day-to-day swing within a week grows in proportion to the week's level (the
    slope of log spread on log level over the last `weeks` weeks is over 0.75, with levels that
    differ by half or more): then seasonality and holidays are better multiplicative."""
    values = [q for _, q in series[-weeks * SEASON :]]
    start = len(values) % SEASON
    levels, spreads = [], []
    for i in range(start, len(values) - SEASON + 1, SEASON):
        week = values[i : i + SEASON]
        mean = statistics.fmean(week)
        sd = statistics.pstdev(week)
        if mean > 0 and sd > 0:
            levels.append(math.log(mean))
            spreads.append(math.log(sd))
    if len(levels) < 8 or max(levels) - min(levels) < math.log(1.5):
        return False
    mx, my = statistics.fmean(levels), statistics.fmean(spreads)
    sxx = sum((x - mx) ** 2 for x in levels)
    slope = sum((x - mx) * (y - my) for x, y in zip(levels, spreads, strict=True)) / sxx
    return slope > 0.75


def candidates_for(series: Series, kind: str, fitters: FitterTable) -> list[str]:
    """The candidates of the kind that the table can fit (the day-of-week mean always)."""
    out = []
    for name in CANDIDATES[kind]:
        if name == PROPHET and swings_grow_with_level(series):
            name = PROPHET_MULTIPLICATIVE if PROPHET_MULTIPLICATIVE in fitters else PROPHET
        if name == SEASONAL_MEAN or name in fitters:
            out.append(name)
    return out


# -- running a candidate ----------------------------------------------------------------------


def run_candidate(
    candidate: str, series: Series, days: int, fitters: FitterTable
) -> list[ForecastPoint]:
    """The candidate's points for the `days` days after the series (an ensemble averages its
    two members), dated, clipped at zero and ordered."""
    dates = future_dates(series, days)
    if candidate == SEASONAL_MEAN:
        return seasonal_mean(series, days)
    if candidate.startswith(ENSEMBLE + ":"):
        a, b = candidate.split(":", 1)[1].split("+")
        return average_points(
            run_candidate(a, series, days, fitters), run_candidate(b, series, days, fitters)
        )
    raw = list(fitters[candidate](series, days))
    if len(raw) != days:
        raise ValueError(f"{candidate} returned {len(raw)} points, expected {days}")
    return [
        clean_point(d, p.yhat, p.yhat_lower, p.yhat_upper) for d, p in zip(dates, raw, strict=True)
    ]


def average_points(a: Sequence[ForecastPoint], b: Sequence[ForecastPoint]) -> list[ForecastPoint]:
    """The mean of two forecasts, day by day, with the mean of their bands; when either has no
    band (Prophet as the choice fits it, the intermittent models), the mean has none either and
    gets its band from the backtest's percentiles like them: half of one member's band is no
    band of the ensemble's."""
    banded = has_band(a) and has_band(b)
    out = []
    for p, q in zip(a, b, strict=True):
        y = (p.yhat + q.yhat) / 2
        lower = (p.yhat_lower + q.yhat_lower) / 2 if banded else y
        upper = (p.yhat_upper + q.yhat_upper) / 2 if banded else y
        out.append(clean_point(p.date, y, lower, upper))
    return out
