"""What purchase and sales orders share when they are created: the header and its lines in one
go, and the approval request when the policy asks for one."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Table, insert, update

from domain.numbers import money_str
from domain.services import approvals


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
    reasons: list[str],
    user,
) -> tuple[int, dict]:
    """Insert an order (`pending_approval` with a request `A-n` when there are reasons, else
    `confirmed`) and its lines; returns its id and the result's head."""
    status = "pending_approval" if reasons else "confirmed"
    order_id = uow.execute(
        insert(order_t).values(
            number=number,
            partner_id=partner.id,
            warehouse_id=wh.id,
            status=status,
            total=total,
            created_at=uow.now,
            created_by=user.name,
        )
    ).inserted_primary_key[0]
    uow.execute(insert(line_t), [{"order_id": order_id, **line} for line in lines])
    result = {
        "order": number,
        "status": status,
        partner_role: partner.code,
        "warehouse": wh.code,
        "total": money_str(total),
    }
    if reasons:
        request = approvals.request_approval(uow, subject_kind, number, reasons, user)
        uow.execute(update(order_t).where(order_t.c.id == order_id).values(approval=request))
        result.update(approval=request, reasons=reasons)
    return order_id, result
