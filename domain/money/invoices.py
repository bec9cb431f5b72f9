"""Issuing documents and setting them against each other, inside the caller's transaction.

A shipment makes an `INV-`, a receipt a `BILL-`, a return a `CN-` (negative total); each is
dated on the local day it is made and due after the partner's payment days. A credit note is
applied to the newest open invoice of its order while that is open; the rest of it stays open
credit. Payments are allocated by `domain.money.payments` through `allocate` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import bindparam, insert, select, update

from domain.ledger.sequences import next_number
from domain.model import Partner
from domain.model.money import Allocation, Invoice, Payment
from domain.numbers import money
from domain.types import Money
from domain.uow import Prepared

inv_t = Invoice.__table__
pay_t = Payment.__table__
alloc_t = Allocation.__table__
partner_t = Partner.__table__
ZERO = Decimal(0)
SERIES = {"sales": "INV", "purchase": "BILL", "credit_note": "CN"}
KINDS = tuple(SERIES)

_TERMS = Prepared(select(partner_t.c.payment_days).where(partner_t.c.id == bindparam("p")))
_INSERT = Prepared(
    insert(inv_t).returning(inv_t.c.id),
    (
        "number",
        "kind",
        "partner_id",
        "order_ref",
        "doc_no",
        "at",
        "day",
        "due",
        "total",
        "paid",
        "status",
    ),  # fmt: skip
)
_SET_PAID = Prepared(
    update(inv_t)
    .where(inv_t.c.id == bindparam("i"))
    .values(paid=bindparam("paid", type_=Money()), status=bindparam("status"))
)
_ALLOCATE = Prepared(
    insert(alloc_t), ("invoice_id", "payment_id", "credit_note_id", "amount", "at")
)


def worth(qty: Decimal, price: Decimal, amount: Decimal, q: Decimal) -> Decimal:
    """What `q` of an order line (`qty` at net `price`, worth `amount`) is worth: the line's
    amount once `q` reaches its quantity, else q × price to the cent. A shipment, receipt or
    return of part of a line is worth the difference of two such figures, so a line's parts add
    up to its amount (the one that completes it takes the remaining cents)."""
    return amount if q >= qty else money(q * price)


@dataclass(frozen=True)
class Issued:
    """A document just made: its id, number, date and due date."""

    id: int
    number: str
    day: str
    due: str


def issue(
    uow, kind: str, partner_id: int, order: str, doc_no: int | None, total: Decimal
) -> Issued:
    """Make the invoice (`sales`), bill (`purchase`) or credit note (`credit_note`, `total`
    negative) of one shipment, receipt or return (`doc_no`) of an order."""
    day = uow.clock.local(uow.now).date()
    row = _TERMS.first(uow, {"p": partner_id})
    due = day + timedelta(days=(row.payment_days if row is not None else 0) or 0)
    number = next_number(uow, SERIES[kind])
    (made,) = _INSERT.run(
        uow,
        {
            "number": number,
            "kind": kind,
            "partner_id": partner_id,
            "order_ref": order,
            "doc_no": doc_no,
            "at": uow.now,
            "day": day,
            "due": due,
            "total": total,
            "paid": ZERO,
            "status": "open" if total else "paid",
        },
    )
    return Issued(made.id, number, day.isoformat(), due.isoformat())


def set_paid(uow, invoice_id: int, total: Decimal, paid: Decimal) -> None:
    """Store what has been set against a document (open while it differs from its total)."""
    _SET_PAID.run(
        uow, {"i": invoice_id, "paid": paid, "status": "open" if paid != total else "paid"}
    )


def allocate(
    uow, invoice, amount: Decimal, *, payment_id: int | None = None, credit_note=None
) -> None:
    """Set `amount` (> 0) of a payment or of a credit note against an open invoice."""
    set_paid(uow, invoice.id, invoice.total, invoice.paid + amount)
    if credit_note is not None:
        set_paid(uow, credit_note.id, credit_note.total, credit_note.paid - amount)
    _ALLOCATE.run(
        uow,
        {
            "invoice_id": invoice.id,
            "payment_id": payment_id,
            "credit_note_id": credit_note.id if credit_note is not None else None,
            "amount": amount,
            "at": uow.now,
        },
    )


def apply_credit(uow, credit_note_id: int, order: str) -> str | None:
    """Apply a new credit note to the newest open invoice (or bill) of its order, as far as
    that is open; the number of the invoice it went to, or None (all of it stays open credit)."""
    cn = uow.execute(select(inv_t).where(inv_t.c.id == credit_note_id)).first()
    target = uow.execute(
        select(inv_t)
        .where(
            (inv_t.c.order_ref == order)
            & (inv_t.c.kind != "credit_note")
            & (inv_t.c.status == "open")
            & (inv_t.c.total > inv_t.c.paid)
        )
        .order_by(inv_t.c.id.desc())
        .limit(1)
    ).first()
    if target is None or cn is None:
        return None
    amount = min(target.total - target.paid, -(cn.total - cn.paid))
    if amount <= 0:
        return None
    allocate(uow, target, amount, credit_note=cn)
    return target.number


def find(uow, number: str):
    """The document with this number (any case), or None."""
    return uow.execute(select(inv_t).where(inv_t.c.number == number.strip().upper())).first()
