"""Who may do what. Each user has one role; every role may do what `viewer` may; `admin` may do
everything. Nobody decides their own approval request (checked by the approval service)."""

from __future__ import annotations

from domain.errors import NotPermitted

# Everyone may list approval requests: approvers see all pending ones, others their own.
VIEWER = frozenset(
    {"stock.query", "order.query", "forecast", "report", "partner.balance", "help", "approval.list"}
    # Questions never write: anyone may ask a price, a request's state, or for the digest.
    | {"price.query", "approval.query", "digest"}
    # Everyone may list, acknowledge and snooze the alerts sent to them (checked by the service).
    | {"alert.list", "alert.ack", "alert.snooze"}
)
RIGHTS: dict[str, frozenset[str]] = {
    "viewer": VIEWER,
    "sales": VIEWER
    | {"sales.create", "sales.amend", "sales.cancel", "sales.return", "delivery_note"},
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
        "delivery_note",
        "labels",
    },
    "buyer": VIEWER
    | {"purchase.create", "purchase.amend", "purchase.cancel", "purchase.return", "alert.order"},
    "accountant": VIEWER | {"payment.receive", "payment.pay", "statement"},
    "approver": VIEWER
    | {"approval.list", "approval.decide", "approval.delegate", "approval.undelegate"},
}
# What only an admin does, beyond the intents, with how a refusal names it.
ADMIN_ONLY: dict[str, tuple[str, str]] = {
    "import": ("import", "导入数据"),
    "users": ("manage users", "管理用户"),
    "rules.set": ("change rules", "修改规则"),
    "digest.schedules": ("change digest schedules", "修改摘要推送计划"),
}
ROLES = (*RIGHTS, "admin")
# Rights a role has only over what its own user made: a salesperson cancels their own orders.
OWN_ONLY: dict[str, frozenset[str]] = {
    "sales": frozenset({"sales.cancel", "sales.amend", "sales.return"})
}
# Rights a user may also hold by a delegation in force, whatever their role: anyone may ask,
# and the service decides (`domain.approvals.delegation`).
DELEGABLE = frozenset({"approval.decide"})


def is_admin(role: str) -> bool:
    """Whether a role is the admin role, which may do everything."""
    return role == "admin"


def may(role: str, intent: str) -> bool:
    """Whether a role may run (or, for a `DELEGABLE` intent, ask for) an intent."""
    return holds(role, intent) or intent in DELEGABLE


def holds(role: str, intent: str) -> bool:
    """Whether a role itself has the right to an intent (a delegation aside)."""
    if is_admin(role):
        return True
    return intent in RIGHTS.get(role, frozenset())


def only_own(role: str, intent: str) -> bool:
    """Whether a role may run an intent only on subjects its user made (see `OWN_ONLY`)."""
    return intent in OWN_ONLY.get(role, frozenset())


def require_admin(user_name: str, role: str, action: str) -> None:
    """Refuse with `NotPermitted` unless the role is admin; `action` is one of `ADMIN_ONLY`."""
    if is_admin(role):
        return
    en, zh = ADMIN_ONLY[action]
    raise NotPermitted(
        f"{user_name} ({role}) may not {en}; only an admin may",
        zh=f"只有管理员可以{zh}",
    )


def allowed_intents(role: str) -> list[str]:
    """The intents a role may run, for help texts."""
    if is_admin(role):
        return sorted(set().union(*RIGHTS.values()))
    return sorted(RIGHTS.get(role, VIEWER))


def authorize(user_name: str, role: str, intent: str) -> None:
    """Refuse with `NotPermitted` unless the role may run the intent."""
    if not may(role, intent):
        raise NotPermitted(
            f"{user_name} ({role}) may not run {intent}; ask an admin for the right role",
            zh=f"{user_name}（{role}）无权执行 {intent}，请联系管理员分配角色",
        )


# Beyond the intents (design, Roles): the CLI's batch commands, checked by the bus like any
# intent. A backtest only reads, so every role may run it; the catalogue forecast is a buyer's.
# Sending a digest and changing its schedules are an admin's (no role lists them).
BATCH_RIGHTS: dict[str, frozenset[str]] = {
    "viewer": frozenset({"forecast.backtest"}),
    "buyer": frozenset({"forecast.all"}),
}
for _role in RIGHTS:
    RIGHTS[_role] = RIGHTS[_role] | BATCH_RIGHTS["viewer"] | BATCH_RIGHTS.get(_role, frozenset())
