"""Sales history rows of an import: checked and converted once per distinct cell, written in
one `executemany`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete

from domain.errors import JxcError
from domain.ledger.csv_rows import ImportRejected, cut, in_line_order
from domain.model import SalesHistory
from domain.numbers import quantity, unit_cost


def _day(ctx, raw: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"date {cut(raw)!r} is not YYYY-MM-DD") from None
    if day > ctx.today:
        raise ValueError(f"date {day} is in the future")
    return day


_HISTORY = ("day", "item_id", "qty", "partner_id", "unit_price")


def import_history(
    ctx, rows: Iterable[tuple[int, dict]], replace: bool, problems: list[str]
) -> int:
    """Sales history, which comes in hundreds of thousands of rows repeating the same few dates,
    SKUs, customers, quantities and prices: each distinct cell is checked and converted to the
    column's stored form once, and the rows go to the driver in one `executemany`."""
    uow = ctx.uow
    t = SalesHistory.__table__
    stored = {c: uow.to_db(t.c[c].type) for c in _HISTORY}
    days: dict[str, tuple] = {}
    who: dict[tuple[str, str], tuple] = {}
    qtys: dict[tuple[str, str], object] = {}
    prices: dict[str, object] = {None: None}
    good, bad = [], []
    for line, row in rows:
        try:
            raw = (row.get("date") or "").strip()
            day = days.get(raw)
            if day is None:
                parsed = _day(ctx, raw)
                day = days[raw] = (parsed, stored["day"](parsed))
            sku, cust = (row.get("sku") or "").strip(), (row.get("customer") or "").strip()
            names = who.get((sku, cust))
            if names is None:
                names = who[sku, cust] = _history_names(ctx, sku, cust)
            item_id, uom, partner_id = names
            raw = (row.get("qty") or "").strip()
            qty = qtys.get((uom, raw))
            if qty is None:
                qty = qtys[uom, raw] = stored["qty"](quantity(raw, uom))
            raw = (row.get("unit_price") or "").strip() or None
            price = prices.get(raw, prices)
            if price is prices:
                price = prices[raw] = stored["unit_price"](unit_cost(raw))
            good.append((day[1], item_id, qty, partner_id, price))
        except (JxcError, ValueError) as exc:
            bad.append((line, getattr(exc, "message", str(exc))))
    if bad or problems:
        raise ImportRejected(in_line_order(problems, bad))
    if not good:
        return 0
    if replace:
        seen = [d for d, _ in days.values()]
        lo, hi = min(seen), max(seen)
        uow.execute(delete(t).where((t.c.day >= lo) & (t.c.day <= hi)))
    uow.insert_stored(t, _HISTORY, good)
    return len(good)


def _history_names(ctx, sku: str, cust: str) -> tuple[int, str, int]:
    """(item id, unit of measure, customer id) of a history row's SKU and customer."""
    item = ctx.items.get(sku.upper())
    if item is None:
        raise ValueError(f"unknown SKU {cut(sku)!r}")
    partner = ctx.partners.get(cust.upper())
    if partner is None:
        raise ValueError(f"unknown customer {cut(cust)!r}")
    if partner.kind != "customer":
        raise ValueError(f"{cust} is a supplier, not a customer")
    return item.id, item.uom, partner.id
