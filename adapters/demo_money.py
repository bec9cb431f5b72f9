"""The demo's money: what the accountant (`chen`) pays and receives in the played weeks, and how
much each customer may still order.

Customers pay their invoices in one sum on a weekday morning, each in their own way: ACME on the
due date, BETA a week late, MEILIN three weeks early and rounded up to the hundred (the rest
stays as credit), SUNRISE on its 60-day terms, GREEN and XINDA late enough that their oldest
invoices are overdue today. The shop pays its suppliers' bills on Fridays, Shenzhen Tools ten
days late. A customer's new orders stop short of 60 % of its credit limit less what the ledger
counts as exposure (open orders and the unpaid balance), so paying customers order in full and a
first chat order does not wait for approval.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from domain.ledger import lookup
from domain.money.balances import exposure
from domain.money.commands import MakePayment, ReceivePayment
from domain.money.statement import list_invoices

ACCOUNTANT = "chen"
CREDIT_USE = Decimal("0.6")
# Days after the due date a customer pays (negative: before it); None: pays nothing.
PAYS_AFTER_DUE = {"ACME": 0, "BETA": 7, "MEILIN": -21, "SUNRISE": 0, "GREEN": 35, "XINDA": 45}
ROUNDS_UP = {"MEILIN": Decimal(100)}
SUPPLIER_LATE = {"SZT": 10}
PAY_SUPPLIERS_ON = 4  # Friday
ZERO = Decimal(0)


def credit_budget(app, customer: str) -> Decimal:
    """What a customer may still order: 60 % of its limit less its exposure as the ledger
    counts it (the sales approval check's own figure)."""
    with app.uow(write=False) as uow:
        partner = lookup.partner(uow, customer)
        return (partner.credit_limit or ZERO) * CREDIT_USE - exposure(uow, partner.id)


def _due(app, partner: str, by: date) -> Decimal:
    """The open part of a partner's invoices (bills) due on or before `by`."""
    with app.uow(write=False) as uow:
        rows = list_invoices(uow, partner, open_only=True).invoices
    return sum(
        (
            Decimal(r.open)
            for r in rows
            if r.kind != "credit_note" and date.fromisoformat(r.due) <= by
        ),
        ZERO,
    )


def pay_and_collect(play, day: date) -> None:
    """A weekday morning's payments: customers whose way of paying makes something due, and on
    Fridays the suppliers' bills."""
    if day.weekday() >= 5:
        return
    for n, (customer, lag) in enumerate(sorted(PAYS_AFTER_DUE.items())):
        amount = _due(play.app, customer, day - timedelta(days=lag))
        if amount <= 0:
            continue
        step = ROUNDS_UP.get(customer)
        if step:
            amount = (amount / step).to_integral_value(rounding=ROUND_CEILING) * step
        play.at(day, 9, 40 + n)
        play.run(ReceivePayment(customer=customer, amount=amount), ACCOUNTANT)
    if day.weekday() != PAY_SUPPLIERS_ON:
        return
    for n, supplier in enumerate(("ECH", "HZP", "SAFE", "SZT")):
        amount = _due(play.app, supplier, day + timedelta(days=3 - SUPPLIER_LATE.get(supplier, 0)))
        if amount <= 0:
            continue
        play.at(day, 15, 5 * n)
        play.run(MakePayment(supplier=supplier, amount=amount), ACCOUNTANT)
