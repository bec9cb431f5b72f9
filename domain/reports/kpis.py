"""The KPI report: stock turnover, order fill rate, supplier on-time rate and stock count
discrepancy against the course's targets."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select

from domain.ledger.history import local_day, sl_t, so_t, utc_bounds
from domain.model import ApprovalRequest, PurchaseOrder, StockCount, StockMove
from domain.numbers import money_display
from domain.reports.notes import note, read_note
from domain.reports.periods import Period
from domain.reports.stock import turnover
from domain.reports.suppliers import receipts
from domain.reports.trade import ZERO, rounded

move_t = StockMove.__table__
po_t = PurchaseOrder.__table__
count_t = StockCount.__table__
req_t = ApprovalRequest.__table__

# The course's KPI targets (绩效衡量): turnover 24 a year, order fill rate 98.5 %, supplier
# on-time 95 %, stock count discrepancy 0.5 % (at most).
KPI_TARGETS = {
    "turnover": 24.0,
    "fill_rate": 0.985,
    "supplier_on_time": 0.95,
    "count_discrepancy": 0.005,
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
    recs = receipts(uow, period)
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
                "value": rounded(value),
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
