"""The money reports: receivables and payables aging (snapshots), and gross profit for a period.

Aging: each partner with a balance, what of it falls in each bucket of days past due today
(`current`, `1-30`, `31-60`, `61-90`, `90+`; credit not yet applied counts as current), the
overdue part, and (customers) the credit limit. Gross profit: revenue − cost of goods of the
period's shipments net of returns (a return lowers revenue by its quantity × the line's net
price and cost by the cost it came back at, on the day it came back), by item and by customer,
with the margin (gross profit ÷ revenue). Sales history from an earlier system carries no cost
of goods, so it is not counted.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select

from domain.ledger.history import items, partners, returned_parts, shipped_parts, utc_bounds
from domain.model import SalesOrder, StockMove
from domain.model.money import Invoice, Payment
from domain.money.balances import BUCKETS, owed
from domain.numbers import money_str, qty_str
from domain.reports.notes import note
from domain.reports.periods import Period

inv_t = Invoice.__table__
pay_t = Payment.__table__
move_t = StockMove.__table__
so_t = SalesOrder.__table__
ZERO = Decimal(0)


def _aging(uow, kind: str) -> dict:
    who = partners(uow)
    ids = set(
        uow.execute(select(inv_t.c.partner_id).where(inv_t.c.status == "open")).scalars()
    ) | set(uow.execute(select(pay_t.c.partner_id).where(pay_t.c.status == "open")).scalars())
    today = uow.clock.today()
    rows, totals = [], dict.fromkeys(("balance", "overdue", *BUCKETS), ZERO)
    for pid in ids:
        p = who[pid]
        if p.kind != kind:
            continue
        o = owed(uow, pid, today)
        if not o.balance and not any(o.aging.values()):
            continue
        row = {
            "partner": p.code,
            "name": p.name,
            "name_zh": p.name_zh,
            "balance": money_str(o.balance),
            **{b: money_str(o.aging[b]) for b in BUCKETS},
            "overdue": money_str(o.overdue),
        }
        if kind == "customer":
            row["credit_limit"] = money_str(p.credit_limit or ZERO)
        rows.append(row)
        totals["balance"] += o.balance
        totals["overdue"] += o.overdue
        for b in BUCKETS:
            totals[b] += o.aging[b]
    rows.sort(key=lambda r: (-Decimal(r["overdue"]), -Decimal(r["balance"]), r["partner"]))
    summary = {
        ("customers" if kind == "customer" else "suppliers"): len(rows),
        **{k: money_str(v) for k, v in totals.items()},
        "as_of": today.isoformat(),
    }
    return {"rows": rows, "summary": summary, "notes": [] if rows else [note("nothing_owed")]}


def receivables_aging(uow, period: Period | None) -> dict:
    """What each customer owes us, by days past due today, most overdue first."""
    return _aging(uow, "customer")


def payables_aging(uow, period: Period | None) -> dict:
    """What we owe each supplier, by days past due today, most overdue first."""
    return _aging(uow, "supplier")


def gross_profit(uow, period: Period) -> dict:
    """Revenue, cost of goods, gross profit and margin of the period's shipments net of
    returns, by item (rows) and by customer (`summary.by_customer`)."""
    lo, hi = utc_bounds(uow, period.start, period.end)
    catalog, who = items(uow), partners(uow)
    revenue, cogs, qty = defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)
    c_revenue, c_cogs = defaultdict(Decimal), defaultdict(Decimal)
    for part in shipped_parts(uow, (lo, hi)):
        revenue[part.item_id] += part.revenue
        qty[part.item_id] += part.qty
        c_revenue[part.partner_id] += part.revenue
    for part in returned_parts(uow, (lo, hi)):  # net of returns, on the day they came
        revenue[part.item_id] -= part.revenue
        qty[part.item_id] -= part.qty
        c_revenue[part.partner_id] -= part.revenue
    order_partner = dict(uow.execute(select(so_t.c.number, so_t.c.partner_id)).all())
    # Cost of goods: what the sale moves took out less what the return moves brought back.
    for ref, item_id, value in uow.execute(
        select(move_t.c.ref, move_t.c.item_id, move_t.c.value).where(
            move_t.c.kind.in_(("sale", "sales_return")) & (move_t.c.at >= lo) & (move_t.c.at < hi)
        )
    ):
        cogs[item_id] -= value
        if ref in order_partner:
            c_cogs[order_partner[ref]] -= value
    rows = [
        {
            "sku": catalog[i].sku,
            "name": catalog[i].name,
            "name_zh": catalog[i].name_zh,
            "uom": catalog[i].uom,
            "qty": qty_str(qty[i]),
            **_profit(revenue[i], cogs[i]),
        }
        for i in sorted(set(revenue) | set(cogs), key=lambda i: catalog[i].sku)
    ]
    rows.sort(key=lambda r: (-Decimal(r["gross_profit"]), r["sku"]))
    customers = [
        {
            "customer": who[p].code,
            "name": who[p].name,
            "name_zh": who[p].name_zh,
            **_profit(c_revenue[p], c_cogs[p]),
        }  # fmt: skip
        for p in set(c_revenue) | set(c_cogs)
    ]
    customers.sort(key=lambda r: (-Decimal(r["gross_profit"]), r["customer"]))
    total_r = sum(revenue.values(), ZERO)
    total_c = sum(cogs.values(), ZERO)
    return {
        "rows": rows,
        "summary": {**_profit(total_r, total_c), "by_customer": customers},
        "notes": ([] if rows else [note("no_sales")]) + [note("gross_profit_basis")],
    }


def _profit(revenue: Decimal, cogs: Decimal) -> dict:
    profit = revenue - cogs
    return {
        "revenue": money_str(revenue),
        "cogs": money_str(cogs),
        "gross_profit": money_str(profit),
        "margin": round(float(profit / revenue), 4) if revenue else None,
    }
