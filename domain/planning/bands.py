"""The band of a chosen model's forecast, calibrated on the backtest's errors, and the scale of
an intermittent item's daily point.

When the model's own 80 % interval held less than 75 % or more than 85 % of the actual days at
the choice's origins, its half-widths are scaled so that 80 % would have held; a model without
an interval (the intermittent ones) gets the 10th and 90th percentiles of its errors around its
forecast.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from domain.planning.forecasting import INTERVAL_WIDTH, ForecastPoint, clean_point, has_band

COVERAGE_TARGET = (0.75, 0.85)
# How far an intermittent item's daily point may be scaled toward the typical day.
POINT_SCALE_FLOOR = 0.5


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
    if not has_band([p for _, p in pairs]):
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


def point_scale(pairs: Sequence[tuple[float, ForecastPoint]]) -> float:
    """The factor k on the forecast that would have erred least in absolute terms on these
    `(actual, point)` pairs (the weighted median of actual ÷ forecast, weighted by the
    forecast), between `POINT_SCALE_FLOOR` and 1.

    An item that sells on few days has a typical day far below its average rate: the absolute
    error (MASE's) is smallest at the median of a day's demand, not at its mean. The chosen
    model's rate is its mean; scaling the daily point by k moves it toward the median, never
    below half the rate, while totals and reorder points keep the rate.
    """
    weighted = sorted((a / p.yhat, p.yhat) for a, p in pairs if p.yhat > 1e-9)
    if not weighted:
        return 1.0
    half, seen = sum(w for _, w in weighted) / 2, 0.0
    for ratio, weight in weighted:
        seen += weight
        if seen >= half:
            return round(min(max(ratio, POINT_SCALE_FLOOR), 1.0), 4)
    return 1.0


def scale_points(points: Sequence[ForecastPoint], k: float) -> list[ForecastPoint]:
    """The points with `yhat` scaled by k (kept inside its band) and the unscaled `yhat` kept
    as `mean`; k = 1 leaves them as they are."""
    if k == 1.0:
        return list(points)
    return [
        ForecastPoint(
            p.date, min(max(p.yhat * k, p.yhat_lower), p.yhat_upper), p.yhat_lower, p.yhat_upper,
            p.expected,
        )
        for p in points
    ]  # fmt: skip
