"""The money part of `jxc verify`: rebuild what the money tables keep from the moves, the orders
and the allocations, and compare.

- an invoice's (bill's) total is what its shipment's (receipt's) moves are worth at the order's
  net prices, the part that completes a line taking its remaining cents; a credit note's is
  minus what its return's moves are worth;
- a document's paid amount is the sum of its allocations (for a credit note, minus the part of
  it applied), and it is open exactly while paid differs from total; a payment's unallocated
  part is its amount less its allocations;
- an order line's returned quantity is what its return moves brought back (sent back);
- a partner's balance (open documents less unallocated payments) is its documents' totals less
  its payments.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from domain.model import (
    Item,
    Partner,
    PurchaseLine,
    PurchaseOrder,
    SalesLine,
    SalesOrder,
    StockMove,
)
from domain.model.money import Allocation, Invoice, Payment
from domain.money.balances import balance
from domain.money.invoices import worth

ZERO = Decimal(0)
inv_t, pay_t, alloc_t = Invoice.__table__, Payment.__table__, Allocation.__table__
move_t, item_t, partner_t = StockMove.__table__, Item.__table__, Partner.__table__
SIDES = (
    # order prefix, head, lines, done column, out move, back move
    ("SO", SalesOrder.__table__, SalesLine.__table__, "shipped_qty", "sale", "sales_return"),
    ("PO", PurchaseOrder.__table__, PurchaseLine.__table__, "received_qty", "purchase",
     "purchase_return"),
)  # fmt: skip


def _worth(line: list, q: Decimal) -> Decimal:
    return worth(line[0], line[1], line[2], q)


def _documents(uow, prefix, head, lines_t, move_kind: str, field: str):
    """What each shipment (receipt) or return of each order is worth, walking the moves in the
    order they were made: {(order, ("no", n) | ("at", instant)): worth}; and per (order,
    item) the quantity the moves of `move_kind` carry."""
    lines: dict[tuple[str, int], list[list]] = defaultdict(list)
    for number, item_id, qty, price, amount in uow.execute(
        select(head.c.number, lines_t.c.item_id, lines_t.c.qty, lines_t.c.price, lines_t.c.amount)
        .select_from(lines_t.join(head, head.c.id == lines_t.c.order_id))
        .where(lines_t.c[field] > 0)
        .order_by(head.c.number, lines_t.c.line_no)
    ):
        lines[(number, item_id)].append([qty, price, amount, ZERO])
    worth: dict[tuple, Decimal] = defaultdict(Decimal)
    moved: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for at, ref, item_id, qty, n in uow.execute(
        select(move_t.c.at, move_t.c.ref, move_t.c.item_id, move_t.c.qty, move_t.c.shipment)
        .where((move_t.c.kind == move_kind) & move_t.c.ref.like(f"{prefix}-%"))
        .order_by(move_t.c.id)
    ):
        key = (ref, ("no", n) if n is not None else ("at", at.replace(tzinfo=None)))
        left = abs(qty)
        moved[(ref, item_id)] += left
        candidates = lines.get((ref, item_id), ())
        for i, line in enumerate(candidates):
            before = line[3]
            take = left if i == len(candidates) - 1 else min(left, line[0] - before)
            if take <= 0:
                continue
            line[3] = before + take
            left -= take
            worth[key] += _worth(line, line[3]) - _worth(line, before)
            if left <= 0:
                break
        worth.setdefault(key, ZERO)
    return worth, moved


def verify_money(uow, out, difference) -> None:
    """Add the money's differences to `out` (a `Verification`); `difference` builds one."""
    docs = uow.execute(select(inv_t)).all()
    codes = dict(uow.execute(select(partner_t.c.id, partner_t.c.code)).all())
    skus = dict(uow.execute(select(item_t.c.id, item_t.c.sku)).all())
    rebuilt: dict[str, Decimal] = {}
    for prefix, head, lines_t, done, out_kind, back_kind in SIDES:
        worth, _ = _documents(uow, prefix, head, lines_t, out_kind, done)
        back, returned = _documents(uow, prefix, head, lines_t, back_kind, "returned_qty")
        for d in docs:
            if not d.order_ref.startswith(prefix + "-"):
                continue
            numbered = (d.order_ref, ("no", d.doc_no))
            if d.kind == "credit_note":
                rebuilt[d.number] = -back.get(numbered, ZERO)
            elif numbered in worth:
                rebuilt[d.number] = worth[numbered]
            else:  # made of moves written before they were numbered
                rebuilt[d.number] = worth.get(
                    (d.order_ref, ("at", d.at.replace(tzinfo=None))), ZERO
                )
        for number, item_id, kept in uow.execute(
            select(head.c.number, lines_t.c.item_id, func.sum(lines_t.c.returned_qty))
            .select_from(lines_t.join(head, head.c.id == lines_t.c.order_id))
            .group_by(head.c.number, lines_t.c.item_id)
        ):
            came = returned.get((number, item_id), ZERO)
            if (kept or ZERO) != came:
                out.differences.append(
                    difference("returned_qty", kept or ZERO, came, skus[item_id], order=number)
                )
    applied = defaultdict(Decimal)
    for invoice_id, cn_id, payment_id, amount in uow.execute(
        select(
            alloc_t.c.invoice_id, alloc_t.c.credit_note_id, alloc_t.c.payment_id, alloc_t.c.amount
        )
    ):
        applied[("doc", invoice_id)] += amount
        if cn_id is not None:
            applied[("doc", cn_id)] -= amount
        if payment_id is not None:
            applied[("pay", payment_id)] += amount
    totals = defaultdict(Decimal)
    for d in docs:
        out.invoices += 1
        totals[d.partner_id] += d.total
        where = {"partner": codes[d.partner_id], "invoice": d.number, "order": d.order_ref}
        if rebuilt.get(d.number, d.total) != d.total:
            out.differences.append(difference("total", d.total, rebuilt[d.number], "", **where))
        paid = applied[("doc", d.id)]
        if paid != d.paid:
            out.differences.append(difference("paid", d.paid, paid, "", **where))
        if (d.status == "open") != (d.paid != d.total):
            out.differences.append(
                difference("open", d.total - d.paid, d.total - paid, "", **where)
            )
    for p in uow.execute(select(pay_t)).all():
        out.payments += 1
        totals[p.partner_id] -= p.amount
        left = p.amount - applied[("pay", p.id)]
        if left != p.unallocated or (p.status == "open") != (left != 0):
            out.differences.append(
                difference(
                    "unallocated",
                    p.unallocated,
                    left,
                    "",
                    partner=codes[p.partner_id],
                    invoice=p.number,
                )  # fmt: skip
            )
    for partner_id, total in sorted(totals.items()):
        out.partners += 1
        kept = balance(uow, partner_id)
        if kept != total:
            out.differences.append(
                difference("balance", kept, total, "", partner=codes[partner_id])
            )
