"""The money results: returns, payments, a partner's balance, statements and invoice lists.
Registered in `domain.messages.results.REPLAYED` (the write intents) here."""

from __future__ import annotations

from dataclasses import dataclass

import domain.messages.results as _registry
from domain.messages.results import MovedLine, Result, omitted


@dataclass(frozen=True, kw_only=True)
class ReturnResult(Result):
    """`sales.return` / `purchase.return`: what went back (`returned`: each line's quantity, its
    amount at the order's net price and the stock `value` it moved at), where, the credit note
    made (negative `total`) and the invoice it was applied to (`applied_to`, absent when all of
    it stays open credit). The order keeps its status."""

    order: str
    status: str
    kind: str  # sales | purchase
    partner: str
    partner_name: str | None
    partner_name_zh: str | None
    warehouse: str
    returned: tuple[MovedLine, ...]
    value: str
    credit_note: str
    total: str
    applied_to: str | None = omitted()
    reason: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class AllocationRow(Result):
    """What a payment paid of one invoice."""

    invoice: str
    amount: str


@dataclass(frozen=True, kw_only=True)
class PaymentResult(Result):
    """`payment.receive` / `payment.pay`: the payment, how it was allocated to invoices (the one
    named first, then the oldest open ones), what is left unallocated, and the partner's
    balance after it."""

    payment: str
    kind: str  # receive | pay
    partner: str
    partner_name: str | None
    partner_name_zh: str | None
    amount: str
    date: str
    allocated: tuple[AllocationRow, ...]
    unallocated: str
    balance: str


@dataclass(frozen=True, kw_only=True)
class BalanceAnswer(Result):
    """`partner.balance`: what a customer owes us (a supplier: what we owe them), what of it is
    overdue, its aging by days past due (credit not yet applied counts as `current`), and the
    credit line: limit, exposure (confirmed orders not yet shipped + the balance, never below
    0) and what is left."""

    partner: str
    partner_name: str | None
    partner_name_zh: str | None
    kind: str  # customer | supplier
    balance: str
    overdue: str
    aging: dict
    open_orders: str
    credit_limit: str
    exposure: str
    credit_left: str


@dataclass(frozen=True, kw_only=True)
class StatementLine(Result):
    """One document on a statement: a debit raises the balance (an invoice, a supplier's bill),
    a credit lowers it (a payment, a credit note)."""

    date: str
    doc: str
    kind: str  # invoice | bill | credit_note | payment
    order: str | None
    debit: str
    credit: str
    balance: str


@dataclass(frozen=True, kw_only=True)
class StatementAnswer(Result):
    """`statement`: a partner's documents in a period, in date order, between the opening and
    the closing balance; `note` says so when the period had no activity."""

    partner: str
    partner_name: str | None
    partner_name_zh: str | None
    kind: str
    period: dict
    opening: str
    lines: tuple[StatementLine, ...]
    closing: str
    note: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class InvoiceRow(Result):
    """An invoice, bill or credit note as `jxc invoices` lists it."""

    invoice: str
    kind: str  # sales | purchase | credit_note
    partner: str
    order: str
    date: str
    due: str
    total: str
    paid: str
    open: str


@dataclass(frozen=True, kw_only=True)
class InvoicesAnswer(Result):
    """The invoices asked for (of one partner, or only the open ones)."""

    invoices: tuple[InvoiceRow, ...]


RESULT_TYPES = (ReturnResult, PaymentResult, BalanceAnswer, StatementAnswer, InvoicesAnswer)
_registry.REPLAYED.update(
    {
        "sales.return": ReturnResult,
        "purchase.return": ReturnResult,
        "payment.receive": PaymentResult,
        "payment.pay": PaymentResult,
    }
)
