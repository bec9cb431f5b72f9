"""Demand forecasting, the model-agnostic part: daily series, points, the day-of-week mean,
the seasonal naive and MASE.

Pure: no I/O, no numpy, no Prophet. The models (Prophet, statsforecast's) live in
``adapters.forecasting`` and come in as fitters ``(series, days) -> list[ForecastPoint]``; which
one forecasts an item is chosen by backtest in ``domain.planning.choice``.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

MAX_DAYS = 365
MIN_HISTORY_DAYS = 60
INTERMITTENT_WINDOW = 90
INTERMITTENT_ZERO_SHARE = 0.60
INTERVAL_WIDTH = 0.80
SEASON = 7

# The design's model identifiers.
PROPHET = "prophet"
AUTO_ETS = "auto_ets"
MSTL = "mstl"
ENSEMBLE = "ensemble"
CROSTON_SBA = "croston_sba"
ADIDA = "adida"
IMAPA = "imapa"
SEASONAL_MEAN = "seasonal_mean"
MODELS = (PROPHET, AUTO_ETS, MSTL, ENSEMBLE, CROSTON_SBA, ADIDA, IMAPA, SEASONAL_MEAN)

# Two-sided 80 % interval of a normal error: ± 1.2816 σ.
_Z_INTERVAL = statistics.NormalDist().inv_cdf(0.5 + INTERVAL_WIDTH / 2)


def band_sd(lower: float, upper: float) -> float:
    """The σ an 80 % band implies: its width ÷ (2 × 1.2816)."""
    return (upper - lower) / (2 * _Z_INTERVAL)


def interval_half_width(sd: float) -> float:
    """The half-width of the 80 % band of a normal error of σ `sd`: 1.2816 σ."""
    return _Z_INTERVAL * sd


def has_band(points) -> bool:
    """Whether any of the points has a band wider than its point (a model that draws no
    interval gives each band as its point)."""
    return any(p.yhat_upper - p.yhat_lower > 1e-9 for p in points)


Series = list[tuple[date, float]]


class ForecastError(ValueError):
    """A forecast cannot be made: bad horizon (``invalid_quantity``) or no history
    (``unknown_item``)."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ForecastPoint:
    """One forecast day: the point forecast, its 80 % interval and, when the point was scaled
    toward the typical day (an intermittent item, `domain.planning.bands.point_scale`), the
    expected demand `mean` that totals and reorder points use."""

    date: date
    yhat: float
    yhat_lower: float
    yhat_upper: float
    mean: float | None = None

    @property
    def expected(self) -> float:
        """The day's expected demand: `mean` when the point was scaled, else `yhat`."""
        return self.yhat if self.mean is None else self.mean


@dataclass(frozen=True)
class Forecast:
    """A forecast for one item: the model used, why, and one point per day of the horizon."""

    sku: str
    model: str
    reason: str
    points: list[ForecastPoint] = field(default_factory=list)

    def to_dict(self, places: int = 3) -> dict:
        """The design's JSON shape (plus ``reason``), dates as ``YYYY-MM-DD``."""
        return {
            "sku": self.sku,
            "model": self.model,
            "reason": self.reason,
            "points": [_point_dict(p, places) for p in self.points],
        }


def _point_dict(p: ForecastPoint, places: int) -> dict:
    out = {
        "date": p.date.isoformat(),
        "yhat": round(p.yhat, places),
        "yhat_lower": round(p.yhat_lower, places),
        "yhat_upper": round(p.yhat_upper, places),
    }
    if p.mean is not None:
        out["mean"] = round(p.mean, places)
    return out


Fitter = Callable[[Series, int], Sequence[ForecastPoint]]


def _as_date(value: date | datetime | str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(value)


def check_days(days: int) -> int:
    """Validate a forecast horizon: a whole number of days, 1 to 365."""
    if isinstance(days, bool) or not isinstance(days, int):
        raise ForecastError(f"days must be a whole number, got {days!r}", "invalid_quantity")
    if days <= 0 or days > MAX_DAYS:
        raise ForecastError(
            f"days must be between 1 and {MAX_DAYS}, got {days}", "invalid_quantity"
        )
    return days


def daily_series(
    rows: Iterable[tuple[date | datetime | str, Decimal | float | int]], last_day: date
) -> Series:
    """Sum quantities per day from the first date to ``last_day``, a day without sales being 0.

    Rows dated after ``last_day`` are left out (a forecast "as of" an earlier day). No rows up to
    ``last_day`` gives an empty list.
    """
    last_day = _as_date(last_day)
    totals: dict[date, float] = {}
    for when, qty in rows:
        day = _as_date(when)
        if day <= last_day:
            totals[day] = totals.get(day, 0.0) + float(qty)
    if not totals:
        return []
    first = min(totals)
    return [
        (first + timedelta(days=i), totals.get(first + timedelta(days=i), 0.0))
        for i in range((last_day - first).days + 1)
    ]


def future_dates(series: Series, days: int) -> list[date]:
    """The ``days`` dates after the series' last day."""
    start = series[-1][0] + timedelta(days=1)
    return [start + timedelta(days=i) for i in range(days)]


def clean_point(day: date, yhat: float, lower: float, upper: float) -> ForecastPoint:
    """Clip at zero and keep lower ≤ yhat ≤ upper (NaN counts as zero)."""

    def clean(x: float) -> float:
        x = float(x)
        return 0.0 if math.isnan(x) or x < 0 else x

    y = clean(yhat)
    return ForecastPoint(day, y, min(clean(lower), y), max(clean(upper), y))


def seasonal_mean(series: Series, days: int, weeks: int = 8) -> list[ForecastPoint]:
    """Day-of-week mean of the last ``weeks`` weeks, with an 80 % interval from the pooled
    deviation of each day from its weekday mean."""
    recent = series[-weeks * SEASON :]
    by_dow: dict[int, list[float]] = {}
    for day, q in recent:
        by_dow.setdefault(day.weekday(), []).append(q)
    overall = statistics.fmean(q for _, q in recent)
    means = {dow: statistics.fmean(qs) for dow, qs in by_dow.items()}
    residuals = [q - means[day.weekday()] for day, q in recent]
    sd = statistics.stdev(residuals) if len(residuals) > 1 else 0.0
    points = []
    for day in future_dates(series, days):
        qs = by_dow.get(day.weekday())
        yhat = means.get(day.weekday(), overall)
        # The mean of n observations is itself uncertain: widen by √(1 + 1/n).
        spread = _Z_INTERVAL * sd * math.sqrt(1 + 1 / len(qs) if qs else 2)
        points.append(clean_point(day, yhat, yhat - spread, yhat + spread))
    return points


def seasonal_naive(series: Series, days: int) -> list[ForecastPoint]:
    """Repeat the last week (lag-7 seasonal naive), the benchmark of the backtest."""
    last_week = [q for _, q in series[-SEASON:]]
    return [
        clean_point(day, last_week[i % len(last_week)], 0.0, 0.0)
        for i, day in enumerate(future_dates(series, days))
    ]


def mase(
    actual: Sequence[float], predicted: Sequence[float], insample: Sequence[float], m: int = SEASON
) -> float | None:
    """Mean absolute scaled error: MAE of the forecast ÷ in-sample MAE of the lag-``m`` naive.

    ``None`` when the scale is zero or undefined (a flat or too-short training series).
    """
    if len(actual) != len(predicted) or not actual:
        raise ValueError("actual and predicted must be non-empty and of the same length")
    scale = naive_scale(insample, m)
    if scale is None:
        return None
    mae = statistics.fmean(abs(a - p) for a, p in zip(actual, predicted, strict=True))
    return mae / scale


def naive_scale(insample: Sequence[float], m: int = SEASON) -> float | None:
    """The in-sample MAE of the lag-``m`` seasonal naive, MASE's denominator; ``None`` when it
    is zero or undefined."""
    if len(insample) <= m:
        return None
    scale = statistics.fmean(abs(insample[t] - insample[t - m]) for t in range(m, len(insample)))
    return scale or None


@dataclass(frozen=True)
class BacktestResult:
    """Mean MASE over the origins used, of the model and of the lag-7 seasonal naive."""

    mase: float | None
    mase_naive: float | None
    origins: int


def backtest(
    series: Series,
    fit_fn: Callable[[Series, int], Sequence[ForecastPoint | float]],
    origins: int = 4,
    spacing: int = 28,
    horizon: int = 28,
) -> BacktestResult:
    """Rolling-origin backtest: cut the series at ``origins`` points ``spacing`` days apart (the
    last leaves exactly ``horizon`` days to test), fit on what lies before, score the next
    ``horizon`` days. Each origin is scaled by the in-sample MAE of the lag-7 seasonal naive on
    its own training part; origins with too little training (< 2 weeks) or a zero scale are
    skipped. ``fit_fn(train, horizon)`` returns points or plain numbers.
    """
    values = [q for _, q in series]
    model_scores: list[float] = []
    naive_scores: list[float] = []
    used = 0
    for k in range(origins):
        cut = len(series) - horizon - k * spacing
        if cut < 2 * SEASON:
            continue
        train, actual = series[:cut], values[cut : cut + horizon]
        insample = values[:cut]
        predicted = [
            p.yhat if isinstance(p, ForecastPoint) else float(p) for p in fit_fn(train, horizon)
        ]
        naive = [p.yhat for p in seasonal_naive(train, horizon)]
        score = mase(actual, predicted, insample)
        score_naive = mase(actual, naive, insample)
        if score is None or score_naive is None:
            continue
        used += 1
        model_scores.append(score)
        naive_scores.append(score_naive)
    if not used:
        return BacktestResult(None, None, 0)
    return BacktestResult(statistics.fmean(model_scores), statistics.fmean(naive_scores), used)
