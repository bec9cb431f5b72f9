"""What each partner owes (or is owed), and the one exposure function.

A partner's balance is the open part of its invoices, bills and credit notes less the part of
its payments not yet allocated (the same as its documents' totals less its payments, which
`jxc verify` checks): for a customer what they owe us, for a supplier what we owe them;
negative after an over-payment. Aging puts each open invoice in a bucket by days past its due
date (local dates); credit not yet applied (an open credit note, an unallocated payment) counts
as `current`.

Exposure — what a customer has committed that is not paid — is confirmed orders not yet shipped
plus the balance (never below 0). The sales approval check, `credit_left` and the chat all read
it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import bindparam, func, select

from domain.ledger import lookup
from domain.messages.commands import QueryBalance
from domain.model import SalesLine, SalesOrder
from domain.model.money import Invoice, Payment
from domain.money.results import BalanceAnswer
from domain.numbers import money, money_str
from domain.uow import Prepared

inv_t = Invoice.__table__
pay_t = Payment.__table__
so_t = SalesOrder.__table__
sl_t = SalesLine.__table__
ZERO = Decimal(0)
BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")

_OPEN_BY_DUE = Prepared(
    select(inv_t.c.due, func.sum(inv_t.c.total - inv_t.c.paid).label("open"))
    .where((inv_t.c.partner_id == bindparam("p")) & (inv_t.c.status == "open"))
    .group_by(inv_t.c.due)
)
_UNALLOCATED = Prepared(
    select(func.sum(pay_t.c.unallocated).label("left")).where(
        (pay_t.c.partner_id == bindparam("p")) & (pay_t.c.status == "open")
    )
)
_CONFIRMED = Prepared(
    select(func.sum(so_t.c.total).label("total")).where(
        (so_t.c.partner_id == bindparam("p")) & (so_t.c.status == "confirmed")
    )
)
_PART_SHIPPED = Prepared(
    select(sl_t.c.qty, sl_t.c.price, sl_t.c.amount, sl_t.c.shipped_qty)
    .select_from(sl_t.join(so_t, so_t.c.id == sl_t.c.order_id))
    .where((so_t.c.partner_id == bindparam("p")) & (so_t.c.status == "partially_shipped"))
)


def _dec(value) -> Decimal:
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(value)


def bucket(days_past_due: int) -> str:
    """The aging bucket of an amount so many days past its due date."""
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    if days_past_due <= 90:
        return "61-90"
    return "90+"


@dataclass(frozen=True)
class Owed:
    """A partner's balance, what of it is overdue, and its aging."""

    balance: Decimal
    overdue: Decimal
    aging: dict[str, Decimal]


def owed(uow, partner_id: int, today: date) -> Owed:
    """The balance of a partner and its aging on `today` (a local date)."""
    aging = dict.fromkeys(BUCKETS, ZERO)
    for due, open_ in _OPEN_BY_DUE.run(uow, {"p": partner_id}):
        due = due if isinstance(due, date) else date.fromisoformat(str(due)[:10])
        amount = _dec(open_)
        # A credit note's open part is credit not yet applied: it lowers what is current.
        aging["current" if amount < 0 else bucket((today - due).days)] += amount
    (left,) = _UNALLOCATED.run(uow, {"p": partner_id})
    aging["current"] -= _dec(left.left)
    overdue = sum((aging[b] for b in BUCKETS[1:]), ZERO)
    return Owed(sum(aging.values(), ZERO), overdue, aging)


def balance(uow, partner_id: int) -> Decimal:
    """What a customer owes us (a supplier: what we owe them); negative after an over-payment."""
    return owed(uow, partner_id, date.min).balance


def open_orders(uow, partner_id: int) -> Decimal:
    """What a customer's confirmed orders have not shipped yet, at their net prices: whole
    confirmed orders, and the rest of partly shipped ones (a line's shipments worth what the
    shipping service invoiced). A pending order and the closed rest of a cancelled one do not
    count."""
    (row,) = _CONFIRMED.run(uow, {"p": partner_id})
    total = _dec(row.total)
    for qty, price, amount, shipped in _PART_SHIPPED.run(uow, {"p": partner_id}):
        total += amount - (amount if shipped >= qty else money(shipped * price))
    return total


def exposure(uow, partner_id: int) -> Decimal:
    """What a customer has committed and not paid: confirmed orders not yet shipped plus the
    balance (shipped and unpaid), never below 0. The one figure the sales credit check,
    `credit_left` and the chat use."""
    return open_orders(uow, partner_id) + max(balance(uow, partner_id), ZERO)


def partner_balance(cmd: QueryBalance, uow, user) -> BalanceAnswer:
    """A partner's balance, overdue part and aging, and (customers) the credit line: limit,
    exposure and what is left (`credit_limit − exposure`)."""
    partner = lookup.partner(uow, cmd.partner)
    now = owed(uow, partner.id, uow.clock.today())
    customer = partner.kind == "customer"
    pending = open_orders(uow, partner.id) if customer else ZERO
    exposed = pending + max(now.balance, ZERO) if customer else ZERO
    limit = partner.credit_limit or ZERO
    return BalanceAnswer(
        partner=partner.code,
        partner_name=partner.name or None,
        partner_name_zh=partner.name_zh or None,
        kind=partner.kind,
        balance=money_str(now.balance),
        overdue=money_str(now.overdue),
        aging={b: money_str(now.aging[b]) for b in BUCKETS},
        open_orders=money_str(pending),
        credit_limit=money_str(limit),
        exposure=money_str(exposed),
        credit_left=money_str(limit - exposed),
    )
