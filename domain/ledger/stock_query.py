"""Stock questions: on hand, reserved, available, on order and value per item and warehouse."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, select

from domain.ledger import lookup
from domain.ledger.moves import balance_t, item_t
from domain.ledger.stock import ZERO, wh_t
from domain.messages.commands import QueryStock
from domain.messages.results import StockAnswer, StockRow
from domain.numbers import cost_str, money_str, qty_str
from domain.orders import purchasing


def on_order_by_item(uow, item_ids=None, wh_id=None) -> dict[tuple[int, int], Decimal]:
    """Open purchase quantities per (item, warehouse)."""
    return purchasing.on_order(uow, item_ids, wh_id)


_BALANCES = (
    select(
        item_t.c.id.label("item_id"),
        item_t.c.sku,
        wh_t.c.id.label("wh_id"),
        wh_t.c.code,
        balance_t.c.on_hand,
        balance_t.c.reserved,
        balance_t.c.value,
    )
    .select_from(
        balance_t.join(item_t, item_t.c.id == balance_t.c.item_id).join(
            wh_t, wh_t.c.id == balance_t.c.warehouse_id
        )
    )
    .order_by(item_t.c.sku, wh_t.c.code)
)
_BALANCES_OF_ITEM = _BALANCES.where(balance_t.c.item_id == bindparam("item"))


def stock_rows(uow, sku: str | None = None, warehouse: str | None = None) -> list[StockRow]:
    """Stock rows `{sku, warehouse, on_hand, reserved, available, on_order, avg_cost, value}`.

    A known item with no stock gives a zero row (in the warehouse asked, else `MAIN`)."""
    wh = lookup.warehouse(uow, warehouse) if warehouse else None
    item = None
    if sku:
        item = lookup.item(uow, sku)
        rows = uow.execute(_BALANCES_OF_ITEM, {"item": item.id}).all()
    else:
        rows = uow.execute(_BALANCES).all()
    if wh is not None:
        rows = [r for r in rows if r.wh_id == wh.id]
    if not sku:
        rows = [r for r in rows if r.on_hand != 0 or r.reserved != 0]
    on_order = on_order_by_item(uow, [item.id] if item else None, wh.id if wh else None)
    out = []
    seen = set()
    for r in rows:
        seen.add((r.item_id, r.wh_id))
        out.append(
            _row(
                r.sku,
                r.code,
                r.on_hand,
                r.reserved,
                r.value,
                on_order.get((r.item_id, r.wh_id), ZERO),
            )
        )
    for (item_id, wh_id), qty in on_order.items():
        if (item_id, wh_id) in seen or qty <= 0:
            continue
        isku = uow.execute(select(item_t.c.sku).where(item_t.c.id == item_id)).scalar_one()
        wcode = uow.execute(select(wh_t.c.code).where(wh_t.c.id == wh_id)).scalar_one()
        out.append(_row(isku, wcode, ZERO, ZERO, ZERO, qty))
    if item is not None and not out:
        target = wh or lookup.warehouse(uow, None)
        out.append(_row(item.sku, target.code, ZERO, ZERO, ZERO, ZERO))
    out.sort(key=lambda r: (r.sku, r.warehouse))
    return out


def _row(sku, wh, on_hand, reserved, value, on_order) -> StockRow:
    # Available is what can still be promised, never below zero; when a count found less on
    # the shelf than is reserved, `short` says by how much the reservations are uncovered.
    # Projected keeps the shortfall: it is what a reorder has to make good.
    return StockRow(
        sku=sku,
        warehouse=wh,
        on_hand=qty_str(on_hand),
        reserved=qty_str(reserved),
        available=qty_str(max(on_hand - reserved, ZERO)),
        on_order=qty_str(on_order),
        projected=qty_str(on_hand - reserved + on_order),
        avg_cost=cost_str(value / on_hand) if on_hand > 0 else None,
        value=money_str(value),
        short=qty_str(reserved - on_hand) if reserved > on_hand else None,
    )


def query_stock(cmd: QueryStock, uow, user) -> StockAnswer:
    """Answer a stock question: one item, or all stock (of a warehouse)."""
    return StockAnswer(rows=tuple(stock_rows(uow, cmd.item, cmd.warehouse)))
