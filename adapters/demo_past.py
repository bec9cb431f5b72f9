"""The demo's past: the last eight weeks played through the service layer, day by day.

`jxc init --demo` imports sales history up to the day before the played weeks and plays the
weeks themselves as the shop would have lived them, each command through the message bus as
its user, with the clock moved to the hour it happened:

- opening stock is received on the first morning;
- each day's sales (the same made-up demand as the history, so the series runs on without a
  seam) become one sales order per customer, shipped the next morning; a few ship in two parts
  (`sales.ship` with `lines`), which is what makes the fill rate fall below 100 %;
- twice a week the buyer orders what runs low from its supplier; receipts come on their due
  date or a little early, a few late;
- on Fridays the clerk counts two items and finds small differences;
- one request of each kind is decided (a purchase over 10,000 approved, a discount approved and
  one rejected, a count over the threshold approved) and one of each kind is left pending.

The played weeks replace the history in their range: sales history stops the day before they
start, so no demand is counted twice. Everything is seeded: the same day gives the same past.
The accountant records customers' payments and pays the suppliers' bills (`adapters.demo_money`:
some customers pay late, so some invoices are overdue today). A customer's orders stop short of
60 % of its credit limit less its exposure as the ledger counts it (open orders and the unpaid
balance), and a line never takes more than is available.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from adapters.demo_money import credit_budget, pay_and_collect
from domain.clock import FixedClock
from domain.commands import (
    CountStock,
    CreatePurchaseOrder,
    CreateSalesOrder,
    DecideApproval,
    Line,
    ReceivePurchaseOrder,
    ShipSalesOrder,
)
from domain.errors import JxcError
from domain.numbers import COUNTED_UNITS
from domain.results import StockCountResult

log = logging.getLogger(__name__)

PLAYED_DAYS = 56
SEED = 20240601
SUPPLIER_OF = {
    "fasteners": "ECH",
    "chemicals": "ECH",
    "tools": "SZT",
    "electrical": "SZT",
    "packaging": "HZP",
    "safety": "SAFE",
}
ROUTINE_PO_CAP = Decimal(9000)  # under approval.purchase_total, so routine orders pass
LOWEST_PRICE = Decimal("0.90")  # of list: a routine discount never needs approval
REORDER_WEEKDAYS = (0, 3)  # Monday, Thursday
COUNT_WEEKDAY = 4  # Friday
# Sales shipments in two parts: available only once `sales.ship` takes `lines`.
PARTIAL_SHIPMENTS = "lines" in {f.name for f in fields(ShipSalesOrder)}
ZERO = Decimal(0)


def played_start(today: date) -> date:
    """The first day of the played weeks: eight weeks before `today`."""
    return today - timedelta(days=PLAYED_DAYS)


@dataclass
class _Item:
    sku: str
    uom: str
    category: str
    list_price: Decimal
    cost: Decimal
    lead: int
    moq: Decimal
    daily: Decimal  # mean daily demand over the 90 days before the played weeks


@dataclass
class _Play:
    app: object
    clock: FixedClock
    items: dict[str, _Item]
    credit: dict[str, Decimal]
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    ship_on: dict[date, list[tuple[str, tuple[Line, ...] | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    receive_on: dict[date, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Decisions taken the next morning: (request, decision, approver, reason, then).
    decide_on: dict[date, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    keys: int = 0

    def at(self, day: date, hour: int, minute: int = 0) -> None:
        """Move the clock forward to `day` at `hour:minute`, local time."""
        target = datetime.combine(day, time(hour, minute), tzinfo=self.clock.tz)
        delta = target - self.clock.now()
        if delta > timedelta(0):
            self.clock.advance(seconds=delta.total_seconds())

    def run(self, cmd, user: str):
        """One command through the bus as `user`, with a deterministic idempotency key."""
        self.keys += 1
        result = self.app.bus.execute(cmd, self.app.bus.user(user), key=f"demo:past:{self.keys}")
        self.counts[cmd.intent] += 1
        return result

    def available(self) -> dict[str, Decimal]:
        """Available quantity per SKU in MAIN now."""
        from domain.services.stock import stock_rows

        with self.app.uow(write=False) as uow:
            rows = stock_rows(uow, warehouse="MAIN")
        return {r.sku: Decimal(r.available) for r in rows}

    def projected(self) -> dict[str, Decimal]:
        """Available plus on order per SKU in MAIN now."""
        from domain.services.stock import stock_rows

        with self.app.uow(write=False) as uow:
            rows = stock_rows(uow, warehouse="MAIN")
        return {r.sku: Decimal(r.available) + Decimal(r.on_order) for r in rows}


def _whole(item: _Item, qty: Decimal, up: bool = False) -> Decimal:
    if item.uom in COUNTED_UNITS:
        return qty.to_integral_value(rounding=ROUND_CEILING if up else ROUND_HALF_UP)
    return qty.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def _price(item: _Item, sold_at: Decimal) -> Decimal:
    """The history's price, no lower than 90 % of list (nor near cost): routine orders pass."""
    step = Decimal("0.001") if item.list_price < 1 else Decimal("0.01")
    floor = max(item.list_price * LOWEST_PRICE, item.cost * Decimal("1.15"))
    return max(sold_at, floor.quantize(step, rounding=ROUND_CEILING))


def play_past(app, rows, start: date, today: date) -> dict[str, int]:
    """Play the days from `start` to the day before `today` through `app`'s bus with a clock of
    its own; `rows` are the demand of those days (history rows). Returns commands per intent."""
    from adapters.bootstrap import bootstrap

    clock = FixedClock(datetime.combine(start, time(8, 0)), app.settings.timezone)
    past = bootstrap(app.settings, clock=clock)
    try:
        play = _Play(past, clock, *_catalogue(past, start))
        _expect_new_items(play, rows)
        _opening_stock(play, start)
        by_day: dict[date, list] = defaultdict(list)
        for r in rows:
            by_day[r.date].append(r)
        day = start
        while day < today:
            _one_day(play, day, by_day.get(day, []), start, today)
            day += timedelta(days=1)
    finally:
        past.engine.dispose()
    return dict(play.counts)


def _catalogue(app, start: date) -> tuple[dict[str, _Item], dict[str, Decimal]]:
    from sqlalchemy import select

    from domain.model import Item, Partner, SalesHistory

    it, pt, ht = Item.__table__, Partner.__table__, SalesHistory.__table__
    since = start - timedelta(days=90)
    with app.uow(write=False) as uow:
        sold: dict[int, Decimal] = defaultdict(Decimal)
        for item_id, qty in uow.execute(select(ht.c.item_id, ht.c.qty).where(ht.c.day >= since)):
            sold[item_id] += qty
        items = {
            r.sku: _Item(
                r.sku,
                r.uom,
                r.category,
                r.unit_price,
                r.unit_cost,
                r.lead_time_days,
                r.moq or ZERO,
                sold[r.id] / 90,
            )
            for r in uow.execute(select(it))
        }
        credit = {
            r.code: r.credit_limit or ZERO
            for r in uow.execute(select(pt).where(pt.c.kind == "customer"))
        }
    return items, credit


def _expect_new_items(play: _Play, rows) -> None:
    """An item launched within the played weeks has no history to plan by: the buyer expects
    what it goes on to sell a day, from its launch."""
    first: dict[str, date] = {}
    sold: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        first[r.sku] = min(r.date, first.get(r.sku, r.date))
        sold[r.sku] += r.qty
    end = max((r.date for r in rows), default=None)
    for sku, item in play.items.items():
        if item.daily <= 0 and sku in first:
            item.daily = sold[sku] / ((end - first[sku]).days + 1)


def _opening_stock(play: _Play, start: date) -> None:
    """About six weeks of demand in MAIN and two in BJ, received on the first morning; every
    seventh item starts short, so the buyer has something to order on day one."""
    from domain.commands import ReceiveStock

    play.at(start, 8, 0)
    for n, item in enumerate(play.items.values()):
        for wh, days in (("MAIN", 42 if n % 7 else 4), ("BJ", 14)):
            qty = item.daily * days
            if wh == "MAIN":
                qty = max(qty, item.moq / 4)
            qty = _whole(item, qty)
            if qty > 0:
                play.run(
                    ReceiveStock(item=item.sku, qty=qty, unit_cost=item.cost, warehouse=wh), "li"
                )


def _one_day(play: _Play, day: date, demand: list, start: date, today: date) -> None:
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


def _sales(play: _Play, day: date, demand: list, last: date) -> None:
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
            qty = _whole(item, min(r.qty, available.get(r.sku, ZERO)))
            price = _price(item, r.unit_price)
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


def _plan_shipment(play: _Play, order: str, lines: list[Line], ship: date, last: date) -> None:
    first = lines[0]
    item = play.items[first.item]
    half = _whole(item, first.qty / 2)
    if PARTIAL_SHIPMENTS and 0 < half < first.qty and play.rng.random() < 0.12:
        part = (Line(first.item, half), *(Line(ln.item, ln.qty) for ln in lines[1:]))
        play.ship_on[ship].append((order, part))
        if ship + timedelta(days=2) <= last:  # else the rest is still to ship today
            play.ship_on[ship + timedelta(days=2)].append((order, None))
    else:
        play.ship_on[ship].append((order, None))


def _counts(play: _Play, day: date) -> None:
    """Cycle counts: two items in MAIN, the shelf a little short (now and then over)."""
    from domain.services.stock import stock_rows

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
        diff = _whole(item, off) * (1 if play.rng.random() < 0.2 else -1)
        diff = max(diff, -on_hand + Decimal(row.reserved))  # never below what is promised
        play.run(CountStock(item=sku, counted_qty=on_hand + diff), "li")


def _reorder(play: _Play, day: date, last: date) -> None:
    """What runs low (projected under lead time + 4 days of demand) is ordered for lead time +
    two weeks from its supplier, one order per supplier kept under the approval threshold."""
    projected = play.projected()
    wanted: dict[str, list[Line]] = defaultdict(list)
    for item in play.items.values():
        if item.daily <= 0:
            continue
        if projected.get(item.sku, ZERO) > item.daily * (item.lead + 4):
            continue
        qty = _whole(item, max(item.moq, item.daily * (item.lead + 14)), up=True)
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
                line = Line(line.item, _whole(cap, ROUTINE_PO_CAP / line.price), line.price)
                amount = line.qty * line.price
            batch.append(line)
            total += amount
        if batch:
            _purchase(play, supplier, batch, day, last)


def _purchase(play: _Play, supplier: str, lines: list[Line], day: date, last: date) -> str:
    po = play.run(CreatePurchaseOrder(supplier=supplier, lines=tuple(lines)), "zhao")
    if po.status == "confirmed":
        _plan_receipt(play, po.order, lines, day, last)
    return po.order


def _plan_receipt(play: _Play, order: str, lines, day: date, last: date) -> None:
    """Due after the shortest lead time of its items (on time for every line): most come on
    time or a day or two early, about one in eight two to five days late. One not due by the
    last day stays on order."""
    lead = min(play.items[ln.item].lead for ln in lines)
    roll = play.rng.random()
    late = play.rng.randint(2, 5) if roll < 0.125 else -play.rng.randint(0, 2)
    arrives = day + timedelta(days=lead + late)
    if arrives <= last:
        play.receive_on[arrives].append(order)


def _take(play: _Play, sku: str, want: int) -> Decimal:
    """`want` units of `sku`, or what is available in MAIN if less."""
    return min(Decimal(want), play.available().get(sku, ZERO))


def _scripted(play: _Play, day: date, n: int, last: date) -> None:
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
        qty = _take(play, "HAMMER", 20)
        if qty > 0:
            play.at(day, 14, 0)
            lines = (Line("HAMMER", qty, discount=Decimal(15)),)
            so = play.run(CreateSalesOrder(customer="SUNRISE", lines=lines), "wang")
            play.at(day, 16, 30)
            play.run(DecideApproval(request=so.approval, decision="approve"), "mary")
            _plan_shipment(play, so.order, list(lines), tomorrow, last)
    elif n == 24:  # a 20 % discount on paint: rejected, with the reason on the order
        qty = _take(play, "PAINT-W", 10)
        if qty > 0:
            play.at(day, 14, 0)
            lines = (Line("PAINT-W", qty, discount=Decimal(20)),)
            so = play.run(CreateSalesOrder(customer="GREEN", lines=lines), "wang")
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
        qty = _take(play, "PLIERS", 10)
        if qty > 0:
            play.at(day, 15, 30)
            lines = (Line("PLIERS", qty, discount=Decimal(18)),)
            play.run(CreateSalesOrder(customer="ACME", lines=lines), "wang")
        play.at(day, 16, 30)
        _count_off(play, "TAPE-48", Decimal("0.04"))


def _count_off(play: _Play, sku: str, share: Decimal) -> StockCountResult:
    """A count that differs from the book by `share` of it (never below what is reserved)."""
    from domain.services.stock import stock_rows

    with play.app.uow(write=False) as uow:
        (row,) = stock_rows(uow, sku, "MAIN")
    on_hand, reserved = Decimal(row.on_hand), Decimal(row.reserved)
    counted = max(on_hand + _whole(play.items[sku], on_hand * share), reserved)
    return play.run(CountStock(item=sku, counted_qty=counted), "li")
