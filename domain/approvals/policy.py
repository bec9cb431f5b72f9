"""Approvals as records: the policy checks that send a command to an approver, and the
decisions.

The policy runs inside the command's transaction; the rules engine only watches and alerts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import insert, select, update

from domain import settings
from domain.errors import (
    ApprovalAlreadyDecided,
    InvalidState,
    NotPermitted,
    OwnRequest,
    UnknownRequest,
)
from domain.ledger.sequences import next_number
from domain.messages.commands import DecideApproval, ListApprovals
from domain.messages.events import ApprovalDecided, ApprovalRequested
from domain.messages.results import ApprovalsAnswer, Decision, RequestRow
from domain.model import ApprovalRequest
from domain.orders.pricing import Reason
from domain.orders.pricing import pct as pct
from domain.orders.status_words import DECIDED_ZH

req_t = ApprovalRequest.__table__


def request_approval(uow, kind: str, subject: str, reasons: Sequence[Reason], user) -> str:
    """Open a pending request `A-n` for a subject; returns its number. The reasons are kept in
    both languages."""
    number = next_number(uow, "A")
    uow.execute(
        insert(req_t).values(
            number=number,
            subject_kind=kind,
            subject=subject,
            status="pending",
            reasons=json.dumps([{"en": r.en, "zh": r.zh} for r in reasons], ensure_ascii=False),
            requested_by=user.name,
            requested_at=uow.now,
        )
    )
    uow.emit(
        ApprovalRequested(
            request=number,
            subject_kind=kind,
            subject=subject,
            reasons=tuple(r.en for r in reasons),
            reasons_zh=tuple(r.zh for r in reasons),
            requested_by=user.name,
        )
    )
    return number


def stored_reasons(raw: str | None) -> list[Reason]:
    """The reasons of a request as stored: `{en, zh}` objects (older rows: English strings)."""
    out = []
    for r in json.loads(raw or "[]"):
        out.append(Reason(r, r) if isinstance(r, str) else Reason(r["en"], r.get("zh") or r["en"]))
    return out


def cancel_request(uow, number: str | None, user, reason: str | None = None) -> None:
    """Cancel a pending request whose subject was cancelled, or that an amendment replaced or
    made needless (`reason`: "replaced by A-n")."""
    if not number:
        return
    uow.execute(
        update(req_t)
        .where((req_t.c.number == number) & (req_t.c.status == "pending"))
        .values(
            status="cancelled", decided_by=user.name, decided_at=uow.now, decision_reason=reason
        )
    )
    uow.emit(ApprovalDecided(request=number, decision="cancelled", by=user.name, reason=reason))


@dataclass(frozen=True)
class Subject:
    """What approvals need of one kind of subject (a sales order, a purchase order, a count):
    how a decision applies to it (`on_decision(uow, subject, approved, user)` returns at least
    `subject_status`) and what it is about (`details(uow, subject)`). The services of each kind
    provide both; the composition of the domain (`domain.orders.questions`) hands approvals the
    table by kind, so approvals imports none of them."""

    on_decision: Callable[..., dict]
    details: Callable[..., dict]


Subjects = Mapping[str, Subject]


def _subject(subjects: Subjects, kind: str) -> Subject:
    try:
        return subjects[kind]
    except KeyError:
        raise LookupError(f"no approval subject registered for {kind!r}") from None


def row_fields(r, details: dict) -> dict:
    """The fields every view of a request shares: `approval.list`'s row and the answer to
    `approval.query` (which adds who decided it when, and for whom)."""
    reasons = stored_reasons(r.reasons)
    return {
        "request": r.number,
        "subject_kind": r.subject_kind,
        "subject": r.subject,
        "status": r.status,
        "reasons": tuple(x.en for x in reasons),
        "reasons_zh": tuple(x.zh for x in reasons),
        "requested_by": r.requested_by,
        "requested_at": r.requested_at.isoformat(),
        "decided_by": r.decided_by,
        "details": details,
        "reason": r.decision_reason or None,
    }


def _row(uow, r, subjects: Subjects) -> RequestRow:
    details = _subject(subjects, r.subject_kind).details(uow, r.subject)
    return RequestRow(**row_fields(r, details))


def _may_decide(uow, user) -> str | bool:
    """True when the user's role decides requests, the approver's name when they stand in for
    one, else False. (Read from the delegation module when asked: approvals imports none of
    the services at import time — `test_approvals_import_none_of_the_services_they_decide_for`.)"""
    from domain.approvals.delegation import may_decide

    return may_decide(uow, user)


def list_approvals(cmd: ListApprovals, uow, user, *, subjects: Subjects) -> ApprovalsAnswer:
    """Pending requests: all of them for approvers, admins and the delegates of an approver,
    one's own for everyone else. Each says what it is about (`details`: the order's partner, lines and total, or the
    count's item, warehouse and difference) and why (`reasons`, `reasons_zh`)."""
    q = select(req_t).where(req_t.c.status == "pending").order_by(req_t.c.id)
    if not _may_decide(uow, user):
        q = q.where(req_t.c.requested_by == user.name)
    return ApprovalsAnswer(requests=tuple(_row(uow, r, subjects) for r in uow.execute(q).all()))


def decide_approval(cmd: DecideApproval, uow, user, *, subjects: Subjects) -> Decision:
    """Approve or reject a pending request; the subject follows (confirmed / cancelled) through
    the handler its kind has in `subjects`. The result says what was decided (`details`), why
    it was asked (`reasons`) and, for a count, what was posted."""
    decision = cmd.decision.lower()
    if decision not in ("approve", "reject"):
        raise InvalidState(
            f"decision must be approve or reject, not {cmd.decision!r}",
            zh="审批结果只能是批准或驳回",
        )
    behalf = _may_decide(uow, user)
    if not behalf:
        raise NotPermitted(
            f"{user.name} ({user.role}) may not decide approval requests; ask an admin for the "
            "right role, or an approver to delegate theirs to you",
            zh=f"{user.name}（{user.role}）无权审批；请联系管理员分配角色，或请审批人委托您代批",
        )
    on_behalf_of = behalf if isinstance(behalf, str) else None
    req = _decidable(uow, cmd.request, user, lock=True)
    number = req.number
    if on_behalf_of and req.requested_by.lower() == on_behalf_of.lower():
        raise OwnRequest(
            f"{number} ({_what(req)}) was requested by {on_behalf_of}, for whom you decide; "
            "another approver must decide it",
            zh=f"{number}（{_what_zh(req)}）是 {on_behalf_of} 本人提交的，您代其审批不能处理，"
            "需由其他审批人处理",
        )
    subject = _subject(subjects, req.subject_kind)
    applied = subject.on_decision(uow, req.subject, decision == "approve", user)
    status = "approved" if decision == "approve" else "rejected"
    uow.execute(
        update(req_t)
        .where(req_t.c.id == req.id)
        .values(
            status=status,
            decided_by=user.name,
            decided_at=uow.now,
            decision_reason=cmd.reason,
            on_behalf_of=on_behalf_of,
        )
    )
    uow.emit(
        ApprovalDecided(
            request=number,
            decision=status,
            by=user.name,
            subject=req.subject,
            requested_by=req.requested_by,
            reason=cmd.reason or "",
            on_behalf_of=on_behalf_of,
        )
    )
    reasons = stored_reasons(req.reasons)
    return Decision(
        request=number,
        status=status,
        subject_kind=req.subject_kind,
        subject=req.subject,
        subject_status=applied["subject_status"],
        decided_by=user.name,
        requested_by=req.requested_by,
        reasons=tuple(r.en for r in reasons),
        reasons_zh=tuple(r.zh for r in reasons),
        details=subject.details(uow, req.subject),
        posted=applied.get("posted"),
        reason=cmd.reason or None,
        on_behalf_of=on_behalf_of,
    )


def _decidable(uow, request: str, user, *, lock: bool = False):
    """The pending request `user` may decide, or the refusal that says why not."""
    number = request.strip().upper()
    stmt = select(req_t).where(req_t.c.number == number)
    if lock and uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    req = uow.execute(stmt).first()
    if req is None:
        raise UnknownRequest(f"no approval request {number}", zh=f"没有审批单 {number}")
    replaced = (req.decision_reason or "").startswith("replaced by ")
    if req.status == "cancelled" and replaced:
        newer = req.decision_reason.removeprefix("replaced by ")
        raise InvalidState(
            f"{number} ({_what(req)}) was replaced by {newer} when the order was changed; "
            f"decide {newer} instead",
            zh=f"{number}（{_what_zh(req)}）已因订单修改被 {newer} 取代，请审批 {newer}",
        )
    if req.status != "pending":
        by = f" by {req.decided_by}" if req.decided_by else ""
        by_zh = f"（{req.decided_by}）" if req.decided_by else ""
        raise ApprovalAlreadyDecided(
            f"{number} ({_what(req)}) is already {req.status}{by}; nothing to decide",
            zh=f"{number}（{_what_zh(req)}）已{DECIDED_ZH.get(req.status, req.status)}{by_zh}，"
            "无需再审批",
        )
    if req.requested_by.lower() == user.name.lower():
        raise OwnRequest(
            f"{number} ({_what(req)}) is your own request; another approver must decide it",
            zh=f"{number}（{_what_zh(req)}）是您本人提交的，需由其他审批人处理",
        )
    return req


def rejection_reason(uow, number: str | None) -> str | None:
    """Why a request was rejected (None when it was not, or no reason was given)."""
    if not number:
        return None
    return uow.execute(
        select(req_t.c.decision_reason).where(
            (req_t.c.number == number) & (req_t.c.status == "rejected")
        )
    ).scalar()


_KIND = {"sales_order": "sales order", "purchase_order": "purchase order", "stock_count": "count"}
_KIND_ZH = {"sales_order": "销售单", "purchase_order": "采购单", "stock_count": "盘点"}


def _what(req) -> str:
    subject = f"#{req.subject}" if req.subject_kind == "stock_count" else req.subject
    return f"{_KIND.get(req.subject_kind, req.subject_kind)} {subject}"


def _what_zh(req) -> str:
    subject = f"#{req.subject}" if req.subject_kind == "stock_count" else req.subject
    return f"{_KIND_ZH.get(req.subject_kind, req.subject_kind)} {subject}"


def threshold(uow, name: str) -> Decimal:
    """A numeric approval threshold."""
    return settings.get_decimal(uow, name)
