"""Stock reports: stock status, below reorder point, slow-moving stock, ABC, turnover."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from domain import settings
from domain.ledger.history import demand_by_item, items, last_history_day, moves, sales
from domain.ledger.history import stock_values_at as values_at
from domain.ledger.moves import balance_t, move_t
from domain.ledger.stock_query import stock_rows
from domain.numbers import money_str, qty_str
from domain.orders import purchasing
from domain.planning import formulas
from domain.planning.forecasting import daily_series
from domain.planning.forecasts import fresh_forecast
from domain.reports.notes import note
from domain.reports.periods import Period, month_ends, year_before

ZERO = Decimal(0)
SLOW_DAYS = 90
# Outgoing moves that are not demand: a transfer stays in the company, a count corrects the book.
NOT_DEMAND = ("transfer_out", "count", "purchase_return")
COGS_KINDS = ("sale", "sales_return")


def _r(x: float | None, places: int = 3) -> float | None:
    return None if x is None else round(float(x), places)


def _totals(uow) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """(on hand, reserved, value) per item, all warehouses together."""
    out: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for item_id, on_hand, reserved, value in uow.execute(
        select(balance_t.c.item_id, balance_t.c.on_hand, balance_t.c.reserved, balance_t.c.value)
    ):
        t = out[item_id]
        t[0] += on_hand
        t[1] += reserved
        t[2] += value
    return {k: tuple(v) for k, v in out.items()}


def stock_status(uow, period: Period | None) -> dict:
    """Every item × warehouse with stock, and the stock value by category and by warehouse."""
    by_sku = {i.sku: i for i in items(uow).values()}
    rows, by_cat, by_wh = [], defaultdict(Decimal), defaultdict(Decimal)
    for row in stock_rows(uow):
        r = row.to_json()
        item = by_sku[r["sku"]]
        rows.append(
            {
                **r,
                "name": item.name,
                "name_zh": item.name_zh,
                "category": item.category,
                "uom": item.uom,
            }
        )
        by_cat[item.category or "-"] += Decimal(r["value"])
        by_wh[r["warehouse"]] += Decimal(r["value"])
    total = sum(by_cat.values(), ZERO)
    return {
        "rows": rows,
        "summary": {
            "lines": len(rows),
            "items": len({r["sku"] for r in rows}),
            "total_value": money_str(total),
            "by_category": {k: money_str(v) for k, v in sorted(by_cat.items())},
            "by_warehouse": {k: money_str(v) for k, v in sorted(by_wh.items())},
        },
        "notes": [] if rows else [note("no_stock")],
    }


@dataclass(frozen=True)
class ReorderInputs:
    """Daily demand of one item for the reorder point: mean, sample sd, and where they came from."""

    mean_daily: float
    sd_daily: float
    days: int
    source: str = "history"


def reorder_inputs(uow, item, demand=None, last_day: date | None = None) -> ReorderInputs | None:
    """Mean and σ of an item's daily demand over `reorder.history_days` ending at the last day of
    history (zero days included; the window starts no earlier than the item's first sale). None
    when the item sold nothing in the window: it has no reorder point.

    A fresh stored forecast (`jxc forecast --all`, at most a week old) takes the place of the
    history: the mean and σ of its daily demand over the lead time.
    """
    last_day = last_day or last_history_day(uow)
    if last_day is None:
        return None
    fc = fresh_forecast(uow, item.id, lead_time_days=item.lead_time_days, after=last_day)
    if fc is not None and fc.mean_daily > 0:
        return ReorderInputs(fc.mean_daily, fc.sd_daily, fc.days, f"forecast:{fc.model}")
    if demand is None:
        demand = demand_by_item(uow, last_day, {item.id}).get(item.id, [])
    days = int(settings.get_decimal(uow, "reorder.history_days"))
    window = daily_series(demand, last_day)[-days:] if days > 0 else []
    if not any(q for _, q in window):
        return None
    mean, sd = formulas.demand_stats([q for _, q in window])
    return ReorderInputs(mean, sd, len(window))


def _unit_cost(item, on_hand: Decimal, value: Decimal) -> Decimal | None:
    if on_hand > 0 and value > 0:
        return value / on_hand
    return item.unit_cost or item.last_receipt_cost


def reorder_figures(uow, item_ids: set[int] | None = None) -> dict:
    """The reorder figures of items (all, or those of `item_ids`), as `below_reorder` shows
    them, for items at or above their reorder point too (`"below"` says which): `rows` by SKU,
    the SKUs with no demand history (`no_history`: no reorder point), those with no cost to
    size an EOQ (`no_eoq`), `last_day` of history and `z`. Empty when there is no history."""
    last_day = last_history_day(uow)
    if last_day is None:
        return {"rows": {}, "no_history": [], "no_eoq": [], "last_day": None, "z": None}
    z = formulas.z_for_service_level(settings.get_decimal(uow, "reorder.service_level"))
    order_cost = settings.get_decimal(uow, "reorder.order_cost")
    holding_pct = settings.get_decimal(uow, "reorder.holding_pct")
    demand = demand_by_item(uow, last_day, item_ids)
    totals = _totals(uow)
    on_order: dict[int, Decimal] = defaultdict(Decimal)
    for (item_id, _), qty in purchasing.on_order(uow).items():
        on_order[item_id] += qty
    rows, no_history, no_eoq = {}, [], []
    for item in items(uow).values():
        if item_ids is not None and item.id not in item_ids:
            continue
        inputs = reorder_inputs(uow, item, demand.get(item.id, []), last_day)
        if inputs is None:
            no_history.append(item.sku)
            continue
        on_hand, reserved, value = totals.get(item.id, (ZERO, ZERO, ZERO))
        projected = on_hand - reserved + on_order[item.id]
        ss = formulas.safety_stock(z, inputs.sd_daily, item.lead_time_days)
        rop = formulas.reorder_point(inputs.mean_daily, item.lead_time_days, ss)
        below = float(projected) <= rop
        cost = _unit_cost(item, on_hand, value)
        holding = cost * holding_pct / 100 if cost else ZERO
        eoq = None
        if holding > 0:
            eoq = formulas.eoq(inputs.mean_daily * 365, order_cost, holding)
        elif below:
            no_eoq.append(item.sku)
        rows[item.sku] = {
            "sku": item.sku,
            "name": item.name,
            "name_zh": item.name_zh,
            "uom": item.uom,
            "available": qty_str(on_hand - reserved),
            "on_order": qty_str(on_order[item.id]),
            "projected": qty_str(projected),
            "mean_daily": _r(inputs.mean_daily),
            "sd_daily": _r(inputs.sd_daily),
            "lead_time_days": item.lead_time_days,
            "safety_stock": _r(ss),
            "reorder_point": _r(rop),
            "eoq": _r(eoq),
            "moq": qty_str(item.moq),
            "suggested_qty": qty_str(formulas.suggested_order_qty(eoq or 0, item.moq)),
            "demand_source": inputs.source,
            "below": below,
            "days": inputs.days,
        }
    return {
        "rows": rows,
        "no_history": no_history,
        "no_eoq": no_eoq,
        "last_day": last_day,
        "z": z,
    }


_FIGURES_ONLY = ("below", "days")


def below_reorder(uow, period: Period | None) -> dict:
    """Items whose projected quantity (available + on order) is at or below the reorder point,
    with the order quantity to suggest, max(EOQ, MOQ)."""
    figures = reorder_figures(uow)
    last_day, z = figures["last_day"], figures["z"]
    if last_day is None:
        return {"rows": [], "summary": {"items": 0}, "notes": [note("no_history")]}
    rows = [
        {k: v for k, v in r.items() if k not in _FIGURES_ONLY}
        for r in figures["rows"].values()
        if r["below"]
    ]
    rows.sort(key=lambda r: (float(r["projected"]) - r["reorder_point"], r["sku"]))
    notes = [
        note(
            "demand_window",
            days=int(settings.get_decimal(uow, "reorder.history_days")),
            last_day=last_day.isoformat(),
            z=f"{z:.3f}",
        )
    ]
    if figures["no_history"]:
        notes.append(note("no_demand", skus=", ".join(figures["no_history"])))
    if figures["no_eoq"]:
        notes.append(note("no_eoq", skus=", ".join(figures["no_eoq"])))
    return {
        "rows": rows,
        "summary": {"items": len(rows), "last_day_of_history": last_day.isoformat()},
        "notes": notes,
    }


def slow_moving(uow, period: Period | None) -> dict:
    """Items in stock with no outgoing move and no sales history in the last 90 days, and the
    value they tie up."""
    today = uow.clock.today()
    since = today - timedelta(days=SLOW_DAYS - 1)
    last_out: dict[int, date] = {}
    first: date | None = None  # the ledger's first day
    for _, day, item_id, _, kind, qty, _, _ in moves(uow):
        first = min(first or day, day)
        if qty < 0 and kind not in NOT_DEMAND:
            last_out[item_id] = max(day, last_out.get(item_id, day))
    for s in sales(uow):
        first = min(first or s.day, s.day)
        if s.qty <= 0:  # goods that came back are no sale
            continue
        last_out[s.item_id] = max(s.day, last_out.get(s.item_id, s.day))
    rows, tied, catalog = [], ZERO, items(uow)
    for item_id, (on_hand, _, value) in _totals(uow).items():
        last = last_out.get(item_id)
        if on_hand <= 0 or (last is not None and last >= since):
            continue
        item = catalog[item_id]
        rows.append(
            {
                "sku": item.sku,
                "name": item.name,
                "name_zh": item.name_zh,
                "uom": item.uom,
                "on_hand": qty_str(on_hand),
                "value": money_str(value),
                "last_out": last.isoformat() if last else None,
                "days_idle": (today - last).days if last else None,
            }
        )
        tied += value
    rows.sort(key=lambda r: (-Decimal(r["value"]), r["sku"]))
    return {
        "rows": rows,
        "summary": {"items": len(rows), "value_tied_up": money_str(tied), "days": SLOW_DAYS},
        "notes": [note("idle_since", since=since.isoformat())]
        + (  # nothing can have been idle longer than the books go back
            [
                note(
                    "young_ledger",
                    first=first.isoformat(),
                    known=(today - first).days + 1,
                    days=SLOW_DAYS,
                )
            ]
            if first is not None and first > since
            else []
        ),
    }


def abc(uow, period: Period | None) -> dict:
    """ABC classes by sales value (quantity × the price sold at) over the 12 months ending at the
    last day of history; items that sold nothing are C."""
    last_day = last_history_day(uow)
    catalog = items(uow)
    if last_day is None:
        return {"rows": [], "summary": {}, "notes": [note("no_history")]}
    start = year_before(last_day)
    value: dict[int, Decimal] = {i: ZERO for i in catalog}
    for s in sales(uow, start, last_day):
        value[s.item_id] = value.get(s.item_id, ZERO) + s.revenue
    ranked = formulas.abc_classes((catalog[i].sku, v) for i, v in value.items())
    rows, classes = [], {}
    total = sum(value.values(), ZERO)
    for r in ranked:
        c = classes.setdefault(r["class"], {"items": 0, "value": ZERO})
        c["items"] += 1
        c["value"] += r["value"]
        rows.append(
            {
                "sku": r["sku"],
                "class": r["class"],
                "value": money_str(r["value"]),
                "share": _r(r["share"], 6),
                "cum_share": _r(r["cum_share"], 6),
            }
        )
    summary = {
        "window": {"start": start.isoformat(), "end": last_day.isoformat()},
        "total_value": money_str(total),
        "classes": {
            k: {
                "items": classes.get(k, {"items": 0})["items"],
                "value": money_str(classes.get(k, {"value": ZERO})["value"]),
                "share": _r(classes[k]["value"] / total, 6) if k in classes and total else 0.0,
                "count_per_year": formulas.count_frequency(k),
            }
            for k in ("A", "B", "C")
        },
    }
    return {
        "rows": rows,
        "summary": summary,
        "notes": [note("abc_rule")],
    }


def first_move_day(uow) -> date | None:
    """The local date of the ledger's first stock move, or None when nothing has moved yet."""
    first = uow.execute(select(func.min(move_t.c.at))).scalar()
    return None if first is None else uow.clock.local(first).date()


def turnover(uow, period: Period) -> dict:
    """COGS of the period ÷ the average of its month-end stock values, per category and in
    total; days of inventory = 365 ÷ the annualised turnover.

    Only month-ends on or after the ledger's first move count: before it the ledger held
    nothing, and counting those empty month-ends would shrink the average. For the same reason a
    period the ledger starts inside is annualised over the days since the first move.
    """
    catalog = items(uow)
    first = first_move_day(uow)
    ends = [d for d in month_ends(period) if first is not None and d >= first]
    start = max(period.start, first) if first is not None else period.start
    days = (period.end - start).days + 1 if ends else 0
    cat_of = {i: (it.category or "-") for i, it in catalog.items()}
    by_cat = values_at(uow, ends, lambda item_id: cat_of.get(item_id, "-"))
    totals = [sum((v[k] for v in by_cat.values()), ZERO) for k in range(len(ends))]
    cogs: dict[str, Decimal] = defaultdict(Decimal)
    for _, day, item_id, _, _, _, value, _ in moves(uow, period.end, COGS_KINDS):
        if day >= period.start:
            cogs[cat_of.get(item_id, "-")] -= value
    rows = []
    for cat in sorted(set(by_cat) | set(cogs)):
        values = by_cat.get(cat, [ZERO] * len(ends))
        rows.append(_turn_row({"category": cat}, cogs[cat], values, days))
    total = _turn_row({}, sum(cogs.values(), ZERO), totals, days)
    notes = [note("turnover_formula", days=days)]
    if not any(totals):
        notes.append(note("no_stock_value"))
    if first is not None and first > period.start:
        notes.append(note("ledger_starts", first=first.isoformat(), days=days))
    return {
        "rows": rows,
        "summary": {
            **total,
            "days_covered": days,
            "month_ends": [
                {"date": d.isoformat(), "value": money_str(v)}
                for d, v in zip(ends, totals, strict=True)
            ],
        },
        "notes": notes,
    }


def _turn_row(head: dict, cogs: Decimal, values: list[Decimal], days: int) -> dict:
    ratio = formulas.turnover(cogs, values)[0] if values else None
    annual = ratio * 365 / days if ratio is not None and days else None
    inventory_days = Decimal(365) / annual if annual else None
    return {
        **head,
        "cogs": money_str(cogs),
        "avg_value": money_str(sum(values, ZERO) / len(values) if values else ZERO),
        "turnover": _r(ratio, 4),
        "annualised_turnover": _r(annual, 4),
        "days_of_inventory": _r(inventory_days, 1),
    }
