"""Which model forecasts an item: chosen per item by a rolling-origin backtest among the
candidates of its kind of series, with a band calibrated on the backtest's errors.

The kind of series picks the candidates (design, "Forecast details"): under 60 days of history
→ `seasonal_mean`; more than 60 % zero days in the last 90 → `croston_sba`, `adida`, `imapa`;
otherwise `prophet` (multiplicative when the item's swings grow with its level), `auto_ets`,
`mstl` and `ensemble` (the mean of the best two). The backtest has 4 origins 28 days apart with
a 28-day horizon; the choice scores the candidates on the three older origins (mean MASE) and
the latest origin, which the choice never saw, scores the chosen model (`mase`). An item with
too little history for an older origin takes its kind's default and says so.

The band: when the chosen model's own 80 % interval held less than 75 % or more than 85 % of
the actual days at the choice's origins, its half-widths are scaled so that 80 % would have
held; a model without an interval (the intermittent ones) gets the 10th and 90th percentiles of
its errors around its forecast.

Fitters come in as a table, name → `(series, days) -> list[ForecastPoint]`; the choice needs
only the names it finds there, so a table without Prophet still chooses among the rest.
"""

from __future__ import annotations

import hashlib
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

from domain.planning.forecasting import (
    ADIDA,
    AUTO_ETS,
    CROSTON_SBA,
    ENSEMBLE,
    IMAPA,
    INTERVAL_WIDTH,
    MIN_HISTORY_DAYS,
    MSTL,
    PROPHET,
    SEASON,
    SEASONAL_MEAN,
    Fitter,
    Forecast,
    ForecastError,
    ForecastPoint,
    Series,
    check_days,
    clean_point,
    future_dates,
    naive_scale,
    seasonal_mean,
    seasonal_naive,
)

# Bump when the choice itself changes (origins, calibration, candidates), so stored choices
# are made again.
CHOICE_VERSION = "choice-1"
ORIGINS, SPACING, HORIZON = 4, 28, 28
MIN_TRAIN_DAYS = 28
INTERMITTENT_WINDOW = 90
INTERMITTENT_ZERO_SHARE = 0.60
COVERAGE_TARGET = (0.75, 0.85)
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


def _name(candidate: str) -> str:
    if candidate.startswith(ENSEMBLE + ":"):
        a, b = candidate.split(":", 1)[1].split("+")
        return f"ensemble of {_name(a)} and {_name(b)}"
    return _NAMES.get(candidate, candidate)


def as_table(fitters: FitterTable | Fitter | None) -> dict[str, Fitter]:
    """A fitter table from a table, a single fitter (taken as Prophet) or nothing."""
    if fitters is None:
        return {}
    if callable(fitters) and not isinstance(fitters, Mapping):
        return {PROPHET: fitters}
    return dict(fitters)


def choice_key(fitters: FitterTable) -> str:
    """A hash of the candidate set and every fitter's settings: a stored choice made under
    another key is made again."""
    parts = [CHOICE_VERSION]
    for name in sorted(fitters):
        key = getattr(fitters[name], "settings_key", None)
        parts.append(f"{name}={key() if callable(key) else type(fitters[name]).__name__}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


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
        return _average(
            run_candidate(a, series, days, fitters), run_candidate(b, series, days, fitters)
        )
    raw = list(fitters[candidate](series, days))
    if len(raw) != days:
        raise ValueError(f"{candidate} returned {len(raw)} points, expected {days}")
    return [
        clean_point(d, p.yhat, p.yhat_lower, p.yhat_upper) for d, p in zip(dates, raw, strict=True)
    ]


def _average(a: Sequence[ForecastPoint], b: Sequence[ForecastPoint]) -> list[ForecastPoint]:
    return [
        clean_point(
            p.date, (p.yhat + q.yhat) / 2, (p.yhat_lower + q.yhat_lower) / 2,
            (p.yhat_upper + q.yhat_upper) / 2,
        )
        for p, q in zip(a, b, strict=True)
    ]  # fmt: skip


# -- the band ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """How the stored band is made from the model's points: its half-widths times `scale`; or,
    when `lo` and `hi` are set, the 10th and 90th percentile of past actual days over the
    forecast (`relative`: lower = yhat × lo) or of past errors (lower = yhat + lo).
    `coverage` is the share of past actual days the model's own band held (None: not known)."""

    scale: float = 1.0
    lo: float | None = None
    hi: float | None = None
    relative: bool = False
    coverage: float | None = None

    def apply(self, points: Sequence[ForecastPoint]) -> list[ForecastPoint]:
        """The points with this band, clipped at zero."""
        out = []
        for p in points:
            if self.lo is not None and self.hi is not None:
                if self.relative:
                    lower, upper = p.yhat * self.lo, p.yhat * self.hi
                else:
                    lower, upper = p.yhat + self.lo, p.yhat + self.hi
            else:
                lower = p.yhat - self.scale * (p.yhat - p.yhat_lower)
                upper = p.yhat + self.scale * (p.yhat_upper - p.yhat)
            out.append(clean_point(p.date, p.yhat, lower, upper))
        return out

    def words(self) -> str:
        """What calibration did, for the reason."""
        if self.lo is not None:
            return "its band spans the 10th–90th percentile of past days around its forecast"
        if self.scale == 1.0:
            if self.coverage is None:
                return "the model's own 80 % band"
            return f"its own 80 % band held {self.coverage:.0%} of past days"
        how = "widened" if self.scale > 1 else "narrowed"
        return (
            f"its own 80 % band held {self.coverage:.0%} of past days, so it is {how} "
            f"×{self.scale:.2f}"
        )


def _percentile_band(pairs: Sequence[tuple[float, ForecastPoint]], held) -> Band:
    """The 10th–90th percentile band of past days: relative to the forecast when it was never
    zero (so it follows the level), else as plain errors."""
    tail = (1 - INTERVAL_WIDTH) / 2
    if all(p.yhat > 1e-9 for _, p in pairs):
        ratios = [a / p.yhat for a, p in pairs]
        return Band(
            lo=_quantile(ratios, tail), hi=_quantile(ratios, 1 - tail), relative=True,
            coverage=held,
        )  # fmt: skip
    errors = [a - p.yhat for a, p in pairs]
    return Band(lo=_quantile(errors, tail), hi=_quantile(errors, 1 - tail), coverage=held)


def _quantile(values: Sequence[float], q: float) -> float:
    xs = sorted(values)
    pos = q * (len(xs) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def coverage(pairs: Sequence[tuple[float, ForecastPoint]]) -> float | None:
    """The share of actual days inside their point's band."""
    if not pairs:
        return None
    inside = sum(1 for a, p in pairs if p.yhat_lower - 1e-9 <= a <= p.yhat_upper + 1e-9)
    return inside / len(pairs)


def calibrate(pairs: Sequence[tuple[float, ForecastPoint]]) -> Band:
    """The band that would have held 80 % of these `(actual, point)` pairs: the model's own
    when it held 75–85 %, else its half-widths scaled, else (no band at all) percentiles of
    the errors."""
    if not pairs:
        return Band()
    held = coverage(pairs)
    if all(p.yhat_upper - p.yhat_lower <= 1e-9 for _, p in pairs):
        return _percentile_band(pairs, held)
    low, high = COVERAGE_TARGET
    if low <= held <= high:
        return Band(coverage=held)
    ratios = []
    for a, p in pairs:
        half = p.yhat_upper - p.yhat if a >= p.yhat else p.yhat - p.yhat_lower
        gap = abs(a - p.yhat)
        ratios.append(gap / half if half > 1e-9 else (0.0 if gap <= 1e-9 else math.inf))
    if sum(1 for r in ratios if math.isinf(r)) > len(ratios) * (1 - INTERVAL_WIDTH):
        # Too many misses where the band has no width: scaling cannot reach 80 %.
        return _percentile_band(pairs, held)
    scale = _quantile([min(r, 1e6) for r in ratios], INTERVAL_WIDTH)
    return Band(scale=round(min(max(scale, 0.2), 20.0), 4), coverage=held)


# -- the choice -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """The model chosen for an item, why, its scores and its band, and under which candidate set
    (`key`) and on which history (`last_day`, `days` of history) it was made."""

    model: str
    candidate: str
    reason: str
    kind: str
    score: float | None = None
    mase: float | None = None
    mase_naive: float | None = None
    origins: int = 0
    band: Band = field(default_factory=Band)
    coverage: float | None = None
    key: str = ""
    last_day: str = ""
    scores: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict:
        """A plain dict to store."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Choice:
        """Back from `to_json`."""
        return cls(**{**data, "band": Band(**data.get("band") or {})})


@dataclass
class _Origin:
    cut: int
    actual: list[float]
    scale: float
    naive: list[float]


def _origins(series: Series, horizon: int) -> tuple[_Origin | None, list[_Origin]]:
    """The latest origin (or None) and the older origins that leave enough to train on."""
    values = [q for _, q in series]
    latest, older = None, []
    for k in range(ORIGINS):
        cut = len(series) - horizon - k * SPACING
        if cut < MIN_TRAIN_DAYS:
            continue
        scale = naive_scale(values[:cut])
        if scale is None:
            continue
        naive = [p.yhat for p in seasonal_naive(series[:cut], horizon)]
        origin = _Origin(cut, values[cut : cut + horizon], scale, naive)
        if k == 0:
            latest = origin
        else:
            older.append(origin)
    return latest, older


def _mase(origin: _Origin, points: Sequence[ForecastPoint]) -> float:
    errors = (abs(a - p.yhat) for a, p in zip(origin.actual, points, strict=True))
    return statistics.fmean(errors) / origin.scale


def _try(candidate: str, series: Series, days: int, fitters: FitterTable):
    try:
        return run_candidate(candidate, series, days, fitters)
    except Exception:  # noqa: BLE001 - a candidate that cannot fit this series just loses
        return None


def choose(
    series: Series,
    fitters: FitterTable | Fitter | None,
    last_day: str = "",
    horizon: int = HORIZON,
) -> Choice:
    """Choose the model of one item's daily series by backtest (see the module's doc);
    `last_day` is recorded with the choice, `horizon` is each origin's test span."""
    table = as_table(fitters)
    if not series:
        raise ForecastError("no sales history to forecast from", "unknown_item")
    kind, why = series_kind(series)
    key = choice_key(table)
    candidates = candidates_for(series, kind, table)
    if not candidates:
        return Choice(
            SEASONAL_MEAN, SEASONAL_MEAN,
            f"{why}; no model for this kind of series is available here: day-of-week mean instead",
            kind, key=key, last_day=last_day,
        )  # fmt: skip
    latest, older = _origins(series, horizon)
    preds: dict[str, list] = {
        c: [_try(c, series[: o.cut], horizon, table) for o in older] for c in candidates
    }
    scores = {
        c: statistics.fmean(_mase(o, p) for o, p in zip(older, ps, strict=True))
        for c, ps in preds.items()
        if ps and all(p is not None for p in ps)
    }
    if kind == REGULAR and len(scores) >= 2:
        a, b = sorted(scores, key=scores.get)[:2]
        pair = f"{ENSEMBLE}:{a}+{b}"
        preds[pair] = [_average(p, q) for p, q in zip(preds[a], preds[b], strict=True)]
        scores[pair] = statistics.fmean(
            _mase(o, p) for o, p in zip(older, preds[pair], strict=True)
        )
    band = Band()
    if scores:
        # Lowest mean MASE; on a tie the single model before the ensemble.
        best = min(scores, key=lambda c: (scores[c], c.startswith(ENSEMBLE)))
        n = len(older)
        how = f"chosen by backtest on {n} origin{'s' if n > 1 else ''}: {_name(best)} MASE "
        how += f"{scores[best]:.2f}"
        ranked = sorted(scores.items(), key=lambda i: i[1])
        others = [f"{_name(c)} {x:.2f}" for c, x in ranked if c != best]
        how += f" (against {', '.join(others)})" if others else " (the only candidate)"
        band = calibrate(
            [
                (a, p)
                for o, ps in zip(older, preds[best], strict=True)
                for a, p in zip(o.actual, ps, strict=True)
            ]
        )
    elif len(candidates) == 1:
        best = candidates[0]
        how = _name(best)
    else:
        default = DEFAULTS[kind]
        best = default if default in candidates else candidates[0]
        how = (
            f"too little history to compare models (an origin needs {MIN_TRAIN_DAYS} days "
            f"before it and {horizon} after, besides the latest {horizon} days kept for scoring): "
            f"the {kind} default, {_name(best)}"
        )
    choice = Choice(
        family(best), best, f"{why}; {how}; {band.words()}", kind,
        score=_round(scores.get(best)), origins=len(older) if scores else 0, band=band,
        key=key, last_day=last_day, scores={c: _round(s) for c, s in scores.items()},
    )  # fmt: skip
    points = None if latest is None else _try(best, series[: latest.cut], horizon, table)
    if points is not None:
        naive = [ForecastPoint(p.date, y, y, y) for p, y in zip(points, latest.naive, strict=True)]
        held = coverage(list(zip(latest.actual, band.apply(points), strict=True)))
        choice = replace(
            choice,
            mase=_round(_mase(latest, points)),
            mase_naive=_round(_mase(latest, naive)),
            coverage=_round(held),
        )
    return choice


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


# -- forecasting with a choice ----------------------------------------------------------------


def forecast_with(
    sku: str, series: Series, days: int, choice: Choice, fitters: FitterTable | Fitter | None
) -> Forecast:
    """Forecast with a made choice: its candidate's points, its band. A candidate that fails
    now (or is missing from the table) gives the day-of-week mean, and the reason says so."""
    check_days(days)
    if not series:
        raise ForecastError(f"{sku} has no sales history to forecast from", "unknown_item")
    table = as_table(fitters)
    try:
        points = run_candidate(choice.candidate, series, days, table)
    except Exception as exc:  # noqa: BLE001 - the forecast is still answered, with a fallback
        points = seasonal_mean(series, days)
        return Forecast(
            sku, SEASONAL_MEAN,
            f"{_name(choice.candidate)} could not fit ({type(exc).__name__}): day-of-week mean",
            points,
        )  # fmt: skip
    return Forecast(sku, choice.model, choice.reason, choice.band.apply(points))


def forecast_series(
    sku: str,
    series: Series,
    days: int,
    fitters: FitterTable | Fitter | None = None,
    choice: Choice | None = None,
) -> Forecast:
    """Forecast an already-built daily series `days` days ahead, choosing the model first when
    no `choice` is given."""
    check_days(days)
    if not series:
        raise ForecastError(f"{sku} has no sales history to forecast from", "unknown_item")
    if choice is None:
        choice = choose(series, fitters, series[-1][0].isoformat())
    return forecast_with(sku, series, days, choice, fitters)
