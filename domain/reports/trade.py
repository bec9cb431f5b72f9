"""Sales and approval reports: top sellers, sales by customer, pending approvals. Supplier
performance is in `domain.reports.suppliers`, the KPIs in `domain.reports.kpis`."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from domain.ledger.history import items, partners, sales
from domain.model import ApprovalRequest, PurchaseOrder, StockCount, StockMove
from domain.numbers import money_str, qty_str
from domain.reports.notes import note
from domain.reports.periods import Period

ZERO = Decimal(0)
TOP_N = 10
move_t = StockMove.__table__
po_t = PurchaseOrder.__table__
count_t = StockCount.__table__
req_t = ApprovalRequest.__table__


def rounded(x, places: int = 4):
    return None if x is None else round(float(x), places)


def share(part: Decimal, total: Decimal) -> float:
    return rounded(part / total, 6) if total else 0.0


def top_sellers(uow, period: Period) -> dict:
    """The ten items with the most revenue in the period."""
    catalog = items(uow)
    revenue: dict[int, Decimal] = defaultdict(Decimal)
    qty: dict[int, Decimal] = defaultdict(Decimal)
    for s in sales(uow, period.start, period.end):
        revenue[s.item_id] += s.revenue
        qty[s.item_id] += s.qty
    total = sum(revenue.values(), ZERO)
    ranked = sorted(revenue, key=lambda i: (-revenue[i], catalog[i].sku))[:TOP_N]
    rows = [
        {
            "rank": n,
            "sku": catalog[i].sku,
            "name": catalog[i].name,
            "name_zh": catalog[i].name_zh,
            "uom": catalog[i].uom,
            "qty": qty_str(qty[i]),
            "revenue": money_str(revenue[i]),
            "share": share(revenue[i], total),
        }
        for n, i in enumerate(ranked, start=1)
    ]
    top = sum((revenue[i] for i in ranked), ZERO)
    return {
        "rows": rows,
        "summary": {
            "items_sold": len(revenue),
            "revenue": money_str(total),
            "top_share": share(top, total),
        },
        "notes": [] if rows else [note("no_sales")],
    }


def sales_by_customer(uow, period: Period) -> dict:
    """Revenue per customer in the period, largest first."""
    who = partners(uow)
    revenue: dict[int, Decimal] = defaultdict(Decimal)
    skus: dict[int, set] = defaultdict(set)
    orders: dict[int, set] = defaultdict(set)
    for s in sales(uow, period.start, period.end):
        revenue[s.partner_id] += s.revenue
        skus[s.partner_id].add(s.item_id)
        if s.order:
            orders[s.partner_id].add(s.order)
    total = sum(revenue.values(), ZERO)
    rows = [
        {
            "customer": who[p].code,
            "name": who[p].name,
            "name_zh": who[p].name_zh,
            "revenue": money_str(revenue[p]),
            "share": share(revenue[p], total),
            "items": len(skus[p]),
            "orders_shipped": len(orders[p]),
        }
        for p in sorted(revenue, key=lambda p: (-revenue[p], who[p].code))
    ]
    return {
        "rows": rows,
        "summary": {"customers": len(rows), "revenue": money_str(total)},
        "notes": [] if rows else [note("no_sales")],
    }


def pending_approvals(uow, period: Period | None) -> dict:
    """Approval requests still waiting for a decision, oldest first, with their age."""
    now = uow.now
    rows = []
    for r in uow.execute(
        select(req_t).where(req_t.c.status == "pending").order_by(req_t.c.requested_at, req_t.c.id)
    ):
        rows.append(
            {
                "request": r.number,
                "subject_kind": r.subject_kind,
                "subject": r.subject,
                "requested_by": r.requested_by,
                "requested_at": r.requested_at.isoformat(),
                "age_hours": rounded((now - r.requested_at) / timedelta(hours=1), 1),
                "reasons": json.loads(r.reasons or "[]"),
            }
        )
    return {
        "rows": rows,
        "summary": {
            "pending": len(rows),
            "oldest_hours": max((r["age_hours"] for r in rows), default=None),
        },
        "notes": [] if rows else [note("no_approvals")],
    }
