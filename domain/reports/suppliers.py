"""The supplier performance report: on-time rate, lead times and the course's weighted
scorecard per supplier."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from domain.ledger.history import items, local_day, partners, utc_bounds
from domain.model import ApprovalRequest, PurchaseOrder, StockCount, StockMove
from domain.reports.notes import note
from domain.reports.periods import Period
from domain.reports.trade import ZERO, rounded

move_t = StockMove.__table__
po_t = PurchaseOrder.__table__
count_t = StockCount.__table__
req_t = ApprovalRequest.__table__

# The course's supplier scorecard (供应商评估): dimension → weight in %.
SCORECARD_WEIGHTS = {"quality": 30, "cost": 25, "delivery": 20, "service": 15, "innovation": 10}


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


def receipts(uow, period: Period) -> list[_Receipt]:
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
    for r in receipts(uow, period):
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
                "on_time_rate": rounded(on_time),
                "avg_lead_time_days": rounded(sum(r.lead_days for r in recs) / len(recs), 2),
                "promised_lead_time_days": rounded(promised, 2),
                "lead_time_error_days": rounded(error, 2),
                "avg_days_late": rounded(late, 2),
                "lead_time_accuracy": rounded(accuracy),
                "scores": {k: rounded(v) for k, v in scores.items()},
                "weights_used": used,
                "na": [k for k in SCORECARD_WEIGHTS if k not in used],
                "score": rounded(score, 1),
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
            "on_time_rate": rounded(sum(1 for r in all_recs if r.on_time) / len(all_recs))
            if all_recs
            else None,
        },
        "notes": notes,
    }
