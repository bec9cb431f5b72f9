"""Commands on approvals: list and ask about requests, decide one, delegate deciding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.messages.commands.base import Command
from domain.messages.commands.slots import LongText


@dataclass(frozen=True)
class ListApprovals(Command):
    """List pending approval requests."""

    intent: ClassVar[str] = "approval.list"
    WRITE: ClassVar[bool] = False


@dataclass(frozen=True)
class QueryApproval(Command):
    """Ask about one approval request: its state, who decided it and when, and why."""

    intent: ClassVar[str] = "approval.query"
    WRITE: ClassVar[bool] = False
    REQUIRED: ClassVar[tuple[str, ...]] = ("request",)
    request: str = ""


@dataclass(frozen=True)
class DecideApproval(Command):
    """Approve or reject a pending request (never one's own)."""

    intent: ClassVar[str] = "approval.decide"
    REQUIRED: ClassVar[tuple[str, ...]] = ("request", "decision")
    request: str = ""
    decision: str = ""
    reason: LongText | None = None


@dataclass(frozen=True)
class DelegateApprovals(Command):
    """Let another registered user decide approval requests in one's stead until a local date
    (inclusive): `YYYY-MM-DD`, or a weekday (the next such day, today included)."""

    intent: ClassVar[str] = "approval.delegate"
    REQUIRED: ClassVar[tuple[str, ...]] = ("to", "until")
    to: str = ""
    until: str = ""


@dataclass(frozen=True)
class EndDelegation(Command):
    """End one's own delegation, or (an admin) the delegation of the approver `from`."""

    intent: ClassVar[str] = "approval.undelegate"
    from_: str | None = None
