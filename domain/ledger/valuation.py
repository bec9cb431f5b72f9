"""Valuation: what an outgoing move costs (moving average, or FIFO layers consumed oldest
first), the FIFO layers an incoming move adds, and the cost a count adds stock at. Every
function runs in the caller's transaction (`domain.ledger.moves` calls them with the balance
locked).

Each move's value is rounded to 0.01 half-up; an average-cost issue is `qty × value ÷
on_hand`; the move that empties a balance takes all of its remaining value, and beyond it
(negative stock allowed) the rest is valued at the last known cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, insert, select, update

from domain.model import FifoLayer
from domain.numbers import money
from domain.types import Qty

if TYPE_CHECKING:
    from domain.ledger.moves import BalanceRow

layer_t = FifoLayer.__table__
ZERO = Decimal(0)


@dataclass
class Outgoing:
    """What an outgoing move took: its value (cost) and, for FIFO, the layers consumed."""

    value: Decimal
    layers: list[tuple[Decimal, Decimal]]


_OPEN_LAYERS = (
    select(layer_t.c.id, layer_t.c.qty_left, layer_t.c.unit_cost)
    .where(
        (layer_t.c.item_id == bindparam("l_item"))
        & (layer_t.c.warehouse_id == bindparam("l_wh"))
        & (layer_t.c.qty_left > bindparam("zero", type_=Qty()))
    )
    .order_by(layer_t.c.id)
)
_EMPTY_LAYERS = (
    update(layer_t)
    .where(layer_t.c.id.in_(bindparam("ids", expanding=True)))
    .values(qty_left=bindparam("left", type_=Qty()))
)


def fifo_take(
    uow, item_id: int, wh_id: int, qty: Decimal, prefer: Decimal | None = None
) -> list[tuple[Decimal, Decimal]]:
    """Consume FIFO layers oldest first (with `prefer`, the layers at that unit cost first,
    newest first: goods going back to their supplier); returns [(qty, unit_cost)] taken.
    Layers used up are emptied in one statement, the one partly used in another."""
    taken: list[tuple[Decimal, Decimal]] = []
    emptied: list[int] = []
    left = qty
    rows = uow.execute(_OPEN_LAYERS, {"l_item": item_id, "l_wh": wh_id, "zero": ZERO})
    if prefer is not None:
        rows = sorted(rows.all(), key=lambda r: (r[2] != prefer, -r[0] if r[2] == prefer else r[0]))
    for layer_id, qty_left, cost in rows:
        take = min(left, qty_left)
        taken.append((take, cost))
        left -= take
        if take == qty_left:
            emptied.append(layer_id)
        else:
            partial = (layer_id, qty_left - take)
            break
        if left <= 0:
            partial = None
            break
    else:
        partial = None
    if prefer is None:
        rows.close()
    if emptied:
        uow.execute(_EMPTY_LAYERS, {"ids": emptied, "left": ZERO})
    if partial:
        uow.execute(_EMPTY_LAYERS, {"ids": [partial[0]], "left": partial[1]})
    return taken


def outgoing_value(
    uow, item, wh_id: int, bal: BalanceRow, qty: Decimal, at_cost: Decimal | None = None
) -> Outgoing:
    """The cost of taking `qty` out of a balance (consuming FIFO layers for FIFO items);
    `at_cost`: the unit cost the goods came in at (a purchase return), which they leave at —
    FIFO from the layers at that cost first, average cost within the balance's value."""
    layers: list[tuple[Decimal, Decimal]] = []
    if item.costing == "fifo":
        layers = fifo_take(uow, item.id, wh_id, qty, prefer=at_cost)
    if bal.on_hand <= 0:
        fallback = item.last_receipt_cost or item.unit_cost or ZERO
        return Outgoing(money(qty * fallback), layers or [(qty, fallback)])
    if qty >= bal.on_hand:
        # The move that empties the balance takes all its value; beyond it (negative stock
        # allowed) the rest is valued at the last known cost.
        extra = qty - bal.on_hand
        fallback = item.last_receipt_cost or item.unit_cost or ZERO
        value = bal.value + money(extra * fallback)
        if extra and item.costing == "fifo":
            layers.append((extra, fallback))
        return Outgoing(value, layers)
    if item.costing == "fifo":
        return Outgoing(money(sum((q * c for q, c in layers), ZERO)), layers)
    if at_cost is not None:
        return Outgoing(min(money(qty * at_cost), max(bal.value, ZERO)), [])
    return Outgoing(money(qty * bal.value / bal.on_hand), [])


def add_layers(uow, item_id: int, wh_id: int, layers: list[tuple[Decimal, Decimal]]) -> None:
    """The FIFO layers of an incoming move: (qty, unit cost) each, newest last."""
    for qty, cost in layers:
        uow.execute(
            insert(layer_t).values(
                at=uow.now,
                item_id=item_id,
                warehouse_id=wh_id,
                qty_in=qty,
                qty_left=qty,
                unit_cost=cost,
            )
        )


def current_cost(uow, item, wh_id: int, bal: BalanceRow) -> Decimal:
    """The cost at which a count adds stock: the balance's own cost, else the last receipt's,
    else the standard cost; FIFO: the newest layer's cost."""
    if item.costing == "fifo":
        row = uow.execute(
            select(layer_t.c.unit_cost)
            .where((layer_t.c.item_id == item.id) & (layer_t.c.warehouse_id == wh_id))
            .order_by(layer_t.c.id.desc())
            .limit(1)
        ).first()
        if row is not None:
            return row[0]
    elif bal.on_hand > 0 and bal.value > 0:
        return bal.value / bal.on_hand
    return item.last_receipt_cost or item.unit_cost or ZERO
