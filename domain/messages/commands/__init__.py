"""Typed commands: every way in (chat, CLI, LLM tool call) ends as one of these.

Each is a frozen dataclass whose slots' types carry their checks (`domain.messages.commands.slots`);
`to_dict()` gives the design's JSON shape (what `jxc parse` prints and `jxc run` reads) and
`command_from_dict()` reads it back, both through the one codec (`domain.messages.codec`). Quantities stay
`Decimal`; whether a quantity suits the item's unit is checked by the service, which knows the
item. The commands live by subject: stock, orders, approvals, alerts, queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.errors import MissingSlot
from domain.messages.codec import (
    DECIMAL_DIGITS,
    DECIMAL_PLACES,
    ECHO_LIMIT,
    TEXT_LIMIT,
    check_decimal,
    check_text,
    check_value,
    echo,
)
from domain.messages.commands.alerts import (
    MAX_ID,
    MAX_SNOOZE_DAYS,
    AckAlert,
    ListAlerts,
    OrderFromAlert,
    SnoozeAlert,
)
from domain.messages.commands.approvals import (
    DecideApproval,
    DelegateApprovals,
    EndDelegation,
    ListApprovals,
    QueryApproval,
)
from domain.messages.commands.base import Command, CommandReading, decode_command, json_type
from domain.messages.commands.documents import PrintLabels, QueryDeliveryNote
from domain.messages.commands.orders import (
    AmendPurchaseOrder,
    AmendSalesOrder,
    CancelPurchaseOrder,
    CancelSalesOrder,
    CreatePurchaseOrder,
    CreateSalesOrder,
    QueryOrders,
    ReceivePurchaseOrder,
    ShipSalesOrder,
)
from domain.messages.commands.queries import (
    MAX_YEAR,
    MIN_YEAR,
    Forecast,
    Help,
    QueryBalance,
    QueryDigest,
    QueryPrice,
    Report,
)
from domain.messages.commands.slots import Line
from domain.messages.commands.stock import (
    CountStock,
    IssueStock,
    QueryStock,
    ReceiveStock,
    TransferStock,
)


@dataclass(frozen=True)
class Pending(Command):
    """An intent of the vocabulary whose service does not exist yet (returns, payments,
    balances, statements): parsed all the same, answered `not_available` when run."""

    intent_name: str = ""
    slots: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"intent": self.intent_name, **self.slots}


PENDING_INTENTS: dict[str, bool] = {}
"""Intents parsed but not served yet, with whether each writes (none at present)."""

COMMANDS: dict[str, type[Command]] = {
    c.intent: c
    for c in (
        QueryStock,
        ReceiveStock,
        IssueStock,
        TransferStock,
        CountStock,
        CreatePurchaseOrder,
        ReceivePurchaseOrder,
        CancelPurchaseOrder,
        CreateSalesOrder,
        ShipSalesOrder,
        CancelSalesOrder,
        QueryOrders,
        ListApprovals,
        DecideApproval,
        QueryApproval,
        Forecast,
        Report,
        QueryPrice,
        QueryBalance,
        QueryDigest,
        QueryDeliveryNote,
        PrintLabels,
        Help,
        ListAlerts,
        AckAlert,
        SnoozeAlert,
        OrderFromAlert,
        AmendSalesOrder,
        AmendPurchaseOrder,
        DelegateApprovals,
        EndDelegation,
    )
}
"""The chat's vocabulary: each intent's command type (the batch and admin doors of the CLI
are `domain.messages.commands_admin`)."""

INTENTS = tuple(COMMANDS) + tuple(PENDING_INTENTS)


def command_from_dict(data: dict) -> Command:
    """Build a typed command from the design's JSON shape; a missing slot is `MissingSlot`."""
    intent = data.get("intent")
    if intent in PENDING_INTENTS:
        slots = {k: v for k, v in data.items() if k not in ("intent", "key")}
        return Pending(intent_name=intent, slots=slots)
    cls = COMMANDS.get(intent or "")
    if cls is None:
        raise MissingSlot(f"unknown intent {intent!r}", zh=f"未知的指令 {intent!r}")
    return decode_command(cls, data)


__all__ = [
    "COMMANDS", "DECIMAL_DIGITS", "DECIMAL_PLACES", "ECHO_LIMIT", "INTENTS", "MAX_ID",
    "MAX_SNOOZE_DAYS", "MAX_YEAR", "MIN_YEAR", "PENDING_INTENTS", "TEXT_LIMIT", "AckAlert",
    "AmendPurchaseOrder", "AmendSalesOrder", "CancelPurchaseOrder", "CancelSalesOrder", "Command",
    "CommandReading", "CountStock", "CreatePurchaseOrder", "CreateSalesOrder", "DecideApproval",
    "DelegateApprovals", "EndDelegation", "Forecast", "Help", "IssueStock", "Line", "ListAlerts",
    "ListApprovals", "OrderFromAlert", "Pending", "PrintLabels", "QueryApproval", "QueryBalance", "QueryDigest", "QueryDeliveryNote",
    "QueryOrders", "QueryPrice", "QueryStock", "ReceivePurchaseOrder", "ReceiveStock", "Report",
    "ShipSalesOrder", "SnoozeAlert", "TransferStock", "check_decimal", "check_text",
    "check_value", "command_from_dict", "decode_command", "echo", "json_type",
]  # fmt: skip


# The money commands (returns, payments, statements) are declared beside their services and
# registered in `COMMANDS` there.
import domain.money.commands  # noqa: E402, F401
