"""The delivery note (送货单) of one shipment of a sales order: what left, from which warehouse,
when and for whom, read back from the order's sale moves.

A shipment is the sale moves of an order that carry one shipment number; moves written before
shipments were numbered have none, and those made at one instant count as one shipment (as the
reports take them). The shipments of an order are counted in the order they left, so the
number a note shows is the one `sales.ship` gave (1 for the first).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from domain.errors import InvalidState, UnknownOrder
from domain.ledger.moves import item_t
from domain.messages.commands import QueryDeliveryNote
from domain.messages.results import Result
from domain.model import Partner, SalesLine, SalesOrder, StockMove, Warehouse
from domain.numbers import qty_str
from domain.orders.status_words import state_en, state_zh

so_t = SalesOrder.__table__
sl_t = SalesLine.__table__
move_t = StockMove.__table__
partner_t = Partner.__table__
wh_t = Warehouse.__table__


@dataclass(frozen=True, kw_only=True)
class DeliveryNoteLine(Result):
    """One item of a shipment: its SKU, names, unit and the quantity that left."""

    item: str
    name: str
    name_zh: str | None
    uom: str
    qty: str


@dataclass(frozen=True, kw_only=True)
class DeliveryNote(Result):
    """`delivery_note`: one shipment of a sales order (`shipment` of `shipments` so far), its
    local date and time, the warehouse it left from, the customer and the lines shipped."""

    order: str
    shipment: int
    shipments: int
    date: str
    shipped_at: str
    customer: str
    partner_name: str | None
    partner_name_zh: str | None
    warehouse: str
    lines: tuple[DeliveryNoteLine, ...]


def delivery_note(cmd: QueryDeliveryNote, uow, user) -> DeliveryNote:
    """The delivery note of shipment `cmd.shipment` of a sales order, its latest by default.
    Refused: no such sales order (`unknown_order`, also for a purchase order's number), an order
    that has not shipped yet (`invalid_state`), a shipment it does not have (`unknown_order`)."""
    number = cmd.order.strip().upper()
    so = uow.execute(
        select(so_t, partner_t.c.code, partner_t.c.name, partner_t.c.name_zh)
        .select_from(so_t.join(partner_t, partner_t.c.id == so_t.c.partner_id))
        .where(so_t.c.number == number)
    ).first()
    if so is None:
        hint = "; a delivery note is made for a sales order (SO-…)" if number[:3] == "PO-" else ""
        raise UnknownOrder(
            f"no sales order {number}{hint}",
            zh=f"没有销售单 {number}" + ("；送货单只能按销售单（SO-…）开" if hint else ""),
        )
    shipments = _shipments(uow, so)
    if not shipments:
        raise InvalidState(
            f"{so.number} has not shipped yet ({state_en(so.status, so.approval)}); a delivery "
            "note is made for a shipment",
            zh=f"{so.number} 还没有发货（{state_zh(so.status, so.approval)}），送货单按发货批次开具",
        )
    wanted = cmd.shipment or len(shipments)
    if wanted > len(shipments):
        count = len(shipments)
        raise UnknownOrder(
            f"{so.number} has no shipment {wanted}; it has shipped "
            + ("once" if count == 1 else f"{count} times (1–{count})"),
            zh=f"{so.number} 没有第 {wanted} 批发货；共发货 {count} 批",
        )
    moves = shipments[wanted - 1]
    at = min(m.at for m in moves)
    local = uow.clock.local(at)
    warehouses = {m.warehouse_id for m in moves}
    codes = uow.execute(select(wh_t.c.code).where(wh_t.c.id.in_(warehouses))).scalars().all()
    return DeliveryNote(
        order=so.number,
        shipment=wanted,
        shipments=len(shipments),
        date=local.date().isoformat(),
        shipped_at=local.replace(microsecond=0).isoformat(),
        customer=so.code,
        partner_name=so.name,
        partner_name_zh=so.name_zh,
        warehouse=", ".join(sorted(codes)),
        lines=_lines(uow, so.id, moves),
    )


def _shipments(uow, so) -> list[list]:
    """The order's sale moves, one list per shipment, in the order they left."""
    groups: dict[tuple[int | None, datetime | None], list] = defaultdict(list)
    items = select(sl_t.c.item_id).where(sl_t.c.order_id == so.id)
    for move in uow.execute(
        select(
            move_t.c.shipment, move_t.c.at, move_t.c.item_id, move_t.c.warehouse_id, move_t.c.qty
        )
        .where(
            move_t.c.item_id.in_(items)  # the item index narrows the scan to the order's items
            & (move_t.c.kind == "sale")
            & (move_t.c.ref == so.number)
        )
        .order_by(move_t.c.at, move_t.c.id)
    ):
        key = (move.shipment, None) if move.shipment is not None else (None, move.at)
        groups[key].append(move)
    return sorted(groups.values(), key=lambda ms: (ms[0].at, ms[0].shipment or 0))


def _lines(uow, order_id: int, moves) -> tuple[DeliveryNoteLine, ...]:
    """What a shipment moved per item, in the order's line order."""
    qty: dict[int, Decimal] = defaultdict(Decimal)
    for move in moves:
        qty[move.item_id] += -move.qty
    rows = uow.execute(
        select(sl_t.c.item_id, item_t.c.sku, item_t.c.name, item_t.c.name_zh, item_t.c.uom)
        .select_from(sl_t.join(item_t, item_t.c.id == sl_t.c.item_id))
        .where(sl_t.c.order_id == order_id)
        .order_by(sl_t.c.line_no)
    )
    out, seen = [], set()
    for row in rows:
        if row.item_id in seen or row.item_id not in qty:
            continue
        seen.add(row.item_id)
        out.append(
            DeliveryNoteLine(
                item=row.sku,
                name=row.name,
                name_zh=row.name_zh,
                uom=row.uom,
                qty=qty_str(qty[row.item_id]),
            )
        )
    return tuple(out)
