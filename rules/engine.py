"""The rules engine port: what the feed posts (facts, as dicts) and what comes back (`Fired`).

Each fact is a JSON-ready dict whose `type` chooses its rules and which carries its own
thresholds, so every rule compares fields of one fact (the shape durable-rules runs safely).
A fact fires at most one rule; a fact no rule owns, a malformed one, or one that matches no rule
fires nothing and raises nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from domain.errors import InternalError


@dataclass(frozen=True)
class Fired:
    """One rule that fired: open (or resolve) the alert of `kind` about `subject`."""

    kind: str  # "reorder" | "anomaly.demand" | "anomaly.price" | "anomaly.count" | ...
    subject: str  # the SKU, "SKU@WH", "ORDER:SKU" or the request id, by kind
    action: str  # "open" | "resolve"
    facts: dict  # the fact that fired it, as posted


class RulesEngine(Protocol):
    def evaluate(self, facts: list[dict]) -> list[Fired]:
        """Run the facts through the rules in order; each fires nothing or one `Fired`."""
        ...

    def close(self) -> None:
        """Release the engine (stop its child process, if any)."""
        ...


class EngineError(InternalError):
    """The rules engine failed on a batch of facts; nothing from that batch is reported."""


class EngineCrashed(EngineError):
    """The engine's child process died during the call. It has been restarted; post the same
    batch again."""
