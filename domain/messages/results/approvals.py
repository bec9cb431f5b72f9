"""Results of approvals: the requests, one request, a decision and what it posted, delegations."""

from __future__ import annotations

from dataclasses import dataclass

from domain.messages.codec import omitted, renamed
from domain.messages.results.base import Result


@dataclass(frozen=True, kw_only=True)
class RequestRow(Result):
    """A pending approval request, with what it is about (`details`) and why."""

    request: str
    subject_kind: str
    subject: str
    status: str
    reasons: tuple[str, ...]
    reasons_zh: tuple[str, ...]
    requested_by: str
    requested_at: str
    decided_by: str | None
    details: dict
    reason: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class ApprovalAnswer(RequestRow):
    """`approval.query`: one request in any state, the row `approval.list` shows plus who
    decided it and when (for whom, under a delegation), and the reason given."""

    decided_at: str | None
    on_behalf_of: str | None
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class ApprovalsAnswer(Result):
    """`approval.list`: the requests the user may see."""

    requests: tuple[RequestRow, ...]


@dataclass(frozen=True, kw_only=True)
class PostedCount(Result):
    """What an approved count posted, and whether the book had moved since the count."""

    diff_qty: str
    diff_value: str
    book_qty_at_count: str
    book_qty_before: str
    on_hand: str
    book_moved: bool


@dataclass(frozen=True, kw_only=True)
class Decision(Result):
    """`approval.decide`: the request decided, what it was about and what became of it."""

    request: str
    status: str
    subject_kind: str
    subject: str
    subject_status: str
    decided_by: str
    requested_by: str
    reasons: tuple[str, ...]
    reasons_zh: tuple[str, ...]
    details: dict
    posted: PostedCount | None = omitted()
    reason: str | None = omitted()
    on_behalf_of: str | None = omitted()  # the approver a delegate decided for


@dataclass(frozen=True, kw_only=True)
class DelegationSet(Result):
    """`approval.delegate`: who decides for whom, until which local date (inclusive)."""

    from_: str = renamed("from")
    to: str
    until: str


@dataclass(frozen=True, kw_only=True)
class DelegationEnded(Result):
    """`approval.undelegate`: the approver whose delegation ended."""

    from_: str = renamed("from")
    ended: bool
    to: str | None = omitted()
