"""What each played day of the demo's past holds (`adapters.demo_past`): receipts and
shipments due, decisions taken, the day's sales, the buyer's reorders, the Friday counts, and
the scripted approval requests (one of each kind decided, one of each left pending)."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from adapters.demo_money import credit_budget, pay_and_collect
from adapters.demo_play import (
    COUNT_WEEKDAY,
    PARTIAL_SHIPMENTS,
    REORDER_WEEKDAYS,
    ROUTINE_PO_CAP,
    SUPPLIER_OF,
    ZERO,
    Play,
    routine_price,
    whole,
)
from domain.errors import JxcError
from domain.messages.commands import (
    CountStock,
    CreatePurchaseOrder,
    CreateSalesOrder,
    DecideApproval,
    Line,
    ReceivePurchaseOrder,
    ShipSalesOrder,
)
from domain.messages.results import StockCountResult

log = logging.getLogger(__name__)


def one_day(play: Play, day: date, demand: list, start: date, today: date) -> None:
    """Day `day` of the played weeks (from `start`; the last is the day before `today`), hour by
    hour."""
    n = (day - start).days
    last = today - timedelta(days=1)
    play.at(day, 8, 30)
    for order in play.receive_on.pop(day, []):
        play.run(ReceivePurchaseOrder(order=order), "li")
    play.at(day, 9, 30)
    for order, lines in play.ship_on.pop(day, []):
        play.run(
            ShipSalesOrder(order=order, lines=lines) if lines else ShipSalesOrder(order=order), "li"
        )
    play.at(day, 9, 0)
    for request, decision, approver, reason, then in play.decide_on.pop(day, []):
        cmd = DecideApproval(request=request, decision=decision, reason=reason)
        play.run(cmd, approver)
        if then is not None:
            then()
    pay_and_collect(play, day)
    play.at(day, 10, 0)
    _sales(play, day, demand, last)
    _scripted(play, day, n, last)
    if day.weekday() == COUNT_WEEKDAY:
        play.at(day, 16, 0)
        _counts(play, day)
    if day.weekday() in REORDER_WEEKDAYS:
        play.at(day, 17, 0)
        _reorder(play, day, last)


def _sales(play: Play, day: date, demand: list, last: date) -> None:
    """The day's demand as one order per customer, cut to what is available and to the
    customer's credit budget; shipped the next morning, now and then in two parts."""
    available = play.available()
    by_customer: dict[str, list] = defaultdict(list)
    for r in demand:
        by_customer[r.customer].append(r)
    for n, customer in enumerate(sorted(by_customer)):
        budget = credit_budget(play.app, customer)
        lines = []
        for r in sorted(by_customer[customer], key=lambda r: r.sku):
            item = play.items[r.sku]
            qty = whole(item, min(r.qty, available.get(r.sku, ZERO)))
            price = routine_price(item, r.unit_price)
            if qty <= 0 or qty * price > budget:
                continue
            budget -= qty * price
            available[r.sku] = available.get(r.sku, ZERO) - qty
            lines.append(Line(r.sku, qty, price))
        if not lines:
            continue
        play.at(day, 10 + n, play.rng.randint(0, 59))
        seller = "sam" if customer in ("XINDA", "MEILIN") else "wang"
        try:
            so = play.run(CreateSalesOrder(customer=customer, lines=tuple(lines)), seller)
        except JxcError as exc:  # the demand was cut to fit; a refusal here is not expected
            log.warning("demo: order for %s not placed: %s", customer, exc)
            continue
        if day >= last:
            continue  # today's open orders
        _plan_shipment(play, so.order, lines, day + timedelta(days=1), last)


def _plan_shipment(play: Play, order: str, lines: list[Line], ship: date, last: date) -> None:
    first = lines[0]
    item = play.items[first.item]
    half = whole(item, first.qty / 2)
    if PARTIAL_SHIPMENTS and 0 < half < first.qty and play.rng.random() < 0.12:
        part = (Line(first.item, half), *(Line(ln.item, ln.qty) for ln in lines[1:]))
        play.ship_on[ship].append((order, part))
        if ship + timedelta(days=2) <= last:  # else the rest is still to ship today
            play.ship_on[ship + timedelta(days=2)].append((order, None))
    else:
        play.ship_on[ship].append((order, None))


def _counts(play: Play, day: date) -> None:
    """Cycle counts: two items in MAIN, the shelf a little short (now and then over)."""
    from domain.ledger.stock_query import stock_rows

    skus = sorted(play.items)
    week = play.counts["stock.count"] // 2
    for sku in (skus[(2 * week) % len(skus)], skus[(2 * week + 1) % len(skus)]):
        with play.app.uow(write=False) as uow:
            (row,) = stock_rows(uow, sku, "MAIN")
        on_hand = Decimal(row.on_hand)
        if on_hand <= 0:
            continue
        item = play.items[sku]
        off = on_hand * Decimal(str(round(play.rng.uniform(0.0, 0.008), 4)))
        diff = whole(item, off) * (1 if play.rng.random() < 0.2 else -1)
        diff = max(diff, -on_hand + Decimal(row.reserved))  # never below what is promised
        play.run(CountStock(item=sku, counted_qty=on_hand + diff), "li")


def _reorder(play: Play, day: date, last: date) -> None:
    """What runs low (projected under lead time + 4 days of demand) is ordered for lead time +
    two weeks from its supplier, one order per supplier kept under the approval threshold."""
    projected = play.projected()
    wanted: dict[str, list[Line]] = defaultdict(list)
    for item in play.items.values():
        if item.daily <= 0:
            continue
        if projected.get(item.sku, ZERO) > item.daily * (item.lead + 4):
            continue
        qty = whole(item, max(item.moq, item.daily * (item.lead + 14)), up=True)
        price = item.cost * (Decimal("1.03") if play.rng.random() < 0.25 else 1)
        wanted[SUPPLIER_OF.get(item.category, "ECH")].append(Line(item.sku, qty, price))
    for supplier in sorted(wanted):
        batch: list[Line] = []
        total = ZERO
        for line in wanted[supplier]:
            amount = line.qty * line.price
            if batch and total + amount > ROUTINE_PO_CAP:
                _purchase(play, supplier, batch, day, last)
                batch, total = [], ZERO
            if amount > ROUTINE_PO_CAP:
                cap = play.items[line.item]
                line = Line(line.item, whole(cap, ROUTINE_PO_CAP / line.price), line.price)
                amount = line.qty * line.price
            batch.append(line)
            total += amount
        if batch:
            _purchase(play, supplier, batch, day, last)


def _purchase(play: Play, supplier: str, lines: list[Line], day: date, last: date) -> str:
    po = play.run(CreatePurchaseOrder(supplier=supplier, lines=tuple(lines)), "zhao")
    if po.status == "confirmed":
        _plan_receipt(play, po.order, lines, day, last)
    return po.order


def _plan_receipt(play: Play, order: str, lines, day: date, last: date) -> None:
    """Due after the shortest lead time of its items (on time for every line): most come on
    time or a day or two early, about one in eight two to five days late. One not due by the
    last day stays on order."""
    lead = min(play.items[ln.item].lead for ln in lines)
    roll = play.rng.random()
    late = play.rng.randint(2, 5) if roll < 0.125 else -play.rng.randint(0, 2)
    arrives = day + timedelta(days=lead + late)
    if arrives <= last:
        play.receive_on[arrives].append(order)


def _take(play: Play, sku: str, want: int) -> Decimal:
    """`want` units of `sku`, or what is available in MAIN if less."""
    return min(Decimal(want), play.available().get(sku, ZERO))


def _scripted(play: Play, day: date, n: int, last: date) -> None:
    """One request of each kind decided during the weeks, and one of each left pending."""
    tomorrow = day + timedelta(days=1)
    if n == 10:  # a large restock of power tools: over 10,000, approved the next morning
        play.at(day, 15, 0)
        big = (
            Line("DRILL-18V", Decimal(40), Decimal(240)),
            Line("GRINDER", Decimal(20), Decimal(160)),
        )
        po = play.run(CreatePurchaseOrder(supplier="SZT", lines=big), "zhao")
        then = lambda: _plan_receipt(play, po.order, big, tomorrow, last)  # noqa: E731
        play.decide_on[tomorrow].append((po.approval, "approve", "mary", None, then))
    elif n == 17:  # a 15 % discount for a builder's bulk order: approved the same afternoon
        placed = _discounted(play, day, (14, 0), "SUNRISE", "HAMMER", 20, 15)
        if placed is not None:
            so, lines = placed
            play.at(day, 16, 30)
            play.run(DecideApproval(request=so.approval, decision="approve"), "mary")
            _plan_shipment(play, so.order, list(lines), tomorrow, last)
    elif n == 24:  # a 20 % discount on paint: rejected, with the reason on the order
        placed = _discounted(play, day, (14, 0), "GREEN", "PAINT-W", 10, 20)
        if placed is not None:
            so, _lines = placed
            play.at(day, 17, 0)
            reason = "20 % is below our floor for paint; 10 % at most"
            cmd = DecideApproval(request=so.approval, decision="reject", reason=reason)
            play.run(cmd, "liu")
    elif n == 31:  # a count 5 % short of the book: approved the next morning
        play.at(day, 15, 0)
        count = _count_off(play, "GLOVE-L", Decimal("-0.05"))
        if count.approval:
            play.decide_on[tomorrow].append((count.approval, "approve", "mary", None, None))
    if day == last:  # left for today's approvers
        play.at(day, 15, 0)
        big = (
            Line("MASK-N95", Decimal(200), Decimal(32)),
            Line("HELMET", Decimal(400), Decimal(11)),
        )
        play.run(CreatePurchaseOrder(supplier="SAFE", lines=big), "zhao")
        _discounted(play, day, (15, 30), "ACME", "PLIERS", 10, 18)
        play.at(day, 16, 30)
        _count_off(play, "TAPE-48", Decimal("0.04"))


def _discounted(play: Play, day: date, at: tuple[int, int], customer: str, sku: str, want: int,
                discount: int) -> tuple | None:  # fmt: skip
    """Wang's order for `customer` of `want` × `sku` (or what is available, if less) at
    `discount` % off, placed at `at` (hour, minute): the order and its lines, or None when none
    is available."""
    qty = _take(play, sku, want)
    if qty <= 0:
        return None
    play.at(day, *at)
    lines = (Line(sku, qty, discount=Decimal(discount)),)
    return play.run(CreateSalesOrder(customer=customer, lines=lines), "wang"), lines


def _count_off(play: Play, sku: str, share: Decimal) -> StockCountResult:
    """A count that differs from the book by `share` of it (never below what is reserved)."""
    from domain.ledger.stock_query import stock_rows

    with play.app.uow(write=False) as uow:
        (row,) = stock_rows(uow, sku, "MAIN")
    on_hand, reserved = Decimal(row.on_hand), Decimal(row.reserved)
    counted = max(on_hand + whole(play.items[sku], on_hand * share), reserved)
    return play.run(CountStock(item=sku, counted_qty=counted), "li")
