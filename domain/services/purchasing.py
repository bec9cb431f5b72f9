"""Purchase orders (Ledger core II)."""

from __future__ import annotations

from decimal import Decimal


def on_order(uow, item_ids=None, wh_id=None) -> dict[tuple[int, int], Decimal]:
    """Open purchase quantities per (item, warehouse)."""
    return {}
