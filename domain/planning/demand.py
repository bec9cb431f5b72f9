"""An item's daily demand: the sales history plus shipped sales order lines, net of returns,
per local day (the clock's zone), a day without sales being zero; the series ends on the last
day of history (the latest date of history and shipments of all items together — never the
wall clock).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from domain.ledger.history import last_history_day, returned_parts, shipped_parts
from domain.model import SalesHistory
from domain.planning.forecasting import Series, daily_series

history_t = SalesHistory.__table__


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def demand_rows_by_item(uow, item_id: int | None = None) -> dict[int, list[tuple[date, float]]]:
    """`(local day, qty)` rows per item (one item when `item_id` is given): sales history plus
    what sales orders shipped, each shipment on its local day in the clock's zone."""
    out: dict[int, list[tuple[date, float]]] = {}
    q = select(history_t.c.item_id, history_t.c.day, history_t.c.qty)
    if item_id is not None:
        q = q.where(history_t.c.item_id == item_id)
    for iid, day, qty in uow.execute(q):
        out.setdefault(iid, []).append((_day(day), float(qty)))
    for part in shipped_parts(uow, item_ids=None if item_id is None else [item_id]):
        out.setdefault(part.item_id, []).append((uow.clock.local(part.at).date(), float(part.qty)))
    back = returned_parts(uow, item_ids=None if item_id is None else [item_id])
    if not back:
        return out
    # Net of returns on the day they came back, a day never below 0.
    for part in back:
        out.setdefault(part.item_id, []).append((uow.clock.local(part.at).date(), -float(part.qty)))
    netted = {}
    for iid, rows in out.items():
        days: dict[date, float] = {}
        for day, qty in rows:
            days[day] = days.get(day, 0.0) + qty
        netted[iid] = [(day, max(qty, 0.0)) for day, qty in days.items()]
    return netted


def demand_rows(uow, item_id: int) -> list[tuple[date, float]]:
    """`(local day, qty)` rows of one item: sales history plus shipped sales order lines."""
    return demand_rows_by_item(uow, item_id).get(item_id, [])


def item_series(uow, item_id: int, last_day: date | None = None) -> Series:
    """The item's daily demand series up to the last day of history (empty: no history)."""
    last_day = last_day or last_history_day(uow)
    if last_day is None:
        return []
    return daily_series(demand_rows(uow, item_id), last_day)
