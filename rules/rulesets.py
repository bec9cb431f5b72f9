"""The six fact types the rules read: the fields each rule compares, the alert kind it raises,
and whom the alert is about. Shared by the durable-rules engine and the plain-Python reference,
so both accept and refuse exactly the same facts.

A fact is well formed when every field its rule compares is a finite number (int or float;
compared as floats) or, for the fields below marked as text, a string. Anything else (a missing
key, a string where a number should be, NaN) makes the fact fire nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from rules.engine import Fired


@dataclass(frozen=True)
class FactType:
    """One `type` of fact: the alert kind it raises and the fields its rules read."""

    type: str
    kind: str
    numbers: tuple[str, ...]  # compared by the rules, as floats
    texts: tuple[str, ...]  # compared by the rules, as strings
    labels: tuple[str, ...]  # strings that name the subject
    subject: Callable[[dict], str]


FACT_TYPES: dict[str, FactType] = {
    spec.type: spec
    for spec in (
        FactType(
            "stock_level",
            "reorder",
            numbers=("projected", "reorder_point", "alert_open"),
            texts=(),
            labels=("sku",),
            subject=lambda f: f["sku"],
        ),
        FactType(
            "sale_price",
            "anomaly.price",
            numbers=("discount_pct", "threshold_pct"),
            texts=(),
            labels=("order", "sku"),
            subject=lambda f: f"{f['order']}:{f['sku']}",
        ),
        FactType(
            "demand_day",
            "anomaly.demand",
            numbers=("qty", "mean", "sigma", "k_sigma", "days"),
            texts=(),
            labels=("sku",),
            subject=lambda f: f["sku"],
        ),
        FactType(
            "count",
            "anomaly.count",
            numbers=("diff_value", "value_limit", "pct", "pct_limit"),
            texts=(),
            labels=("sku", "warehouse"),
            subject=lambda f: f"{f['sku']}@{f['warehouse']}",
        ),
        FactType(
            "negative",
            "anomaly.negative",
            numbers=("on_hand", "reserved"),
            texts=(),
            labels=("sku", "warehouse"),
            subject=lambda f: f"{f['sku']}@{f['warehouse']}",
        ),
        FactType(
            "approval",
            "approval",
            numbers=("alert_open",),
            texts=("status",),
            labels=("request",),
            subject=lambda f: f["request"],
        ),
    )
}

# The demand anomaly needs this many days of history before it speaks.
MIN_DEMAND_DAYS = 14


def is_number(value: object) -> bool:
    """An int or float (bools count as 0 and 1) that is finite as a float."""
    if not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:  # an int past the float range
        return False


def checked(fact: object) -> FactType | None:
    """The fact's type when the fact is well formed for it, else None (it fires nothing)."""
    if not isinstance(fact, dict):
        return None
    type_ = fact.get("type")
    spec = FACT_TYPES.get(type_) if isinstance(type_, str) else None
    if spec is None:
        return None
    for name in spec.numbers:
        if not is_number(fact.get(name)):
            return None
    for name in spec.texts + spec.labels:
        if not isinstance(fact.get(name), str):
            return None
    return spec


def fired_from(facts: list[dict], fired: list[tuple[int, str]]) -> list[Fired]:
    """`Fired` results from (index of the fact, action) pairs."""
    out = []
    for index, action in fired:
        fact = facts[index]
        spec = FACT_TYPES[fact["type"]]
        out.append(Fired(spec.kind, spec.subject(fact), action, dict(fact)))
    return out
