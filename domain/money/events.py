"""The money events: returns (which re-check the reorder points of the order's items, as every
event naming an order does) and payments. Registered in `domain.messages.events.EVENTS`."""

from __future__ import annotations

from dataclasses import dataclass

from domain.messages.events import EVENTS, Event, ReceivedLine


@dataclass(frozen=True)
class SalesOrderReturned(Event):
    """Goods of a sales order came back from the customer into `warehouse` (each line's
    quantity, its amount at the order's net price and the cost it came back at); the credit
    note `credit_note` (negative `total`) was made."""

    order: str
    customer: str
    warehouse: str
    lines: tuple[ReceivedLine, ...]
    credit_note: str
    total: str
    user: str


@dataclass(frozen=True)
class PurchaseOrderReturned(Event):
    """Goods of a purchase order went back to the supplier from `warehouse` at the cost they
    came in with; the supplier's credit note `credit_note` (negative `total`) was made."""

    order: str
    supplier: str
    warehouse: str
    lines: tuple[ReceivedLine, ...]
    credit_note: str
    total: str
    user: str


@dataclass(frozen=True)
class PaymentReceived(Event):
    """A customer paid `amount`; `unallocated` of it is left as their credit."""

    payment: str
    customer: str
    amount: str
    unallocated: str
    user: str


@dataclass(frozen=True)
class PaymentMade(Event):
    """We paid a supplier `amount`; `unallocated` of it is left as credit with them."""

    payment: str
    supplier: str
    amount: str
    unallocated: str
    user: str


MONEY_EVENTS = (SalesOrderReturned, PurchaseOrderReturned, PaymentReceived, PaymentMade)
EVENTS.update({cls.name: cls for cls in MONEY_EVENTS})
