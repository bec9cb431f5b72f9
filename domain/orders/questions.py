"""Order questions, and the subjects of approvals.

This module composes the order services: it gives approvals the handler of each kind of
subject (`APPROVAL_SUBJECTS`), so a decision reaches the order or count it is about without
approvals importing the services that import it."""

from __future__ import annotations

import json
from types import MappingProxyType

from sqlalchemy import func, select

from domain.approvals import policy as approvals
from domain.errors import BadRequest, UnknownOrder
from domain.ledger import lookup, stock_counts
from domain.messages.commands import QueryOrders
from domain.messages.results import OrderRow, OrdersAnswer
from domain.model import ApprovalRequest, Audit, Partner
from domain.numbers import money_str
from domain.orders import purchasing, sales

partner_t = Partner.__table__
audit_t = Audit.__table__
req_t = ApprovalRequest.__table__
CLOSED = ("shipped", "received", "cancelled")
STATUSES = (
    "pending_approval",
    "confirmed",
    "partially_received",
    "partially_shipped",
    "received",
    "shipped",
    "cancelled",
    "open",
)


def _orders(uow, kind: str, where) -> list[OrderRow]:
    order_t = purchasing.po_t if kind == "purchase" else sales.so_t
    line_rows = purchasing.line_rows if kind == "purchase" else sales.line_rows
    heads = uow.execute(
        select(order_t, partner_t.c.code.label("partner"))
        .select_from(order_t.join(partner_t, partner_t.c.id == order_t.c.partner_id))
        .where(*where(order_t))
        .order_by(order_t.c.id)
    ).all()
    out = []
    for h in heads:
        out.append(
            OrderRow(
                order=h.number,
                kind=kind,
                partner=h.partner,
                status=h.status,
                total=money_str(h.total),
                created_at=h.created_at.isoformat(),
                created_by=h.created_by,
                lines=line_rows(uow, h.id),
                approval=h.approval or None,
                **_why(uow, kind, h),
            )
        )
    return out


def _why(uow, kind: str, h) -> dict:
    """Why an order stands where it does: a pending order's request reasons, a rejected one's
    rejection reason, a cancelled one's cancellation reason (as typed, when one was given)."""
    if h.status == "pending_approval" and h.approval:
        raw = uow.execute(select(req_t.c.reasons).where(req_t.c.number == h.approval)).scalar()
        reasons = approvals.stored_reasons(raw)
        return {
            "reasons": tuple(r.en for r in reasons),
            "reasons_zh": tuple(r.zh for r in reasons),
        }
    reason = approvals.rejection_reason(uow, h.approval) if h.approval else None
    if reason is None and h.status in ("cancelled", "shipped"):
        reason = cancel_reason(uow, kind, h.number)
    return {"reason": reason or None}


def cancel_reason(uow, kind: str, number: str) -> str | None:
    """The reason given when an order was cancelled (kept with the cancel command's record)."""
    intent = "purchase.cancel" if kind == "purchase" else "sales.cancel"
    detail = uow.execute(
        select(audit_t.c.detail)
        .where(
            (audit_t.c.intent == intent)
            & audit_t.c.ok.is_(True)
            & audit_t.c.detail.like(f'%"order": "{number}"%')
        )
        .order_by(audit_t.c.id.desc())
        .limit(1)
    ).scalar()
    if not detail:
        return None
    try:
        return json.loads(detail).get("reason") or None
    except (ValueError, AttributeError):
        return None


def order_rows(
    uow,
    order: str | None = None,
    partner: str | None = None,
    status: str | None = None,
    mine_of: str | None = None,
    kind: str | None = None,
) -> list[OrderRow]:
    """Orders as `{order, kind, partner, status, total, lines}`, filtered; an unknown status
    is `BadRequest`."""
    if status and status not in STATUSES:
        raise BadRequest(
            f"unknown status {status!r}; statuses: {', '.join(STATUSES)}",
            zh=f"未知的状态 {status!r}；可选：{'、'.join(STATUSES)}",
        )
    partner_id = lookup.partner(uow, partner).id if partner else None

    def where(t):
        cond = []
        if order:
            cond.append(t.c.number == order.strip().upper())
        if partner_id is not None:
            cond.append(t.c.partner_id == partner_id)
        if status == "open":
            cond.append(t.c.status.not_in(CLOSED))
        elif status:
            cond.append(t.c.status == status)
        if mine_of:
            cond.append(func.lower(t.c.created_by) == mine_of.lower())
        return cond

    kinds = ["purchase", "sales"]
    if order and order.strip().upper().startswith("SO-"):
        kinds = ["sales"]
    elif order and order.strip().upper().startswith("PO-"):
        kinds = ["purchase"]
    if kind in ("purchase", "sales"):
        kinds = [k for k in kinds if k == kind]
    rows = [r for k in kinds for r in _orders(uow, k, where)]
    if order and not rows:
        raise UnknownOrder(f"no order {order.upper()}", zh=f"没有订单 {order.upper()}")
    return rows


def query_orders(cmd: QueryOrders, uow, user) -> OrdersAnswer:
    """Answer an order question: one order, a partner's, a status, or one's own (open ones
    unless a status is asked)."""
    status = cmd.status or ("open" if cmd.mine and not cmd.order else None)
    rows = order_rows(
        uow, cmd.order, cmd.partner, status, user.name if cmd.mine else None, cmd.kind
    )
    return OrdersAnswer(orders=tuple(rows))


APPROVAL_SUBJECTS: approvals.Subjects = MappingProxyType(
    {
        "sales_order": approvals.Subject(sales.on_decision, sales.order_details),
        "purchase_order": approvals.Subject(purchasing.on_decision, purchasing.order_details),
        "stock_count": approvals.Subject(
            stock_counts.on_count_decision, stock_counts.count_details
        ),
    }
)
