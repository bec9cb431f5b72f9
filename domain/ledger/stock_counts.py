"""Stock counts: a stocktake posted at once as an adjustment, or held for approval when its
difference is over the thresholds; and the approval's side of it (what an approver sees, what
a decision posts)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import insert, select, update

from domain import settings
from domain.approvals import policy as approvals
from domain.errors import InvalidState
from domain.ledger import moves as ledger
from domain.ledger.moves import item_t
from domain.ledger.stock import ZERO, balance_fields, wh_t
from domain.messages.commands import CountStock
from domain.messages.events import StockCounted, StockShort
from domain.messages.results import PostedCount, StockCountResult
from domain.model import StockCount
from domain.numbers import money, money_display, money_str, qty_str, quantity
from domain.orders import sales
from domain.orders.pricing import Reason

count_t = StockCount.__table__


def count_stock(cmd: CountStock, uow, user) -> StockCountResult:
    """Record a stocktake. Within the thresholds the difference is posted at once as an
    adjustment move; beyond them (`approval.count_value`, `approval.count_pct`) the count waits
    for an approver and nothing moves until then."""
    item, wh = ledger.place(uow, cmd.item, cmd.warehouse)
    counted = quantity(cmd.counted_qty, item.uom, allow_zero=True)
    bal = ledger.lock_balance(uow, item.id, wh.id)
    diff = counted - bal.on_hand
    if diff > 0:
        value = money(diff * ledger.current_cost(uow, item, wh.id, bal))
    elif diff < 0:
        value = -money(-diff * bal.value / bal.on_hand) if bal.on_hand > 0 else ZERO
    else:
        value = ZERO
    reasons = _count_reasons(uow, bal.on_hand, diff, value)
    count_id = uow.execute(
        insert(count_t).values(
            at=uow.now,
            item_id=item.id,
            warehouse_id=wh.id,
            book_qty=bal.on_hand,
            counted_qty=counted,
            diff_qty=diff,
            diff_value=value,
            status="pending_approval" if reasons else "posted",
            user_name=user.name,
        )
    ).inserted_primary_key[0]
    result = {
        "count": count_id,
        "book_qty": qty_str(bal.on_hand),
        "counted_qty": qty_str(counted),
        "diff_qty": qty_str(diff),
    }
    if reasons:
        request = approvals.request_approval(uow, "stock_count", str(count_id), reasons, user)
        result.update(
            status="pending_approval",
            approval=request,
            reasons=tuple(r.en for r in reasons),
            reasons_zh=tuple(r.zh for r in reasons),
        )
    else:
        value = _post_diff(uow, item, wh, diff, user)
        result.update(status="posted")
    uow.emit(
        StockCounted(
            sku=item.sku,
            warehouse=wh.code,
            book_qty=qty_str(bal.on_hand),
            counted_qty=qty_str(counted),
            diff_qty=qty_str(diff),
            diff_value=money_str(value),
            status=result["status"],
            user=user.name,
        )
    )
    return StockCountResult(**balance_fields(uow, item, wh), **result, diff_value=money_str(value))


def _count_reasons(uow, book: Decimal, diff: Decimal, value: Decimal) -> list[Reason]:
    limit = settings.get_decimal(uow, "approval.count_value")
    pct = settings.get_decimal(uow, "approval.count_pct")
    reasons = []
    if abs(value) > limit:
        reasons.append(
            Reason(
                f"adjustment value {money_display(abs(value))} is over {money_display(limit)}",
                f"调整金额 {money_display(abs(value))} 超过 {money_display(limit)}",
            )
        )
    if diff and (book <= 0 or abs(diff) / book * 100 > pct):
        share = "∞" if book <= 0 else f"{(abs(diff) / book * 100).quantize(Decimal('0.1'))}"
        reasons.append(
            Reason(
                f"discrepancy {share}% of on hand is over {pct}%",
                f"差异占账面 {share}%，超过 {pct}%",
            )
        )
    return reasons


def _post_diff(uow, item, wh, diff: Decimal, user) -> Decimal:
    """Post a count's difference as an adjustment move; returns its value. A count that takes
    on hand below what is reserved still posts (the shelf is what it is) and says which sales
    orders are now short."""
    bal = ledger.lock_balance(uow, item.id, wh.id)
    if diff > 0:
        cost = ledger.current_cost(uow, item, wh.id, bal)
        value = money(diff * cost)
        ledger.stock_in(
            uow,
            item,
            wh.id,
            diff,
            unit_cost=cost,
            value=value,
            layers=[(diff, cost.quantize(Decimal("0.000001")))],
            kind="count",
            ref="count",
            user=user.name,
        )
        return value
    if diff < 0:
        value = -ledger.stock_out(
            uow, item, wh.id, wh.code, -diff, kind="count", force=True, ref="count", user=user.name
        ).value
        after = ledger.read_balance(uow, item.id, wh.id)
        if after.reserved > after.on_hand:
            short = StockShort(
                sku=item.sku,
                warehouse=wh.code,
                on_hand=qty_str(after.on_hand),
                reserved=qty_str(after.reserved),
                orders=tuple(sales.orders_reserving(uow, item.id, wh.id)),
            )
            uow.emit(short)
        return value
    return ZERO


def on_count_decision(uow, count_id: str, approved: bool, user) -> dict:
    """Approval posts the difference that was approved (not the counted quantity against a
    book that has moved since); rejection drops the count. The result says what was posted,
    the on hand it left, and whether the book had moved since the count."""
    row = uow.execute(select(count_t).where(count_t.c.id == int(count_id))).first()
    if row is None or row.status != "pending_approval":
        raise InvalidState(
            f"count #{count_id} is not waiting for approval",
            zh=f"盘点 #{count_id} 不在待审批状态",
        )
    if not approved:
        uow.execute(update(count_t).where(count_t.c.id == row.id).values(status="rejected"))
        return {"subject_status": "rejected"}
    item = uow.execute(select(item_t).where(item_t.c.id == row.item_id)).first()
    wh = uow.execute(select(wh_t).where(wh_t.c.id == row.warehouse_id)).first()
    book_now = ledger.lock_balance(uow, item.id, wh.id).on_hand
    value = _post_diff(uow, item, wh, row.diff_qty, user)
    uow.execute(
        update(count_t).where(count_t.c.id == row.id).values(status="posted", diff_value=value)
    )
    after = ledger.read_balance(uow, item.id, wh.id)
    posted = PostedCount(
        diff_qty=_signed(row.diff_qty),
        diff_value=money_str(value),
        book_qty_at_count=qty_str(row.book_qty),
        book_qty_before=qty_str(book_now),
        on_hand=qty_str(after.on_hand),
        book_moved=book_now != row.book_qty,
    )
    return {"subject_status": "posted", "posted": posted}


def _signed(d: Decimal) -> str:
    return ("+" if d > 0 else "") + qty_str(d)


def count_details(uow, count_id: str) -> dict:
    """What an approver decides on for a count: the item, the warehouse, book and counted
    quantities and the difference with its value."""
    row = uow.execute(
        select(count_t, item_t.c.sku, item_t.c.name, item_t.c.name_zh, wh_t.c.code)
        .select_from(
            count_t.join(item_t, item_t.c.id == count_t.c.item_id).join(
                wh_t, wh_t.c.id == count_t.c.warehouse_id
            )
        )
        .where(count_t.c.id == int(count_id))
    ).first()
    if row is None:
        return {}
    return {
        "count": row.id,
        "item": row.sku,
        "name": row.name,
        "name_zh": row.name_zh,
        "warehouse": row.code,
        "book_qty": qty_str(row.book_qty),
        "counted_qty": qty_str(row.counted_qty),
        "diff_qty": qty_str(row.diff_qty),
        "diff_value": money_str(row.diff_value),
    }
