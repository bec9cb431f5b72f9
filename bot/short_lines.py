"""A sales order short of some lines, and the draft kept after a refusal for stock: what the
chat proposes instead of refusing the whole order, and what it keeps so that naming another
warehouse next proposes the same order from there."""

from __future__ import annotations

from domain.ledger import lookup
from domain.messages.commands import command_from_dict


def servable(uow, command: dict, cmd):
    """A sales order short of some lines: (the order of the lines stock can serve, its typed
    command, the refusals of the short lines); None when no line or every line is short."""
    if command.get("intent") != "sales.create" or len(command.get("lines") or ()) < 2:
        return None
    from domain.orders.sales import shortages

    short = shortages(cmd, uow)
    if not short or len(short) >= len(command["lines"]):
        return None
    kept = {**command, "lines": [x for n, x in enumerate(command["lines"]) if n not in short]}
    lacking = list(dict.fromkeys(short.values()))
    return kept, command_from_dict(kept), lacking


def kept_after_refusal(uow, command: dict, cmd) -> dict | None:
    """The draft to keep after a refusal for stock, when another warehouse holds what is
    short (the next message may name it); None otherwise."""
    if command.get("intent") not in ("sales.create", "stock.issue"):
        return None
    from domain.ledger import moves as ledger

    wh = lookup.warehouse(uow, getattr(cmd, "warehouse", None) or "MAIN")
    skus = [x["item"] for x in command.get("lines") or ()] or [command.get("item")]
    for sku in skus:
        if sku and ledger.available_elsewhere(uow, lookup.item(uow, sku).id, wh.id):
            return command
    return None
