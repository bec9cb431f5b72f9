"""What purchase and sales orders share when they are created: the header and its lines in one
go, and the approval request when the policy asks for one."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import Table, insert, select, update

from domain.approvals import policy as approvals
from domain.model import Partner, Warehouse
from domain.numbers import money_str
from domain.orders.pricing import OrderLine, Reason, line_json
from domain.uow import Prepared

_INSERTS: dict[tuple, Prepared] = {}


def _prepared_insert(table: Table, keys: tuple[str, ...], *, returning: bool = False) -> Prepared:
    """The prepared INSERT of these columns into a table (with RETURNING id when asked)."""
    key = (table.name, keys, returning)
    if key not in _INSERTS:
        stmt = insert(table).returning(table.c.id) if returning else insert(table)
        _INSERTS[key] = Prepared(stmt, keys)
    return _INSERTS[key]


def store_order(
    uow,
    order_t: Table,
    line_t: Table,
    *,
    subject_kind: str,
    number: str,
    partner,
    partner_role: str,
    wh,
    total: Decimal,
    lines: list[dict],
    reasons: Sequence[Reason],
    user,
) -> tuple[int, dict]:
    """Insert an order (`pending_approval` with a request `A-n` when there are reasons, else
    `confirmed`) and its lines; returns its id and the fields of its result's head (with the
    partner's names and, when it waits, the request and the reasons in English and Chinese)."""
    status = "pending_approval" if reasons else "confirmed"
    head = {
        "number": number,
        "partner_id": partner.id,
        "warehouse_id": wh.id,
        "status": status,
        "total": total,
        "created_at": uow.now,
        "created_by": user.name,
    }
    (row,) = _prepared_insert(order_t, tuple(head), returning=True).run(uow, head)
    order_id = row.id
    rows = [{"order_id": order_id, **line} for line in lines]
    if len(rows) == 1:
        _prepared_insert(line_t, tuple(rows[0])).run(uow, rows[0])
    else:
        uow.execute(insert(line_t), rows)
    result = {
        "order": number,
        "status": status,
        partner_role: partner.code,
        "partner_name": partner.name,
        "partner_name_zh": partner.name_zh,
        "warehouse": wh.code,
        "total": money_str(total),
    }
    if reasons:
        request = approvals.request_approval(uow, subject_kind, number, reasons, user)
        uow.execute(update(order_t).where(order_t.c.id == order_id).values(approval=request))
        result.update(
            approval=request,
            reasons=tuple(r.en for r in reasons),
            reasons_zh=tuple(r.zh for r in reasons),
        )
    return order_id, result


def order_details_of(uow, order, lines: Sequence[OrderLine]) -> dict:
    """What an approval request about an order shows: the partner with its names, the
    warehouse, the lines (item names, list price, discount, net price, amount) and the total."""
    p = Partner.__table__
    partner = uow.execute(
        select(p.c.code, p.c.name, p.c.name_zh).where(p.c.id == order.partner_id)
    ).first()
    wh_t = Warehouse.__table__
    wh = uow.execute(select(wh_t.c.code).where(wh_t.c.id == order.warehouse_id)).scalar()
    return {
        "order": order.number,
        "partner": partner.code,
        "partner_name": partner.name,
        "partner_name_zh": partner.name_zh,
        "warehouse": wh,
        "lines": [line_json(line) for line in lines],
        "total": money_str(order.total),
    }
