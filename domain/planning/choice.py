"""Which model forecasts an item: chosen per item by a rolling-origin backtest among the
candidates of its kind of series (`domain.planning.candidates`), with a band calibrated on the
backtest's errors (`domain.planning.bands`).

The backtest has 4 origins 28 days apart with a 28-day horizon; the choice scores the
candidates on the three older origins (mean MASE) and the latest origin, which the choice never
saw, scores the chosen model (`mase`). An item with too little history for an older origin
takes its kind's default and says so.

A slow candidate (a fitter marked `slow`, Prophet) races: it is scored on the most recent
older origin first and kept on for the other two only while it is within `RACE_MARGIN` of the
best quick candidate there; one that falls behind is left out of the choice, and the reason
says so. On the demo and the benchmark's synthetic set this halves Prophet's fits without
changing the choice's score.

An intermittent item's daily point is also scaled toward its typical day on the same older
origins (`domain.planning.bands.point_scale`); the unscaled rate stays with each point as its
`mean`, for totals and reorder points.
"""

from __future__ import annotations

import hashlib
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace

from domain.planning.bands import Band, calibrate, coverage, point_scale, scale_points
from domain.planning.candidates import (
    DEFAULTS,
    INTERMITTENT,
    REGULAR,
    FitterTable,
    as_table,
    average_points,
    candidate_name,
    candidates_for,
    family,
    run_candidate,
    series_kind,
)
from domain.planning.forecasting import (
    ENSEMBLE,
    SEASONAL_MEAN,
    Fitter,
    Forecast,
    ForecastError,
    ForecastPoint,
    Series,
    check_days,
    naive_scale,
    seasonal_mean,
    seasonal_naive,
)

# Bump when the choice itself changes (origins, calibration, candidates), so stored choices
# are made again.
CHOICE_VERSION = "choice-3"
ORIGINS, SPACING, HORIZON = 4, 28, 28
MIN_TRAIN_DAYS = 28
# A slow candidate stays in the race while its MASE on the first origin is at most this many
# times the best quick candidate's.
RACE_MARGIN = 1.05


def is_slow(candidate: str, fitters: FitterTable) -> bool:
    """Whether a candidate's fitter says it is slow (`slow = True`, Prophet); an ensemble or
    the day-of-week mean never is."""
    return bool(getattr(fitters.get(candidate), "slow", False))


def choice_key(fitters: FitterTable) -> str:
    """A hash of the candidate set and every fitter's settings: a stored choice made under
    another key is made again."""
    parts = [CHOICE_VERSION]
    for name in sorted(fitters):
        key = getattr(fitters[name], "settings_key", None)
        parts.append(f"{name}={key() if callable(key) else type(fitters[name]).__name__}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


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
    point_scale: float = 1.0

    def finish(self, points: Sequence[ForecastPoint]) -> list[ForecastPoint]:
        """The chosen model's raw points as they are stored: the calibrated band, then the
        daily point scaled toward the typical day (intermittent items)."""
        return scale_points(self.band.apply(points), self.point_scale)

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
    score_latest: bool = True,
) -> Choice:
    """Choose the model of one item's daily series by backtest (see the module's doc);
    `last_day` is recorded with the choice, `horizon` is each origin's test span. Without
    `score_latest` the chosen model is not scored on the latest origin (`mase` stays None):
    a batch that only forecasts saves that fit."""
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
    preds, raced = _race(candidates, series, older, horizon, table)
    scores = {
        c: statistics.fmean(_mase(o, p) for o, p in zip(older, ps, strict=True))
        for c, ps in preds.items()
        if ps and all(p is not None for p in ps)
    }
    if kind == REGULAR and len(scores) >= 2:
        a, b = sorted(scores, key=scores.get)[:2]
        pair = f"{ENSEMBLE}:{a}+{b}"
        preds[pair] = [average_points(p, q) for p, q in zip(preds[a], preds[b], strict=True)]
        scores[pair] = statistics.fmean(
            _mase(o, p) for o, p in zip(older, preds[pair], strict=True)
        )
    band, k = Band(), 1.0
    if scores:
        # Lowest mean MASE; on a tie the single model before the ensemble.
        best = min(scores, key=lambda c: (scores[c], c.startswith(ENSEMBLE)))
        n = len(older)
        how = (
            f"chosen by backtest on {n} origin{'s' if n > 1 else ''}: {candidate_name(best)} MASE "
        )
        how += f"{scores[best]:.2f}"
        ranked = sorted(scores.items(), key=lambda i: i[1])
        others = [f"{candidate_name(c)} {x:.2f}" for c, x in ranked if c != best]
        how += f" (against {', '.join(others)})" if others else " (the only candidate)"
        for c, (x, rival) in raced.items():
            how += (
                f"; {candidate_name(c)} left the race after the first origin "
                f"(MASE {x:.2f} against {rival:.2f})"
            )
        pairs = [
            (a, p)
            for o, ps in zip(older, preds[best], strict=True)
            for a, p in zip(o.actual, ps, strict=True)
        ]
        band = calibrate(pairs)
        if kind == INTERMITTENT:
            k = point_scale(pairs)
            if k < 1.0:
                how += (
                    f"; its daily figure is ×{k:.2f} of its rate, nearer a typical day "
                    "(totals and reorder points use the rate)"
                )
    elif len(candidates) == 1:
        best = candidates[0]
        how = candidate_name(best)
    else:
        default = DEFAULTS[kind]
        best = default if default in candidates else candidates[0]
        how = (
            f"too little history to compare models (an origin needs {MIN_TRAIN_DAYS} days "
            f"before it and {horizon} after, besides the latest {horizon} days kept for scoring): "
            f"the {kind} default, {candidate_name(best)}"
        )
    choice = Choice(
        family(best), best, f"{why}; {how}; {band.words()}", kind,
        score=_round(scores.get(best)), origins=len(older) if scores else 0, band=band,
        key=key, last_day=last_day, scores={c: _round(s) for c, s in scores.items()},
        point_scale=k,
    )  # fmt: skip
    points = None
    if latest is not None and score_latest:
        points = _try(best, series[: latest.cut], horizon, table)
    if points is not None:
        naive = [ForecastPoint(p.date, y, y, y) for p, y in zip(points, latest.naive, strict=True)]
        points = choice.finish(points)
        held = coverage(list(zip(latest.actual, points, strict=True)))
        choice = replace(
            choice,
            mase=_round(_mase(latest, points)),
            mase_naive=_round(_mase(latest, naive)),
            coverage=_round(held),
        )
    return choice


def _race(candidates: list[str], series: Series, older: list[_Origin], horizon: int, table):
    """Each candidate's points at the older origins (None where it failed), quick candidates
    first; a slow one that falls behind on the first origin is left out, with its MASE and the
    best quick one's there (`raced`)."""
    quick = [c for c in candidates if not is_slow(c, table)]
    preds: dict[str, list] = {
        c: [_try(c, series[: o.cut], horizon, table) for o in older] for c in quick
    }
    raced: dict[str, tuple[float, float]] = {}
    for c in candidates:
        if c in preds:
            continue
        if not older:
            preds[c] = []
            continue
        first = _try(c, series[: older[0].cut], horizon, table)
        rivals = [_mase(older[0], preds[q][0]) for q in quick if preds[q][0] is not None]
        if first is not None and rivals and len(older) > 1:
            mine, best = _mase(older[0], first), min(rivals)
            if mine > RACE_MARGIN * best:
                raced[c] = (mine, best)
                continue
        preds[c] = [first] + [_try(c, series[: o.cut], horizon, table) for o in older[1:]]
    return preds, raced


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
            f"{candidate_name(choice.candidate)} could not fit ({type(exc).__name__}): day-of-week mean",
            points,
        )  # fmt: skip
    return Forecast(sku, choice.model, choice.reason, choice.finish(points))


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
