"""Two years of made-up daily sales for the demo items, deterministic for a given seed.

What makes it look like a small hardware and packaging wholesaler in China: weekends are quiet,
each category has its season (building work in spring and autumn, packaging before the year-end
shopping peak), trade nearly stops over the Spring Festival and Golden Week, a few slow items sell
on only some days, and one new item has only about 45 days of history.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import NamedTuple

ITEMS_CSV = Path(__file__).parent / "demo_data" / "items.csv"
CUSTOMERS = ("ACME", "BETA", "GREEN", "SUNRISE", "MEILIN", "XINDA")
HISTORY_DAYS = 730
DEFAULT_SEED = 20240601
COUNTED_UOMS = {"pcs", "pair", "roll", "box", "set", "台"}

# Units a normal weekday, and the pack size orders are usually a multiple of.
BASE_DEMAND: dict[str, tuple[float, int]] = {
    "M6-20": (600, 100),
    "M6-NUT": (600, 100),
    "M8-30": (300, 50),
    "M8-NUT": (300, 50),
    "WASHER-6": (1000, 100),
    "SCREW-4": (800, 100),
    "ANCHOR-8": (120, 10),
    "RIVET-4": (500, 100),
    "TAPE-48": (150, 6),
    "TAPE-DS": (25, 1),
    "BOX-S": (80, 10),
    "BOX-M": (250, 10),
    "BOX-L": (25, 5),
    "BUBBLE-1": (1.5, 1),
    "STRETCH-50": (3, 1),
    "LABEL-100": (8, 1),
    "GLOVE-L": (40, 10),
    "GLOVE-N": (2, 1),
    "MASK-N95": (1.5, 1),
    "TAPE-M5": (6, 1),
    "HAMMER": (3, 1),
    "PLIERS": (3, 1),
    "CABLE-TIE": (30, 5),
    "WIRE-2.5": (300, 100),
    "GLUE-AB": (8, 1),
    "PAINT-W": (80, 5),
}
# Slow movers that sell on only some days: (chance of any order on a weekday, typical order).
INTERMITTENT: dict[str, tuple[float, int]] = {
    "DRILL-18V": (0.12, 2),
    "GRINDER": (0.10, 2),
    "HELMET": (0.15, 10),
    "STRAP-16": (0.18, 3),
}
# The shop's size: the weekday units above are scaled by this. Eight weeks of shipments (the
# demo's played past, unpaid while the ledger keeps no money) then stay within about 60 % of
# each customer's credit limit, so a newcomer's first orders are not held for credit.
VOLUME = 0.25
NEW_ITEM, NEW_ITEM_DAYS = "GLUE-AB", 45
ORDER_RATE = 0.35  # chance a customer with affinity 1 orders a regular item on a normal weekday

# How much each customer buys of each category (0 = never).
AFFINITY: dict[str, dict[str, float]] = {
    "ACME": {},  # a general trader: 1.0 everywhere
    "BETA": {"packaging": 1.5, "safety": 0.6, "default": 0.2},
    "GREEN": {"chemicals": 1.5, "fasteners": 0.6, "tools": 0.6, "electrical": 0.3, "default": 0.2},
    "SUNRISE": {"fasteners": 1.5, "safety": 1.2, "tools": 1.2, "packaging": 0.1, "default": 0.8},
    "MEILIN": {"packaging": 1.5, "default": 0.0},
    "XINDA": {"electrical": 1.0, "tools": 0.6, "default": 0.4},
}
CUSTOMER_DISCOUNT = {"SUNRISE": Decimal("0.05"), "ACME": Decimal("0.03")}
WEEKDAY_FACTOR = (1.10, 1.05, 1.00, 1.05, 1.10, 0.45, 0.20)  # Monday .. Sunday


class HistoryRow(NamedTuple):
    """One line of sales history, the shape of ``jxc import sales_history``."""

    date: date
    sku: str
    qty: Decimal
    customer: str
    unit_price: Decimal


def read_items(path: Path = ITEMS_CSV) -> list[dict[str, str]]:
    """The demo items (sku, uom, category, unit_price, …) as dicts."""
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _spring_festivals(years: Iterable[int]) -> list[date]:
    import holidays

    days = []
    for year in years:
        cn = holidays.China(years=year)
        festival = sorted(
            d for d, n in cn.items() if "Spring Festival" in n and "observed" not in n
        )
        if festival:
            days.append(festival[0])
    return days


def _holiday_factors(first: date, last: date) -> dict[date, float]:
    """Multipliers for the days around the Spring Festival, Golden Week and other CN holidays."""
    import holidays

    years = range(first.year - 1, last.year + 2)
    factors: dict[date, float] = {}
    for day in holidays.China(years=list(years)):
        factors[day] = 0.3
    for festival in _spring_festivals(years):
        for offset in range(-14, 22):
            if offset < -7:
                f = 1.15  # stocking up before the holiday
            elif offset < -1:
                f = 0.6
            elif offset < 7:
                f = 0.03  # most customers closed
            elif offset < 15:
                f = 0.5
            else:
                f = 0.8
            factors[festival + timedelta(days=offset)] = f
    for year in years:
        for offset in range(-7, 7):
            day = date(year, 10, 1) + timedelta(days=offset)
            factors[day] = 1.1 if offset < 0 else 0.15  # Golden Week
    return factors


def _season(category: str, day: date) -> float:
    doy = day.timetuple().tm_yday
    if category == "packaging":  # year-end shopping peak
        return 1 + 0.25 * math.cos(2 * math.pi * (doy - 320) / 365)
    if category == "safety":
        return 1 + 0.10 * math.cos(2 * math.pi * (doy - 200) / 365)
    # Building work: peaks in April and October, quiet in high summer and winter.
    return 1 + 0.15 * math.cos(4 * math.pi * (doy - 105) / 365)


def _affinity(customer: str, category: str) -> float:
    table = AFFINITY[customer]
    return table.get(category, table.get("default", 1.0))


def _quantity(rng: random.Random, mean: float, pack: int, uom: str) -> Decimal:
    raw = mean * rng.lognormvariate(-0.125, 0.5)  # mean-preserving spread
    if uom in COUNTED_UOMS or rng.random() < 0.7:
        packs = max(1, round(raw / pack))
        return Decimal(packs * pack)
    # Weighed or cut to length: up to 3 decimals.
    return Decimal(str(max(0.5, raw))).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _price(rng: random.Random, list_price: Decimal, customer: str) -> Decimal:
    discount = CUSTOMER_DISCOUNT.get(customer, Decimal(0))
    roll = rng.random()
    if roll < 0.03:
        discount += Decimal(rng.randint(10, 15)) / 100  # clearance or a big order
    elif roll < 0.10:
        discount += Decimal(rng.randint(3, 8)) / 100
    step = Decimal("0.001") if list_price < 1 else Decimal("0.01")
    return (list_price * (1 - discount)).quantize(step, rounding=ROUND_HALF_UP)


def generate_history(
    last_day: date, seed: int = DEFAULT_SEED, items: list[dict[str, str]] | None = None
) -> list[HistoryRow]:
    """Daily sales rows for the two years ending at ``last_day`` (inclusive), sorted by date.

    The same ``last_day`` and ``seed`` always give the same rows.
    """
    items = read_items() if items is None else items
    first = last_day - timedelta(days=HISTORY_DAYS - 1)
    holiday = _holiday_factors(first, last_day)
    rows: list[HistoryRow] = []
    for item in items:
        sku, category, uom = item["sku"], item["category"], item["uom"]
        list_price = Decimal(item["unit_price"])
        # One generator per item: adding an item does not change the others' history.
        rng = random.Random(f"{seed}:{sku}")
        start = last_day - timedelta(days=NEW_ITEM_DAYS - 1) if sku == NEW_ITEM else first
        weights = {c: _affinity(c, category) for c in CUSTOMERS}
        if sku in INTERMITTENT:
            chance, typical = INTERMITTENT[sku]
            mean_daily, pack = None, 1
        else:
            mean_daily, pack = BASE_DEMAND.get(sku, (5, 1))
            mean_daily *= VOLUME
        day = start
        while day <= last_day:
            years_in = (day - first).days / 365
            f = (
                WEEKDAY_FACTOR[day.weekday()]
                * _season(category, day)
                * holiday.get(day, 1.0)
                * (1 + 0.08 * years_in)
            )
            for customer, w in weights.items():
                if w <= 0:
                    continue
                if mean_daily is None:
                    p = chance * f * w / sum(weights.values())
                    size = typical
                else:
                    p = ORDER_RATE * w * f
                    size = mean_daily / (ORDER_RATE * sum(weights.values()))
                if rng.random() < min(p, 0.95):
                    qty = _quantity(rng, size, pack, uom)
                    rows.append(
                        HistoryRow(day, sku, qty, customer, _price(rng, list_price, customer))
                    )
            day += timedelta(days=1)
    rows.sort(key=lambda r: (r.date, r.sku, r.customer))
    return rows


def write_csv(rows: Iterable[HistoryRow], path: str | Path) -> Path:
    """Write rows as ``date,sku,qty,customer,unit_price``, the sales_history import format."""
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(HistoryRow._fields)
        for r in rows:
            out.writerow([r.date.isoformat(), r.sku, r.qty, r.customer, r.unit_price])
    return path
