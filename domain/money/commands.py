"""The money commands: returns, payments, the statement. Registered in `domain.messages.commands`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

import domain.messages.commands as _registry
from domain.errors import InvalidAmount
from domain.messages.commands import Command, Line, echo
from domain.numbers import amount as money_amount


@dataclass(frozen=True)
class ReturnSalesOrder(Command):
    """A customer sends goods of a shipped (or partly shipped) sales order back: they come back
    into stock at their cost of goods (into `warehouse`, else the one the order's latest
    shipment left from), and a credit note of quantity × the line's net price is made."""

    intent: ClassVar[str] = "sales.return"
    REQUIRED: ClassVar[tuple[str, ...]] = ("order", "lines")
    TEXT_LIMITS: ClassVar[dict[str, int]] = {"reason": 200}
    order: str = ""
    lines: tuple[Line, ...] = ()
    reason: str | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class ReturnPurchaseOrder(Command):
    """Goods of a received (or partly received) purchase order go back to the supplier at the
    cost they came in with (from `warehouse`, else the one the latest receipt went into); the
    supplier's credit note lowers what we owe."""

    intent: ClassVar[str] = "purchase.return"
    REQUIRED: ClassVar[tuple[str, ...]] = ("order", "lines")
    TEXT_LIMITS: ClassVar[dict[str, int]] = {"reason": 200}
    order: str = ""
    lines: tuple[Line, ...] = ()
    reason: str | None = None
    warehouse: str | None = None


def _amount(cmd) -> None:
    """A payment's amount made a Decimal: more than zero, at most 2 decimals."""
    value = cmd.amount
    if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
        raise InvalidAmount(f"amount {echo(value, 30)!r} is not a number", zh="金额不是数字")
    got = money_amount(value.strip() if isinstance(value, str) else value, "amount")
    if got <= 0:
        raise InvalidAmount(
            f"a payment's amount must be more than zero, not {echo(value, 30)}",
            zh=f"付款金额必须大于零，不能是 {echo(value, 30)}",
        )
    object.__setattr__(cmd, "amount", got)


@dataclass(frozen=True)
class ReceivePayment(Command):
    """Money received from a customer: it pays the invoice named, then the oldest open ones;
    what is left stays as the customer's credit."""

    intent: ClassVar[str] = "payment.receive"
    REQUIRED: ClassVar[tuple[str, ...]] = ("customer", "amount")
    customer: str = ""
    amount: Decimal = Decimal(0)
    invoice: str | None = None

    def __post_init__(self):
        _amount(self)
        super().__post_init__()


@dataclass(frozen=True)
class MakePayment(Command):
    """Money paid to a supplier: it pays the bill named, then the oldest open ones; what is
    left stays as credit with the supplier."""

    intent: ClassVar[str] = "payment.pay"
    REQUIRED: ClassVar[tuple[str, ...]] = ("supplier", "amount")
    supplier: str = ""
    amount: Decimal = Decimal(0)
    invoice: str | None = None

    def __post_init__(self):
        _amount(self)
        super().__post_init__()


@dataclass(frozen=True)
class QueryStatement(Command):
    """A partner's statement (对账单) for a period (default `last_month`): the opening balance,
    one line per invoice, bill, credit note and payment, the closing balance."""

    intent: ClassVar[str] = "statement"
    REQUIRED: ClassVar[tuple[str, ...]] = ("partner",)
    WRITE: ClassVar[bool] = False
    partner: str = ""
    period: str | None = None


MONEY_COMMANDS = (
    ReturnSalesOrder,
    ReturnPurchaseOrder,
    ReceivePayment,
    MakePayment,
    QueryStatement,
)
_registry.COMMANDS.update({c.intent: c for c in MONEY_COMMANDS})
_registry.INTENTS = tuple(_registry.COMMANDS) + tuple(_registry.PENDING_INTENTS)
