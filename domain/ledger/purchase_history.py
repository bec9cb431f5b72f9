"""An item's past purchase lines: who supplied it, at what price, when. Read-only; it answers
"get the usual amount from whoever was cheapest last time"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from domain.ledger import lookup
from domain.model import Partner, PurchaseLine, PurchaseOrder
from domain.numbers import price_str, qty_str

po_t = PurchaseOrder.__table__
pl_t = PurchaseLine.__table__
partner_t = Partner.__table__

HISTORY_LIMIT = 10
"""Lines one answer holds at most (newest first)."""


@dataclass(frozen=True)
class PurchaseLineSeen:
    """One line of a past purchase order of the item (quantities and prices as strings)."""

    order: str
    supplier: str
    supplier_name: str
    date: str  # the order's local date, YYYY-MM-DD
    qty: str
    price: str
    status: str


def purchase_history(
    uow, sku: str, supplier: str | None = None, limit: int = HISTORY_LIMIT
) -> list[PurchaseLineSeen]:
    """The item's purchase lines, newest first (of one supplier when `supplier` is a code),
    cancelled orders left out: a price never paid is no history. An unknown SKU or supplier
    is `UnknownItem` / `UnknownPartner`."""
    item = lookup.item(uow, sku)
    query = (
        select(
            po_t.c.number,
            po_t.c.created_at,
            po_t.c.status,
            partner_t.c.code,
            partner_t.c.name,
            pl_t.c.qty,
            pl_t.c.price,
        )
        .select_from(
            pl_t.join(po_t, po_t.c.id == pl_t.c.order_id).join(
                partner_t, partner_t.c.id == po_t.c.partner_id
            )
        )
        .where((pl_t.c.item_id == item.id) & (po_t.c.status != "cancelled"))
        .order_by(po_t.c.created_at.desc(), po_t.c.id.desc(), pl_t.c.line_no)
        .limit(max(1, min(limit, HISTORY_LIMIT)))
    )
    if supplier:
        query = query.where(po_t.c.partner_id == lookup.partner(uow, supplier, "supplier").id)
    return [
        PurchaseLineSeen(
            order=r.number,
            supplier=r.code,
            supplier_name=r.name,
            date=uow.clock.local(r.created_at).date().isoformat(),
            qty=qty_str(r.qty),
            price=price_str(r.price),
            status=r.status,
        )
        for r in uow.execute(query)
    ]
