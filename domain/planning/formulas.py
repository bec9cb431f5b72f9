"""The inventory formulas of the course: safety stock, reorder point, EOQ, ABC and turnover.

Pure functions. Statistics (means, deviations, z values, safety stock, EOQ) are floats: they are
estimates, not amounts of money. Money in (sales values, COGS, stock values) stays ``Decimal``.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from decimal import ROUND_CEILING, Decimal
from statistics import NormalDist

Number = float | int | Decimal

# How many times a year each ABC class is counted (cycle counting): A monthly, B quarterly, C yearly.
COUNT_FREQUENCY: dict[str, int] = {"A": 12, "B": 4, "C": 1}

ABC_A_LIMIT = 0.80
ABC_B_LIMIT = 0.95


def z_for_service_level(p: Number) -> float:
    """Return z, the inverse standard normal of the cycle service level ``p`` (0.95 → 1.645).

    Raises ``ValueError`` unless 0 < p < 1.
    """
    p = float(p)
    if not 0.0 < p < 1.0:
        raise ValueError(f"service level must be between 0 and 1 (exclusive), got {p}")
    return NormalDist().inv_cdf(p)


def safety_stock(z: Number, sigma_daily: Number, lead_time_days: Number) -> float:
    """Safety stock ``SS = z × σ_daily × √lead time`` (σ the sample sd of daily demand)."""
    lead_time = float(lead_time_days)
    if lead_time < 0:
        raise ValueError(f"lead time cannot be negative, got {lead_time_days}")
    if float(sigma_daily) < 0:
        raise ValueError(f"standard deviation cannot be negative, got {sigma_daily}")
    return float(z) * float(sigma_daily) * math.sqrt(lead_time)


def reorder_point(mean_daily: Number, lead_time_days: Number, ss: Number) -> float:
    """Reorder point ``ROP = mean daily demand × lead time + SS``.

    Unrounded (a statistic; JSON shows it as a number). Shown to people in an item's counted unit
    it rounds UP to a whole unit (121.312 → 122: stock of 121 is already below the point), see
    ``domain.numbers.qty_display(..., up=True)``.
    """
    if float(lead_time_days) < 0:
        raise ValueError(f"lead time cannot be negative, got {lead_time_days}")
    return float(mean_daily) * float(lead_time_days) + float(ss)


def eoq(annual_demand: Number, order_cost: Number, holding_cost_per_unit_year: Number) -> float:
    """Economic order quantity ``EOQ = √(2DS/H)``.

    ``annual_demand`` D in units a year, ``order_cost`` S per order, ``holding_cost_per_unit_year``
    H (for the design's settings: unit cost × holding % ÷ 100). Zero demand gives 0; H must be > 0.
    Unrounded; an order of counted units rounds it UP to a whole unit (795.2 → 796), as
    ``suggested_order_qty`` and ``domain.numbers.qty_display(..., up=True)`` do.
    """
    d, s, h = float(annual_demand), float(order_cost), float(holding_cost_per_unit_year)
    if d < 0 or s < 0:
        raise ValueError("annual demand and order cost cannot be negative")
    if h <= 0:
        raise ValueError(f"holding cost must be positive, got {holding_cost_per_unit_year}")
    return math.sqrt(2.0 * d * s / h)


def suggested_order_qty(eoq: Number, moq: Number) -> Decimal:
    """The quantity a reorder alert suggests: ``max(EOQ, MOQ)``, EOQ rounded up to a whole unit."""
    whole_eoq = Decimal(str(float(eoq))).to_integral_value(rounding=ROUND_CEILING)
    moq_dec = moq if isinstance(moq, Decimal) else Decimal(str(moq))
    return max(whole_eoq, moq_dec)


def demand_stats(daily_qty: Sequence[Number]) -> tuple[float, float]:
    """Mean and sample standard deviation of daily demand (zero days must be included).

    One day gives a deviation of 0. No days at all is a ``ValueError``: an item without demand
    history has no reorder point.
    """
    values = [float(q) for q in daily_qty]
    if not values:
        raise ValueError("no demand history")
    mean = statistics.fmean(values)
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return mean, sd


def abc_classes(rows: Iterable[tuple[str, Decimal]]) -> list[dict]:
    """Rank items by value (descending, then SKU) and class them A, B or C.

    An item is A while the cumulative share *before* it is < 80 %, B while it is < 95 %, C after.
    Each row: ``{"sku", "class", "value" (Decimal), "share", "cum_share"}``; ``share`` is the item's
    own fraction 0–1 and ``cum_share`` the cumulative fraction including it (floats). When the total
    is zero every item is C with share 0. See ``COUNT_FREQUENCY`` for the counts a year per class.
    """
    ranked = sorted(
        (
            (sku, value if isinstance(value, Decimal) else Decimal(str(value)))
            for sku, value in rows
        ),
        key=lambda r: (-r[1], r[0]),
    )
    total = sum((value for _, value in ranked), Decimal(0))
    result: list[dict] = []
    cum = Decimal(0)
    for sku, value in ranked:
        if total > 0:
            before = float(cum / total)
            cum += value
            share, cum_share = float(value / total), float(cum / total)
            cls = "A" if before < ABC_A_LIMIT else "B" if before < ABC_B_LIMIT else "C"
        else:
            share = cum_share = 0.0
            cls = "C"
        result.append(
            {"sku": sku, "class": cls, "value": value, "share": share, "cum_share": cum_share}
        )
    return result


def count_frequency(abc_class: str) -> int:
    """How many times a year an item of the given ABC class is counted (A 12, B 4, C 1)."""
    try:
        return COUNT_FREQUENCY[abc_class]
    except KeyError:
        raise ValueError(f"unknown ABC class {abc_class!r}") from None


def turnover(
    cogs: Number, month_end_values: Sequence[Number]
) -> tuple[Decimal | None, Decimal | None]:
    """Inventory turnover = COGS ÷ average of the month-end stock values; days = 365 ÷ turnover.

    Returns ``(turnover, days_of_inventory)`` as unrounded Decimals. With an average stock value
    of zero both are ``None`` (nothing to turn); with zero COGS the days are ``None`` (stock that
    never moves). No month-end values at all is a ``ValueError``.
    """
    values = [v if isinstance(v, Decimal) else Decimal(str(v)) for v in month_end_values]
    if not values:
        raise ValueError("turnover needs at least one month-end stock value")
    cogs_dec = cogs if isinstance(cogs, Decimal) else Decimal(str(cogs))
    average = sum(values, Decimal(0)) / len(values)
    if average <= 0:
        return None, None
    ratio = cogs_dec / average
    days = Decimal(365) / ratio if ratio > 0 else None
    return ratio, days
