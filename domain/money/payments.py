"""Payments: money received from a customer (`payment.receive`) or paid to a supplier
(`payment.pay`), the accountant's.

A payment pays the invoice (bill) it names first, then the oldest open ones (by due date, then
number); what is left stays unallocated, as the partner's credit. Refused: an unknown partner,
the wrong kind of partner, an unknown document, a document of another partner, a credit note,
an invoice already paid. Idempotent like every write (the bus keeps the key).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert, select, update

from domain.errors import InvalidState, UnknownInvoice
from domain.ledger import lookup
from domain.ledger.sequences import next_number
from domain.model.money import Payment
from domain.money import invoices
from domain.money.balances import balance
from domain.money.commands import MakePayment, ReceivePayment
from domain.money.events import PaymentMade, PaymentReceived
from domain.money.results import AllocationRow, PaymentResult
from domain.numbers import money_str

pay_t = Payment.__table__
inv_t = invoices.inv_t
ZERO = Decimal(0)
SIDES = {
    # payment kind → the partner's kind, the kind of invoice it pays, its words
    "receive": ("customer", "sales", "invoice", "发票"),
    "pay": ("supplier", "purchase", "bill", "账单"),
}


def receive_payment(cmd: ReceivePayment, uow, user) -> PaymentResult:
    """Record money received from a customer and allocate it to their invoices."""
    return _pay("receive", cmd.customer, cmd.amount, cmd.invoice, uow, user)


def make_payment(cmd: MakePayment, uow, user) -> PaymentResult:
    """Record money paid to a supplier and allocate it to their bills."""
    return _pay("pay", cmd.supplier, cmd.amount, cmd.invoice, uow, user)


def _named(uow, kind: str, partner, number: str):
    """The document a payment names, checked: it exists, is the partner's, is an invoice
    (bill) and still open."""
    _, inv_kind, word, word_zh = SIDES[kind]
    doc = invoices.find(uow, number)
    if doc is None:
        shown = number.strip().upper()
        raise UnknownInvoice(f"there is no invoice {shown}", zh=f"没有发票 {shown}")
    if doc.kind == "credit_note":
        raise InvalidState(
            f"{doc.number} is a credit note; a payment pays an {word}",
            zh=f"{doc.number} 是红字发票（贷项通知单），付款只能冲销{word_zh}",
        )
    if doc.partner_id != partner.id:
        owner = uow.execute(
            select(lookup.partner_t.c.code).where(lookup.partner_t.c.id == doc.partner_id)
        ).scalar()
        raise InvalidState(
            f"{doc.number} is {owner}'s, not {partner.code}'s",
            zh=f"{doc.number} 属于 {owner}，不是 {partner.code} 的",
        )
    if doc.kind != inv_kind:
        raise InvalidState(
            f"{doc.number} is not an {word}", zh=f"{doc.number} 不是{word_zh}"
        )  # pragma: no cover - a partner has documents of one kind only
    if doc.status != "open":
        raise InvalidState(
            f"{doc.number} is paid already ({money_str(doc.total)})",
            zh=f"{doc.number} 已经付清（{money_str(doc.total)}）",
        )
    return doc


def _open_invoices(uow, partner_id: int, inv_kind: str):
    """The partner's open invoices (bills), oldest due first, locked for this payment."""
    stmt = (
        select(inv_t)
        .where(
            (inv_t.c.partner_id == partner_id)
            & (inv_t.c.status == "open")
            & (inv_t.c.kind == inv_kind)
            & (inv_t.c.total > inv_t.c.paid)
        )
        .order_by(inv_t.c.due, inv_t.c.id)
    )
    if uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    return uow.execute(stmt).all()


def _pay(kind: str, code: str, amount: Decimal, invoice: str | None, uow, user) -> PaymentResult:
    partner_kind, inv_kind, _, _ = SIDES[kind]
    partner = lookup.partner(uow, code, partner_kind)
    named = _named(uow, kind, partner, invoice) if invoice else None
    number = next_number(uow, "PAY")
    day = uow.clock.local(uow.now).date()
    payment_id = uow.execute(
        insert(pay_t)
        .values(
            number=number,
            kind=kind,
            partner_id=partner.id,
            amount=amount,
            unallocated=amount,
            status="open",
            at=uow.now,
            day=day,
            user_name=user.name,
        )
        .returning(pay_t.c.id)
    ).scalar_one()
    targets = _open_invoices(uow, partner.id, inv_kind)
    if named is not None:
        targets = [t for t in targets if t.id == named.id] + [
            t for t in targets if t.id != named.id
        ]
    left, allocated = amount, []
    for doc in targets:
        if left <= 0:
            break
        take = min(left, doc.total - doc.paid)
        invoices.allocate(uow, doc, take, payment_id=payment_id)
        allocated.append(AllocationRow(invoice=doc.number, amount=money_str(take)))
        left -= take
    uow.execute(
        update(pay_t)
        .where(pay_t.c.id == payment_id)
        .values(unallocated=left, status="open" if left else "allocated")
    )
    event = PaymentReceived if kind == "receive" else PaymentMade
    uow.emit(
        event(
            payment=number,
            amount=money_str(amount),
            unallocated=money_str(left),
            user=user.name,
            **{partner_kind: partner.code},
        )
    )
    return PaymentResult(
        payment=number,
        kind=kind,
        partner=partner.code,
        partner_name=partner.name or None,
        partner_name_zh=partner.name_zh or None,
        amount=money_str(amount),
        date=day.isoformat(),
        allocated=tuple(allocated),
        unallocated=money_str(left),
        balance=money_str(balance(uow, partner.id)),
    )
