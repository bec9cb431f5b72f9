"""The rules in plain Python: the reference the durable-rules engine is tested against, and a
fallback that needs no native library. Numbers are compared as floats, as durable-rules does."""

from __future__ import annotations

from collections.abc import Callable

from rules.engine import Fired
from rules.rulesets import MIN_DEMAND_DAYS, checked


def _stock_level(f: dict) -> str | None:
    projected, rop, open_ = float(f["projected"]), float(f["reorder_point"]), float(f["alert_open"])
    if rop >= 0 and projected <= rop and open_ == 0:
        return "open"
    if projected > rop and open_ == 1:
        return "resolve"
    return None


def _sale_price(f: dict) -> str | None:
    return "open" if float(f["discount_pct"]) > float(f["threshold_pct"]) else None


def _demand_day(f: dict) -> str | None:
    limit = float(f["mean"]) + float(f["k_sigma"]) * float(f["sigma"])
    return "open" if float(f["days"]) >= MIN_DEMAND_DAYS and float(f["qty"]) > limit else None


def _count(f: dict) -> str | None:
    over_value = abs(float(f["diff_value"])) > float(f["value_limit"])
    return "open" if over_value or float(f["pct"]) > float(f["pct_limit"]) else None


def _negative(f: dict) -> str | None:
    on_hand = float(f["on_hand"])
    return "open" if on_hand < 0 or float(f["reserved"]) > on_hand else None


def _approval(f: dict) -> str | None:
    open_ = float(f["alert_open"])
    if f["status"] == "pending" and open_ == 0:
        return "open"
    if f["status"] != "pending" and open_ == 1:
        return "resolve"
    return None


RULES: dict[str, Callable[[dict], str | None]] = {
    "stock_level": _stock_level,
    "sale_price": _sale_price,
    "demand_day": _demand_day,
    "count": _count,
    "negative": _negative,
    "approval": _approval,
}


class ReferenceEngine:
    """The same rules as `DurableEngine`, evaluated directly."""

    def evaluate(self, facts: list[dict]) -> list[Fired]:
        out: list[Fired] = []
        for fact in facts:
            spec = checked(fact)
            if spec is None:
                continue
            action = RULES[spec.type](fact)
            if action is not None:
                out.append(Fired(spec.kind, spec.subject(fact), action, dict(fact)))
        return out

    def close(self) -> None:
        pass
