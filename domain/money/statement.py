"""Statements (对账单) and the invoice list.

A statement lists a partner's documents of a period in date order between the opening balance
(everything before the period) and the closing one, which is the partner's balance at the end of
the period: for a customer and a supplier alike, a document that raises the balance is a debit
(an invoice, a supplier's bill) and one that lowers it a credit (a payment, a credit note); the
empty side is 0.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, literal, select

from domain.ledger import lookup
from domain.model.money import Invoice, Payment
from domain.money.commands import QueryStatement
from domain.money.results import InvoiceRow, InvoicesAnswer, StatementAnswer, StatementLine
from domain.numbers import money_str
from domain.reports.periods import period_range

inv_t = Invoice.__table__
pay_t = Payment.__table__
partner_t = lookup.partner_t
ZERO = Decimal(0)
DOC_KIND = {"sales": "invoice", "purchase": "bill", "credit_note": "credit_note"}


def _dec(value) -> Decimal:
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(value)


def _before(uow, partner_id: int, start: date) -> Decimal:
    """The balance at the start of a local date: documents less payments before it."""
    docs = uow.execute(
        select(func.sum(inv_t.c.total)).where(
            (inv_t.c.partner_id == partner_id) & (inv_t.c.day < start)
        )
    ).scalar()
    paid = uow.execute(
        select(func.sum(pay_t.c.amount)).where(
            (pay_t.c.partner_id == partner_id) & (pay_t.c.day < start)
        )
    ).scalar()
    return _dec(docs) - _dec(paid)


def _documents(uow, partner_id: int, start: date, end: date):
    """The period's documents and payments (day, instant, number, kind, order, amount), in
    date order (and the order they were made in, within a day)."""
    docs = select(
        inv_t.c.id,
        literal(0).label("side"),
        inv_t.c.day,
        inv_t.c.at,
        inv_t.c.number,
        inv_t.c.kind,
        inv_t.c.order_ref,
        inv_t.c.total.label("amount"),
    ).where((inv_t.c.partner_id == partner_id) & inv_t.c.day.between(start, end))
    pays = select(
        pay_t.c.id,
        literal(1).label("side"),
        pay_t.c.day,
        pay_t.c.at,
        pay_t.c.number,
        literal("payment").label("kind"),
        literal(None).label("order_ref"),
        pay_t.c.amount,
    ).where((pay_t.c.partner_id == partner_id) & pay_t.c.day.between(start, end))
    rows = [*uow.execute(docs).all(), *uow.execute(pays).all()]
    # Within one instant, documents before payments, each in the order made.
    rows.sort(key=lambda r: (r.day, r.at, r.side, r.id))
    return rows


def statement(cmd: QueryStatement, uow, user) -> StatementAnswer:
    """A partner's statement for a period (default `last_month`)."""
    partner = lookup.partner(uow, cmd.partner)
    period = period_range((cmd.period or "last_month").strip(), uow.clock.today())
    opening = _before(uow, partner.id, period.start)
    running, lines = opening, []
    for r in _documents(uow, partner.id, period.start, period.end):
        amount = _dec(r.amount)
        if r.kind == "payment":
            amount = -amount
        running += amount
        lines.append(
            StatementLine(
                date=(
                    r.day if isinstance(r.day, date) else date.fromisoformat(str(r.day))
                ).isoformat(),
                doc=r.number,
                kind=DOC_KIND.get(r.kind, r.kind),
                order=r.order_ref,
                debit=money_str(amount if amount > 0 else ZERO),
                credit=money_str(-amount if amount < 0 else ZERO),
                balance=money_str(running),
            )
        )
    return StatementAnswer(
        partner=partner.code,
        partner_name=partner.name or None,
        partner_name_zh=partner.name_zh or None,
        kind=partner.kind,
        period=period.to_dict(),
        opening=money_str(opening),
        lines=tuple(lines),
        closing=money_str(running),
        note=None if lines else "no activity in this period",
    )


def list_invoices(uow, partner: str | None = None, open_only: bool = False) -> InvoicesAnswer:
    """Invoices, bills and credit notes (of one partner; only the open ones), newest last."""
    q = select(inv_t, partner_t.c.code).select_from(
        inv_t.join(partner_t, partner_t.c.id == inv_t.c.partner_id)
    )
    if partner:
        q = q.where(inv_t.c.partner_id == lookup.partner(uow, partner).id)
    if open_only:
        q = q.where(inv_t.c.status == "open")
    rows = uow.execute(q.order_by(inv_t.c.id)).all()
    return InvoicesAnswer(
        invoices=tuple(
            InvoiceRow(
                invoice=r.number,
                kind=r.kind,
                partner=r.code,
                order=r.order_ref,
                date=str(r.day),
                due=str(r.due),
                total=money_str(r.total),
                paid=money_str(r.paid),
                open=money_str(r.total - r.paid),
            )
            for r in rows
        )
    )
