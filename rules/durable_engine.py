"""The rules on durable-rules (2.0.28). The only module that imports `durable`, and lazily.

What shapes this module (measured; see the design's "Rules engine" section):
- One ruleset per fact type, and each rule compares fields of the one posted event (no joins:
  those segfault). A posted event is consumed by one rule, so the rules of a ruleset are
  mutually exclusive (open on `alert_open == 0`, resolve on `alert_open == 1`).
- Actions' exceptions are swallowed by the library, so an action only records which fact fired
  which rule in the current call's list; the `Fired` is built afterwards from the fact itself.
- The engine compares a string with a number instead of refusing it ("11" > 10 fires), so facts
  are checked (`rules.rulesets.checked`) before they are posted.
- Its JSON parser refuses exponents (`1e-05`, `1e+16`: error 204) and wraps integers past 2**63,
  so every compared number is posted as a float written out in full (`0.00001`, `1e16` as
  `10000000000000000.0`), and the reference compares floats too. Strings are posted with
  non-ASCII escaped (a lone surrogate in UTF-8 makes it refuse the event).
- Ruleset names are unique per engine (a uuid suffix): two engines in one process never see each
  other's rules. Every event goes to session "0" (a ruleset holds at most 1,024 sessions).
- The library's host runs timer threads that dispatch pending actions in the background; this
  engine uses no timers and runs every action in the posting call, so those threads are not
  started.
"""

from __future__ import annotations

import json
import threading
import uuid
from decimal import Decimal
from typing import Any

from rules.engine import EngineError, Fired
from rules.rulesets import MIN_DEMAND_DAYS, checked, fired_from


def _m(name: str) -> dict:
    return {"$m": name}


# The conditions of each rule, in durable-rules' JSON form, on the posted event.
CONDITIONS: dict[str, dict[str, dict]] = {
    "stock_level": {
        "open": {
            "$and": [
                {"$gte": {"reorder_point": 0.0}},
                {"$lte": {"projected": _m("reorder_point")}},
                {"alert_open": 0.0},
            ]
        },
        "resolve": {"$and": [{"$gt": {"projected": _m("reorder_point")}}, {"alert_open": 1.0}]},
    },
    "sale_price": {"open": {"$gt": {"discount_pct": _m("threshold_pct")}}},
    "demand_day": {
        "open": {
            "$and": [
                {"$gte": {"days": float(MIN_DEMAND_DAYS)}},
                {
                    "$gt": {
                        "qty": {
                            "$add": {
                                "$l": _m("mean"),
                                "$r": {"$mul": {"$l": _m("k_sigma"), "$r": _m("sigma")}},
                            }
                        }
                    }
                },
            ]
        }
    },
    "count": {
        # abs(diff_value) > value_limit, as the engine has no abs()
        "open": {
            "$or": [
                {"$gt": {"diff_value": _m("value_limit")}},
                {"$lt": {"diff_value": {"$mul": {"$l": _m("value_limit"), "$r": -1.0}}}},
                {"$gt": {"pct": _m("pct_limit")}},
            ]
        }
    },
    "negative": {
        "open": {"$or": [{"$lt": {"on_hand": 0.0}}, {"$gt": {"reserved": _m("on_hand")}}]}
    },
    "approval": {
        "open": {"$and": [{"status": "pending"}, {"alert_open": 0.0}]},
        "resolve": {"$and": [{"$neq": {"status": "pending"}}, {"alert_open": 1.0}]},
    },
}


def number_text(value: float) -> str:
    """A number as the engine's parser reads it: a float, in full, never with an exponent."""
    text = repr(float(value))
    if "e" in text:
        text = format(Decimal(text), "f")
        if "." not in text:
            text += ".0"
    return text


def message_text(index: int, fact: dict, numbers: tuple[str, ...], texts: tuple[str, ...]) -> str:
    """The event posted for a fact: its index in the batch and the fields the rules compare."""
    parts = [f'"i": {index}']
    parts += [f'"{name}": {number_text(fact[name])}' for name in numbers]
    parts += [f'"{name}": {json.dumps(fact[name])}' for name in texts]
    return "{" + ", ".join(parts) + "}"


def _host_class() -> type:
    from durable import engine as durable_engine
    from durable_rules_engine import assert_event

    class SyncHost(durable_engine.Host):
        """A host that runs actions only inside `post_text` (no background timer threads)."""

        def _run(self) -> None:
            pass

        def post_text(self, ruleset_name: str, text: str) -> Any:
            # Host.post would write the event with json.dumps, whose exponents the engine
            # refuses; this posts our own text through the same path.
            rules = self.get_ruleset(ruleset_name)

            def assert_text(_: object) -> Any:
                return rules._handle_result(assert_event(rules._handle, text), text)

            return self._handle_function(rules, assert_text, None, None)

    return SyncHost


class DurableEngine:
    """The rules on durable-rules, in this process."""

    def __init__(self) -> None:
        from durable.engine import MessageNotHandledException

        self._not_handled = MessageNotHandledException
        self._lock = threading.Lock()
        self._fired: list[tuple[int, str]] = []
        suffix = uuid.uuid4().hex[:12]
        self._names = {type_: f"jxc_{type_}_{suffix}" for type_ in CONDITIONS}
        definitions = {
            self._names[type_]: {
                action: {"all": [{"m": condition}], "run": self._recorder(action)}
                for action, condition in rules.items()
            }
            for type_, rules in CONDITIONS.items()
        }
        self._host = _host_class()()
        self._host.register_rulesets(definitions)

    def _recorder(self, action: str):
        def run(c: Any) -> None:
            self._fired.append((c.m.i, action))

        return run

    def evaluate(self, facts: list[dict]) -> list[Fired]:
        return fired_from(facts, self.fire(facts))

    def fire(self, facts: list[dict]) -> list[tuple[int, str]]:
        """The rules that fired, as (index of the fact, "open" | "resolve"), in order."""
        with self._lock:
            fired: list[tuple[int, str]] = []
            self._fired = fired
            for index, fact in enumerate(facts):
                spec = checked(fact)
                if spec is None:
                    continue
                text = message_text(index, fact, spec.numbers, spec.texts)
                try:
                    self._host.post_text(self._names[spec.type], text)
                except self._not_handled:
                    pass  # no rule matched: the fact fires nothing
                except Exception as exc:
                    raise EngineError(
                        f"the rules engine refused fact {index} ({spec.type}): {exc}"
                    ) from exc
            return fired

    def close(self) -> None:
        # Rulesets cannot be removed from the library; dropping the host frees the Python side.
        self._fired = []
