"""Approvals as records: the policy checks that send a command to an approver, and the
decisions.

The policy runs inside the command's transaction; the rules engine only watches and alerts.
"""

from __future__ import annotations

import json
from decimal import Decimal

from sqlalchemy import insert, select, update

from domain import settings
from domain.commands import DecideApproval, ListApprovals
from domain.errors import ApprovalAlreadyDecided, InvalidState, OwnRequest, UnknownRequest
from domain.model import ApprovalRequest
from domain.roles import may
from domain.sequences import next_number

req_t = ApprovalRequest.__table__


def request_approval(uow, kind: str, subject: str, reasons: list[str], user) -> str:
    """Open a pending request `A-n` for a subject; returns its number."""
    number = next_number(uow, "A")
    uow.execute(
        insert(req_t).values(
            number=number,
            subject_kind=kind,
            subject=subject,
            status="pending",
            reasons=json.dumps(reasons, ensure_ascii=False),
            requested_by=user.name,
            requested_at=uow.now,
        )
    )
    uow.emit(
        "ApprovalRequested",
        request=number,
        subject_kind=kind,
        subject=subject,
        reasons=reasons,
        requested_by=user.name,
    )
    return number


def cancel_request(uow, number: str | None, user) -> None:
    """Cancel a pending request whose subject was cancelled."""
    if not number:
        return
    uow.execute(
        update(req_t)
        .where((req_t.c.number == number) & (req_t.c.status == "pending"))
        .values(status="cancelled", decided_by=user.name, decided_at=uow.now)
    )
    uow.emit("ApprovalDecided", request=number, decision="cancelled", by=user.name)


def _row(r) -> dict:
    return {
        "request": r.number,
        "subject_kind": r.subject_kind,
        "subject": r.subject,
        "status": r.status,
        "reasons": json.loads(r.reasons or "[]"),
        "requested_by": r.requested_by,
        "requested_at": r.requested_at.isoformat(),
        "decided_by": r.decided_by,
    }


def list_approvals(cmd: ListApprovals, uow, user) -> dict:
    """Pending requests: all of them for approvers and admins, one's own for everyone else."""
    q = select(req_t).where(req_t.c.status == "pending").order_by(req_t.c.id)
    if not may(user.role, "approval.decide"):
        q = q.where(req_t.c.requested_by == user.name)
    return {"requests": [_row(r) for r in uow.execute(q)]}


def decide_approval(cmd: DecideApproval, uow, user) -> dict:
    """Approve or reject a pending request; the subject follows (confirmed / cancelled)."""
    from domain.services import purchasing, sales, stock

    decision = cmd.decision.lower()
    if decision not in ("approve", "reject"):
        raise InvalidState(
            f"decision must be approve or reject, not {cmd.decision!r}",
            zh="审批结果只能是批准或驳回",
        )
    number = cmd.request.strip().upper()
    stmt = select(req_t).where(req_t.c.number == number)
    if uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    req = uow.execute(stmt).first()
    if req is None:
        raise UnknownRequest(f"no approval request {number}", zh=f"没有审批单 {number}")
    if req.status != "pending":
        raise ApprovalAlreadyDecided(
            f"{number} is already {req.status}"
            + (f" by {req.decided_by}" if req.decided_by else ""),
            zh=f"{number} 已是{_ZH_STATUS.get(req.status, req.status)}",
        )
    if req.requested_by == user.name:
        raise OwnRequest(
            f"{number} is your own request; another approver must decide it",
            zh=f"{number} 是您本人提交的，需由其他审批人处理",
        )
    apply = {
        "sales_order": sales.on_decision,
        "purchase_order": purchasing.on_decision,
        "stock_count": stock.on_count_decision,
    }[req.subject_kind]
    subject_status = apply(uow, req.subject, decision == "approve", user)
    status = "approved" if decision == "approve" else "rejected"
    uow.execute(
        update(req_t)
        .where(req_t.c.id == req.id)
        .values(status=status, decided_by=user.name, decided_at=uow.now, decision_reason=cmd.reason)
    )
    uow.emit(
        "ApprovalDecided",
        request=number,
        decision=status,
        by=user.name,
        subject=req.subject,
        requested_by=req.requested_by,
        reason=cmd.reason or "",
    )
    return {
        "request": number,
        "status": status,
        "subject": req.subject,
        "subject_status": subject_status,
        "decided_by": user.name,
        "requested_by": req.requested_by,
    }


_ZH_STATUS = {"approved": "已批准", "rejected": "已驳回", "cancelled": "已取消"}


def pct(value: Decimal) -> str:
    """A percentage for messages (`12.5%`)."""
    return f"{value.quantize(Decimal('0.1')).normalize():f}%"


def threshold(uow, name: str) -> Decimal:
    """A numeric approval threshold."""
    return settings.get_decimal(uow, name)
