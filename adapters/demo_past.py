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
The play and its knobs are `adapters.demo_play`; what each day holds, `adapters.demo_days`.
The accountant records customers' payments and pays the suppliers' bills (`adapters.demo_money`:
some customers pay late, so some invoices are overdue today). A customer's orders stop short of
60 % of its credit limit less its exposure as the ledger counts it (open orders and the unpaid
balance), and a line never takes more than is available.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from adapters.demo_days import one_day
from adapters.demo_play import PLAYED_DAYS, ZERO, DemoItem, Play, whole
from domain.clock import FixedClock


def played_start(today: date) -> date:
    """The first day of the played weeks: eight weeks before `today`."""
    return today - timedelta(days=PLAYED_DAYS)


def play_past(app, rows, start: date, today: date) -> dict[str, int]:
    """Play the days from `start` to the day before `today` through `app`'s bus with a clock of
    its own; `rows` are the demand of those days (history rows). Returns commands per intent."""
    from adapters.bootstrap import bootstrap

    clock = FixedClock(datetime.combine(start, time(8, 0)), app.settings.timezone)
    past = bootstrap(app.settings, clock=clock)
    try:
        play = Play(past, clock, *_catalogue(past, start))
        _expect_new_items(play, rows)
        _opening_stock(play, start)
        by_day: dict[date, list] = defaultdict(list)
        for r in rows:
            by_day[r.date].append(r)
        day = start
        while day < today:
            one_day(play, day, by_day.get(day, []), start, today)
            day += timedelta(days=1)
    finally:
        past.engine.dispose()
    return dict(play.counts)


def _catalogue(app, start: date) -> tuple[dict[str, DemoItem], dict[str, Decimal]]:
    from sqlalchemy import select

    from domain.model import Item, Partner, SalesHistory

    it, pt, ht = Item.__table__, Partner.__table__, SalesHistory.__table__
    since = start - timedelta(days=90)
    with app.uow(write=False) as uow:
        sold: dict[int, Decimal] = defaultdict(Decimal)
        for item_id, qty in uow.execute(select(ht.c.item_id, ht.c.qty).where(ht.c.day >= since)):
            sold[item_id] += qty
        items = {
            r.sku: DemoItem(
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


def _expect_new_items(play: Play, rows) -> None:
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


def _opening_stock(play: Play, start: date) -> None:
    """About six weeks of demand in MAIN and two in BJ, received on the first morning; every
    seventh item starts short, so the buyer has something to order on day one."""
    from domain.messages.commands import ReceiveStock

    play.at(start, 8, 0)
    for n, item in enumerate(play.items.values()):
        for wh, days in (("MAIN", 42 if n % 7 else 4), ("BJ", 14)):
            qty = item.daily * days
            if wh == "MAIN":
                qty = max(qty, item.moq / 4)
            qty = whole(item, qty)
            if qty > 0:
                play.run(
                    ReceiveStock(item=item.sku, qty=qty, unit_cost=item.cost, warehouse=wh), "li"
                )
