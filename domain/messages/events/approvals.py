"""Events of approvals: a command waits for an approver; a request decided."""

from __future__ import annotations

from dataclasses import dataclass

from domain.messages.events.base import Event


@dataclass(frozen=True)
class ApprovalRequested(Event):
    """A command waits for an approver; the reasons in English and in Chinese."""

    request: str
    subject_kind: str
    subject: str
    reasons: tuple[str, ...]
    reasons_zh: tuple[str, ...]
    requested_by: str


@dataclass(frozen=True)
class ApprovalDecided(Event):
    """A request was `approved` or `rejected` by an approver (or a delegate `on_behalf_of`
    one), or `cancelled` with its subject or replaced by an amendment's new request (then
    without `subject` and `requested_by`; `reason` says "replaced by A-n")."""

    request: str
    decision: str
    by: str
    subject: str | None = None
    requested_by: str | None = None
    reason: str | None = None
    on_behalf_of: str | None = None  # the approver a delegate decided for
