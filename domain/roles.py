"""Who may do what. Each user has one role; every role may do what `viewer` may; `admin` may do
everything. Nobody decides their own approval request (checked by the approval service)."""

from __future__ import annotations

from domain.errors import NotPermitted

# Everyone may list approval requests: approvers see all pending ones, others their own.
VIEWER = frozenset(
    {"stock.query", "order.query", "forecast", "report", "partner.balance", "help", "approval.list"}
)
RIGHTS: dict[str, frozenset[str]] = {
    "viewer": VIEWER,
    "sales": VIEWER | {"sales.create", "sales.cancel", "sales.return"},
    "clerk": VIEWER
    | {
        "stock.receive",
        "stock.issue",
        "stock.transfer",
        "stock.count",
        "sales.ship",
        "purchase.receive",
        "sales.return",
        "purchase.return",
    },
    "buyer": VIEWER | {"purchase.create", "purchase.cancel", "purchase.return"},
    "accountant": VIEWER | {"payment.receive", "payment.pay", "statement"},
    "approver": VIEWER | {"approval.list", "approval.decide"},
}
ADMIN_ONLY = frozenset({"import", "users", "rules.set"})
ROLES = (*RIGHTS, "admin")


def may(role: str, intent: str) -> bool:
    """Whether a role may run an intent."""
    if role == "admin":
        return True
    return intent in RIGHTS.get(role, frozenset())


def allowed_intents(role: str) -> list[str]:
    """The intents a role may run, for help texts."""
    if role == "admin":
        return sorted(set().union(*RIGHTS.values()))
    return sorted(RIGHTS.get(role, VIEWER))


def authorize(user_name: str, role: str, intent: str) -> None:
    """Refuse with `NotPermitted` unless the role may run the intent."""
    if not may(role, intent):
        raise NotPermitted(
            f"{user_name} ({role}) may not run {intent}; ask an admin for the right role",
            zh=f"{user_name}（{role}）无权执行 {intent}，请联系管理员分配角色",
        )
