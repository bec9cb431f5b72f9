"""The figures reports are made of, read in one unit of work: sales (history and shipments),
demand per day, stock moves and stock values at past dates.

Sales are the earlier system's `sales_history` plus what sales orders shipped, each shipment
dated by its sale moves in the clock's time zone (an order shipped in parts is demand on each
day it shipped). "The last day of history" is the latest date of the two together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from domain.model import (
    Item,
    Partner,
    SalesHistory,
    SalesLine,
    SalesOrder,
    StockMove,
    Warehouse,
)
from domain.numbers import money

item_t = Item.__table__
partner_t = Partner.__table__
history_t = SalesHistory.__table__
so_t = SalesOrder.__table__
sl_t = SalesLine.__table__
move_t = StockMove.__table__
wh_t = Warehouse.__table__
ZERO = Decimal(0)


@dataclass(frozen=True)
class Sale:
    """One sold quantity: a history row or a shipped order line, with its value at the price
    sold at."""

    day: date
    item_id: int
    partner_id: int
    qty: Decimal
    revenue: Decimal
    order: str | None = None


def utc_bounds(uow, start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants from the start of `start` to the end of `end` (exclusive), local dates
    taken in the clock's time zone."""
    tz = uow.clock.tz
    lo = datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return lo, hi


def local_day(uow, at: datetime) -> date:
    """The local date of a stored UTC instant."""
    return uow.clock.local(at).date()


def items(uow) -> dict[int, object]:
    """Every item by id."""
    return {r.id: r for r in uow.execute(select(item_t).order_by(item_t.c.sku))}


def partners(uow) -> dict[int, object]:
    """Every partner by id."""
    return {r.id: r for r in uow.execute(select(partner_t))}


def last_history_day(uow) -> date | None:
    """The latest date of sales history and shipments together, or None when there is neither."""
    hist = uow.execute(select(func.max(history_t.c.day))).scalar()
    shipped = uow.execute(select(func.max(move_t.c.at)).where(move_t.c.kind == "sale")).scalar()
    days = []
    if hist is not None:
        days.append(hist if isinstance(hist, date) else date.fromisoformat(str(hist)[:10]))
    if shipped is not None:
        if shipped.tzinfo is None:
            shipped = shipped.replace(tzinfo=UTC)
        days.append(local_day(uow, shipped))
    return max(days) if days else None


def sales(uow, start: date | None = None, end: date | None = None, item_ids=None) -> list[Sale]:
    """Sales between two local dates (inclusive; open ends when None), of `item_ids` only when
    given. A history row without a price is valued at the item's list price."""
    list_price = {r.id: r.unit_price or ZERO for r in uow.execute(select(item_t))}
    q = select(
        history_t.c.day,
        history_t.c.item_id,
        history_t.c.partner_id,
        history_t.c.qty,
        history_t.c.unit_price,
    )
    if start is not None:
        q = q.where(history_t.c.day >= start)
    if end is not None:
        q = q.where(history_t.c.day <= end)
    if item_ids is not None:
        q = q.where(history_t.c.item_id.in_(list(item_ids)))
    out = [
        Sale(
            day,
            item_id,
            partner_id,
            qty,
            money(qty * (price if price is not None else list_price.get(item_id, ZERO))),
        )
        for day, item_id, partner_id, qty, price in uow.execute(q)
    ]
    lo_hi = None
    if start is not None or end is not None:
        lo_hi = utc_bounds(uow, start or date(1900, 1, 1), end or date(9999, 12, 30))
    for part in shipped_parts(uow, lo_hi, item_ids):
        out.append(
            Sale(
                local_day(uow, part.at),
                part.item_id,
                part.partner_id,
                part.qty,
                part.revenue,
                part.order,
            )
        )
    for part in returned_parts(uow, lo_hi, item_ids):  # net of returns, on the day they came
        day = local_day(uow, part.at)
        out.append(Sale(day, part.item_id, part.partner_id, -part.qty, -part.revenue, part.order))
    return out


def returned_parts(
    uow, between: tuple[datetime, datetime] | None = None, item_ids=None
) -> list[ShippedPart]:
    """What customers sent back of their orders' lines, one part per return move: when, how
    much, and its worth at the line's net price (the first line of the item on the order)."""
    price: dict[tuple[str, int], tuple[int, Decimal]] = {}
    lines_q = (
        select(so_t.c.number, so_t.c.partner_id, sl_t.c.item_id, sl_t.c.price)
        .select_from(sl_t.join(so_t, so_t.c.id == sl_t.c.order_id))
        .where(sl_t.c.returned_qty > 0)
        .order_by(sl_t.c.line_no.desc())
    )
    moves_q = select(move_t.c.at, move_t.c.ref, move_t.c.item_id, move_t.c.qty).where(
        move_t.c.kind == "sales_return"
    )
    if item_ids is not None:
        lines_q = lines_q.where(sl_t.c.item_id.in_(list(item_ids)))
        moves_q = moves_q.where(move_t.c.item_id.in_(list(item_ids)))
    if between is not None:
        moves_q = moves_q.where((move_t.c.at >= between[0]) & (move_t.c.at < between[1]))
    for number, partner_id, item_id, net in uow.execute(lines_q):
        price[(number, item_id)] = (partner_id, net)
    out = []
    for at, ref, item_id, qty in uow.execute(moves_q):
        found = price.get((ref, item_id))
        if found is None:
            continue
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        out.append(ShippedPart(at, ref, found[0], item_id, qty, money(qty * found[1])))
    return out


@dataclass(frozen=True)
class ShippedPart:
    """What one shipment shipped of one order line: when, how much, and its worth."""

    at: datetime
    order: str
    partner_id: int
    item_id: int
    qty: Decimal
    revenue: Decimal


def shipped_parts(
    uow, between: tuple[datetime, datetime] | None = None, item_ids=None
) -> list[ShippedPart]:
    """Every shipment of every sales order, line by line, from the sale moves (the ledger's
    record of each shipment and when it was made); `between`: UTC instants [lo, hi);
    `item_ids`: only these items. A move is matched to its order's lines of that item in line
    order, each part valued as the shipping service values it (the worth shipped after less
    the worth shipped before), so the parts of a line add up to its amount."""
    lines: dict[tuple[str, int], list[list]] = defaultdict(list)
    lines_q = (
        select(so_t.c.number, so_t.c.partner_id, sl_t.c.item_id, sl_t.c.price, sl_t.c.shipped_qty)
        .select_from(sl_t.join(so_t, so_t.c.id == sl_t.c.order_id))
        .where(sl_t.c.shipped_qty > 0)
        .order_by(so_t.c.number, sl_t.c.line_no)
    )
    moves_q = (
        select(move_t.c.at, move_t.c.ref, move_t.c.item_id, move_t.c.qty)
        .where(move_t.c.kind == "sale")
        .order_by(move_t.c.id)
    )
    if item_ids is not None:
        lines_q = lines_q.where(sl_t.c.item_id.in_(list(item_ids)))
        moves_q = moves_q.where(move_t.c.item_id.in_(list(item_ids)))
    if between is not None:  # a later move changes nothing before it
        moves_q = moves_q.where(move_t.c.at < between[1])
    for number, partner_id, item_id, price, shipped in uow.execute(lines_q):
        lines[(number, item_id)].append([partner_id, price, shipped, ZERO])  # ZERO: matched
    out = []
    for at, ref, item_id, qty in uow.execute(moves_q):
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        left = -qty
        candidates = lines.get((ref, item_id), ())
        for n, line in enumerate(candidates):
            partner_id, price, shipped, before = line
            # A line takes what it shipped; the last one whatever is left.
            take = left if n == len(candidates) - 1 else min(left, shipped - before)
            if take <= 0:
                continue
            line[3] = before + take
            left -= take
            if between is None or between[0] <= at < between[1]:
                worth = money(line[3] * price) - money(before * price)
                out.append(ShippedPart(at, ref, partner_id, item_id, take, worth))
            if left <= 0:
                break
    return out


def demand_by_item(uow, end: date, item_ids=None) -> dict[int, list[tuple[date, Decimal]]]:
    """Daily demand rows `(day, qty)` per item up to `end`: history plus shipments, net of
    returns on the day they came back (a day never below 0)."""
    days: dict[int, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for s in sales(uow, None, end, item_ids):
        days[s.item_id][s.day] += s.qty
    return {
        item_id: [(day, max(qty, ZERO)) for day, qty in by_day.items()]
        for item_id, by_day in days.items()
    }


def moves(uow, end: date | None = None, kinds=None):
    """Stock moves (id, local day, item, warehouse, kind, qty, value, ref) up to a local date."""
    q = select(
        move_t.c.id,
        move_t.c.at,
        move_t.c.item_id,
        move_t.c.warehouse_id,
        move_t.c.kind,
        move_t.c.qty,
        move_t.c.value,
        move_t.c.ref,
    ).order_by(move_t.c.id)
    if end is not None:
        q = q.where(move_t.c.at < utc_bounds(uow, end, end)[1])
    if kinds is not None:
        q = q.where(move_t.c.kind.in_(tuple(kinds)))
    return [(r[0], local_day(uow, r[1]), *r[2:]) for r in uow.execute(q)]


def stock_values_at(uow, days: list[date], key=lambda item_id: None) -> dict:
    """Stock value at the end of each local date, reconstructed from the moves' values, grouped
    by `key(item_id)`: `{group: [value at days[0], value at days[1], …]}`."""
    if not days:
        return {}
    rows = sorted(moves(uow, max(days)), key=lambda r: r[1])
    out: dict = defaultdict(lambda: [ZERO] * len(days))
    running: dict = defaultdict(Decimal)
    i = 0
    ordered = sorted(range(len(days)), key=lambda k: days[k])
    for k in ordered:
        while i < len(rows) and rows[i][1] <= days[k]:
            running[key(rows[i][2])] += rows[i][6]
            i += 1
        for group, value in running.items():
            out[group][k] = value
    return dict(out)
