"""Sales, supplier and management reports: top sellers, sales by customer, supplier performance,
KPIs, pending approvals."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from domain.ledger.history import items, local_day, partners, sales, sl_t, so_t, utc_bounds
from domain.model import ApprovalRequest, PurchaseOrder, StockCount, StockMove
from domain.numbers import money_display, money_str, qty_str
from domain.reports.notes import note, read_note
from domain.reports.periods import Period
from domain.reports.stock import turnover

ZERO = Decimal(0)
TOP_N = 10
move_t = StockMove.__table__
po_t = PurchaseOrder.__table__
count_t = StockCount.__table__
req_t = ApprovalRequest.__table__

# The course's supplier scorecard (供应商评估): dimension → weight in %.
SCORECARD_WEIGHTS = {"quality": 30, "cost": 25, "delivery": 20, "service": 15, "innovation": 10}
# The course's KPI targets (绩效衡量): turnover 24 a year, order fill rate 98.5 %, supplier
# on-time 95 %, stock count discrepancy 0.5 % (at most).
KPI_TARGETS = {
    "turnover": 24.0,
    "fill_rate": 0.985,
    "supplier_on_time": 0.95,
    "count_discrepancy": 0.005,
}


def _r(x, places: int = 4):
    return None if x is None else round(float(x), places)


def _share(part: Decimal, total: Decimal) -> float:
    return _r(part / total, 6) if total else 0.0


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
            "share": _share(revenue[i], total),
        }
        for n, i in enumerate(ranked, start=1)
    ]
    top = sum((revenue[i] for i in ranked), ZERO)
    return {
        "rows": rows,
        "summary": {
            "items_sold": len(revenue),
            "revenue": money_str(total),
            "top_share": _share(top, total),
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
            "share": _share(revenue[p], total),
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


@dataclass
class _Receipt:
    supplier_id: int
    order: str
    qty: Decimal
    value: Decimal
    standard: Decimal | None
    lead_days: int
    promised: int

    @property
    def on_time(self) -> bool:
        """Received on or before the due date (order date + the item's lead time)."""
        return self.lead_days <= self.promised

    @property
    def days_late(self) -> int:
        """Days past the due date; an early receipt is 0, not a miss."""
        return max(0, self.lead_days - self.promised)


def _receipts(uow, period: Period) -> list[_Receipt]:
    """Purchase receipts in the period: moves of kind `purchase` whose ref is the PO number."""
    catalog = items(uow)
    lo, hi = utc_bounds(uow, period.start, period.end)
    q = (
        select(
            move_t.c.at,
            move_t.c.item_id,
            move_t.c.qty,
            move_t.c.value,
            po_t.c.number,
            po_t.c.partner_id,
            po_t.c.created_at,
        )
        .select_from(move_t.join(po_t, po_t.c.number == move_t.c.ref))
        .where((move_t.c.kind == "purchase") & (move_t.c.at >= lo) & (move_t.c.at < hi))
        .order_by(move_t.c.id)
    )
    out = []
    for at, item_id, qty, value, number, supplier_id, created in uow.execute(q):
        item = catalog[item_id]
        std = item.unit_cost * qty if item.unit_cost is not None else None
        lead = (local_day(uow, at) - local_day(uow, created)).days
        out.append(_Receipt(supplier_id, number, qty, value, std, lead, item.lead_time_days))
    return out


def _returned(uow) -> dict[str, Decimal] | None:
    """Quantities returned to suppliers per PO, or None when no return was ever recorded."""
    rows = uow.execute(
        select(move_t.c.ref, move_t.c.qty).where(move_t.c.kind == "purchase_return")
    ).all()
    if not rows:
        return None
    out: dict[str, Decimal] = defaultdict(Decimal)
    for ref, qty in rows:
        out[ref] += abs(qty)
    return out


def supplier_performance(uow, period: Period) -> dict:
    """Per supplier: on-time rate (received on or before order date + the item's lead time),
    lead-time accuracy, and the course's weighted scorecard over the dimensions with data."""
    who = partners(uow)
    by_supplier: dict[int, list[_Receipt]] = defaultdict(list)
    for r in _receipts(uow, period):
        by_supplier[r.supplier_id].append(r)
    returned = _returned(uow)
    rows = []
    for sid in sorted(by_supplier, key=lambda s: who[s].code):
        recs = by_supplier[sid]
        on_time = sum(1 for r in recs if r.on_time) / len(recs)
        promised = sum(r.promised for r in recs) / len(recs)
        error = sum(abs(r.lead_days - r.promised) for r in recs) / len(recs)
        late = sum(r.days_late for r in recs) / len(recs)
        accuracy = max(0.0, 1 - late / promised) if promised else float(late == 0)
        std = [r for r in recs if r.standard is not None]
        paid = sum((r.value for r in std), ZERO)
        scores = {
            "quality": None,
            "cost": min(1.0, float(sum((r.standard for r in std), ZERO) / paid)) if paid else None,
            "delivery": on_time,
            "service": None,
            "innovation": None,
        }
        if returned is not None:
            got = sum((r.qty for r in recs), ZERO)
            back = sum((returned.get(o, ZERO) for o in {r.order for r in recs}), ZERO)
            scores["quality"] = max(0.0, 1 - float(back / got)) if got else None
        used = {k: w for k, w in SCORECARD_WEIGHTS.items() if scores[k] is not None}
        score = sum(scores[k] * w for k, w in used.items()) / sum(used.values()) * 100
        rows.append(
            {
                "supplier": who[sid].code,
                "name": who[sid].name,
                "name_zh": who[sid].name_zh,
                "orders": len({r.order for r in recs}),
                "receipts": len(recs),
                "on_time": sum(1 for r in recs if r.on_time),
                "on_time_rate": _r(on_time),
                "avg_lead_time_days": _r(sum(r.lead_days for r in recs) / len(recs), 2),
                "promised_lead_time_days": _r(promised, 2),
                "lead_time_error_days": _r(error, 2),
                "avg_days_late": _r(late, 2),
                "lead_time_accuracy": _r(accuracy),
                "scores": {k: _r(v) for k, v in scores.items()},
                "weights_used": used,
                "na": [k for k in SCORECARD_WEIGHTS if k not in used],
                "score": _r(score, 1),
            }
        )
    all_recs = [r for recs in by_supplier.values() for r in recs]
    notes = [note("scorecard_weights"), note("scorecard_formulas")]
    if returned is None:
        notes.append(note("no_quality"))
    notes.append(note("no_service"))
    if not rows:
        notes.insert(0, note("no_receipts"))
    return {
        "rows": rows,
        "summary": {
            "suppliers": len(rows),
            "receipts": len(all_recs),
            "on_time_rate": _r(sum(1 for r in all_recs if r.on_time) / len(all_recs))
            if all_recs
            else None,
        },
        "notes": notes,
    }


def _fill_rate(uow, period: Period) -> tuple[int, int]:
    """(lines shipped complete in their order's first shipment, lines shipped), for orders whose
    first shipment falls in the period. A shipment is the sale moves of one order carrying one
    shipment number (moves written before shipments were numbered: those made at one
    instant); the first is the one with the order's earliest move."""
    first: dict[str, tuple] = {}  # order → (its first shipment's key, when it was made)
    qty_at: dict[tuple, Decimal] = defaultdict(Decimal)
    for ref, at, shipment, item_id, qty in uow.execute(
        select(move_t.c.ref, move_t.c.at, move_t.c.shipment, move_t.c.item_id, move_t.c.qty)
        .where(move_t.c.kind == "sale")
        .order_by(move_t.c.id)
    ):
        key = shipment if shipment is not None else at
        first.setdefault(ref, (key, at))
        qty_at[(ref, key, item_id)] += -qty
    in_period = [
        o for o, (_, at) in first.items() if period.start <= local_day(uow, at) <= period.end
    ]
    if not in_period:
        return 0, 0
    lines = uow.execute(
        select(so_t.c.number, sl_t.c.item_id, sl_t.c.qty, sl_t.c.shipped_qty)
        .select_from(sl_t.join(so_t, so_t.c.id == sl_t.c.order_id))
        .where(so_t.c.number.in_(in_period) & (sl_t.c.shipped_qty > 0))
        .order_by(so_t.c.number, sl_t.c.line_no)
    ).all()
    left = {(o, i): q for (o, key, i), q in qty_at.items() if key == first[o][0]}
    complete = 0
    for number, item_id, qty, _ in lines:
        got = left.get((number, item_id), ZERO)
        if got >= qty:
            complete += 1
        left[(number, item_id)] = max(ZERO, got - qty)
    return complete, len(lines)


def _count_discrepancy(uow, period: Period) -> tuple[Decimal, Decimal, int]:
    """(Σ |adjustment value|, Σ counted value, counts) of the posted counts in the period. The
    counted value is the book value right after the count's adjustment was posted (an approved
    count posts when it is approved, not when it was counted); a count that changed nothing is
    worth its book value at the count."""
    lo, hi = utc_bounds(uow, period.start, period.end)
    counts = uow.execute(
        select(count_t)
        .where((count_t.c.status == "posted") & (count_t.c.at >= lo) & (count_t.c.at < hi))
        .order_by(count_t.c.id)
    ).all()
    adjusted, counted = ZERO, ZERO
    for c in counts:
        same = (move_t.c.item_id == c.item_id) & (move_t.c.warehouse_id == c.warehouse_id)
        posted = None
        if c.diff_value:
            posted = uow.execute(
                select(func.min(move_t.c.id)).where(
                    same & (move_t.c.kind == "count") & (move_t.c.at >= c.at)
                )
            ).scalar()
        until = move_t.c.id <= posted if posted is not None else move_t.c.at <= c.at
        book = uow.execute(select(move_t.c.value).where(same & until)).all()
        adjusted += abs(c.diff_value)
        counted += sum((v for (v,) in book), ZERO)
    return adjusted, counted, len(counts)


def kpi(uow, period: Period) -> dict:
    """Turnover, fill rate, supplier on-time rate and count discrepancy rate against the course's
    targets (24 / 98.5 % / 95 % / ≤ 0.5 %)."""
    turn_report = turnover(uow, period)
    turn = turn_report["summary"]
    complete, shipped = _fill_rate(uow, period)
    recs = _receipts(uow, period)
    adjusted, counted, counts = _count_discrepancy(uow, period)
    values = {
        "turnover": (
            turn["annualised_turnover"],
            note(
                "basis_turnover",
                cogs=money_display(turn["cogs"]),
                avg=money_display(turn["avg_value"]),
            ),
        ),
        "fill_rate": (
            complete / shipped if shipped else None,
            note("basis_fill_rate", done=complete, of=shipped),
        ),
        "supplier_on_time": (
            sum(1 for r in recs if r.on_time) / len(recs) if recs else None,
            note("basis_on_time", done=sum(1 for r in recs if r.on_time), of=len(recs)),
        ),
        "count_discrepancy": (
            float(adjusted / counted) if counted else None,
            note(
                "basis_discrepancy",
                adjusted=money_display(adjusted),
                counted=money_display(counted),
                counts=counts,
            ),
        ),
    }
    rows = []
    for name, (value, basis) in values.items():
        target = KPI_TARGETS[name]
        met = None
        if value is not None:
            met = value <= target if name == "count_discrepancy" else value >= target
        rows.append(
            {
                "kpi": name,
                "value": _r(value),
                "target": target,
                "better": "lower" if name == "count_discrepancy" else "higher",
                "met": met,
                "basis": basis,
            }
        )
    missing = [r["kpi"] for r in rows if r["value"] is None]
    return {
        "rows": rows,
        "summary": {
            "met": sum(1 for r in rows if r["met"]),
            "measured": len(rows) - len(missing),
            "days_of_inventory": turn["days_of_inventory"],
        },
        "notes": [note("kpi_targets")]
        + ([note("kpi_no_data", kpis=", ".join(missing))] if missing else [])
        + [n for n in turn_report["notes"] if (read_note(n) or ("",))[0] == "ledger_starts"],
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
                "age_hours": _r((now - r.requested_at) / timedelta(hours=1), 1),
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
