"""A forecast told in words: whether its days are mostly no sale, the chance of a sale in a
span, its days summed by week, and the range of a sum of days."""

from __future__ import annotations

import math

from domain.planning.forecasting import band_sd, interval_half_width


def is_sparse(points) -> bool:
    """Whether a forecast's days are mostly no sale: every day's expectation under half a unit,
    so a day-by-day list of whole units would read "0" every day."""
    return bool(points) and max(_expected(p) for p in points) < 0.5


def _get(point, key: str) -> float:
    return float(point[key] if isinstance(point, dict) else getattr(point, key))


def _expected(point) -> float:
    """The day's expected demand: its `mean` when the point was scaled toward the typical day
    (an intermittent item), else `yhat`."""
    mean = point.get("mean") if isinstance(point, dict) else getattr(point, "mean", None)
    return _get(point, "yhat") if mean is None else float(mean)


def chance_of_a_sale(expected: float) -> float:
    """The chance of at least one sale in a span whose expected demand is `expected`, taking
    sales as independent arrivals (Poisson): 1 − e^(−expected). Any model's forecast has an
    expectation, so this reads alike whatever model made it."""
    return 1 - math.exp(-max(expected, 0.0))


def weekly_totals(points) -> list[dict]:
    """The forecast summed by week from its first day: `start`, `end`, `expected`, `low`,
    `high` and `chance` (of any sale in that week); the last week may be shorter."""
    out = []
    for i in range(0, len(points), 7):
        week = points[i : i + 7]
        expected = sum(_expected(p) for p in week)
        low, high = total_range(week)
        out.append(
            {
                "start": str(_day(week[0])),
                "end": str(_day(week[-1])),
                "days": len(week),
                "expected": expected,
                "low": low,
                "high": high,
                "chance": chance_of_a_sale(expected),
            }
        )
    return out


def total_range(points) -> tuple[float, float]:
    """The 80 % range of the sum of these days: their expected total ± 1.2816 σ, where σ adds
    up each day's σ (its band's width ÷ 2 × 1.2816) as independent days do, the way safety stock
    adds up the days of a lead time; never below zero. Adding the days' bounds instead would
    have every day at its 10th percentile at once, and a lumpy item whose quiet days sell
    nothing would read "range 0–…" for a month."""
    total = sum(_expected(p) for p in points)
    sd = math.sqrt(sum(band_sd(_get(p, "yhat_lower"), _get(p, "yhat_upper")) ** 2 for p in points))
    half = interval_half_width(sd)
    return max(total - half, 0.0), total + half


def _day(point):
    return point["date"] if isinstance(point, dict) else point.date


def chance_text(chance: float) -> str:
    """A chance as a whole percentage, never a false certainty (`99 %` at most, `1 %` at least
    when there is any)."""
    pct = round(chance * 100)
    if chance > 0:
        pct = min(max(pct, 1), 99)
    return f"{pct} %"
