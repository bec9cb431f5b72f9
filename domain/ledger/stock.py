"""Stock services: receive, issue, transfer, count, query."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import bindparam, insert, select, update

from domain import settings
from domain.approvals import policy as approvals
from domain.errors import InvalidState
from domain.ledger import lookup
from domain.ledger import moves as ledger
from domain.ledger.moves import balance_t, item_t
from domain.messages.commands import CountStock, IssueStock, QueryStock, ReceiveStock, TransferStock
from domain.messages.events import (
    StockCounted,
    StockIssued,
    StockReceived,
    StockShort,
    StockTransferred,
)
from domain.messages.results import (
    Balance,
    PostedCount,
    StockAnswer,
    StockCountResult,
    StockIssue,
    StockReceipt,
    StockRow,
    StockTransfer,
)
from domain.model import StockCount, Warehouse
from domain.numbers import cost_str, money, money_display, money_str, qty_str, quantity, unit_cost
from domain.orders import purchasing, sales
from domain.orders.pricing import Reason

count_t = StockCount.__table__
wh_t = Warehouse.__table__
ZERO = Decimal(0)


def _balance(uow, item, wh) -> dict:
    """The fields of an item's `Balance` in a warehouse, as it is now."""
    bal = ledger.read_balance(uow, item.id, wh.id)
    on_hand, reserved, value = bal.on_hand, bal.reserved, bal.value
    return {
        "sku": item.sku,
        "name": item.name,
        "name_zh": item.name_zh,
        "warehouse": wh.code,
        "on_hand": qty_str(on_hand),
        "reserved": qty_str(reserved),
        "available": qty_str(max(on_hand - reserved, ZERO)),
        "value": money_str(value),
        "short": qty_str(reserved - on_hand) if reserved > on_hand else None,
    }


def receive_stock(cmd: ReceiveStock, uow, user) -> StockReceipt:
    """Put goods into stock at a unit cost (default: the item's standard cost)."""
    item, wh = ledger.place(uow, cmd.item, cmd.warehouse)
    qty = quantity(cmd.qty, item.uom)
    cost = unit_cost(cmd.unit_cost if cmd.unit_cost is not None else (item.unit_cost or ZERO))
    value = ledger.stock_in(
        uow, item, wh.id, qty, unit_cost=cost, kind="receipt", ref="", user=user.name
    )
    if item.last_receipt_cost != cost:
        uow.execute(update(item_t).where(item_t.c.id == item.id).values(last_receipt_cost=cost))
    uow.emit(
        StockReceived(
            sku=item.sku,
            warehouse=wh.code,
            qty=qty_str(qty),
            unit_cost=str(cost),
            value=money_str(value),
            user=user.name,
        )
    )
    return StockReceipt(**_balance(uow, item, wh), qty=qty_str(qty), move_value=money_str(value))


def issue_stock(cmd: IssueStock, uow, user) -> StockIssue:
    """Take goods out of stock (repairs, samples, scrap), valued at cost."""
    item, wh = ledger.place(uow, cmd.item, cmd.warehouse)
    qty = quantity(cmd.qty, item.uom)
    out = ledger.stock_out(
        uow, item, wh.id, wh.code, qty, kind="issue", reason=cmd.reason or "", user=user.name
    )
    uow.emit(
        StockIssued(
            sku=item.sku,
            warehouse=wh.code,
            qty=qty_str(qty),
            value=money_str(out.value),
            reason=cmd.reason or "",
            user=user.name,
        )
    )
    return StockIssue(**_balance(uow, item, wh), qty=qty_str(qty), cost=money_str(out.value))


def transfer_stock(cmd: TransferStock, uow, user) -> StockTransfer:
    """Move goods between warehouses at the source's cost (FIFO layers travel)."""
    item, src = ledger.place(uow, cmd.item, cmd.from_)
    dst = lookup.warehouse(uow, cmd.to)
    if src.id == dst.id:
        raise InvalidState(
            "a transfer needs two different warehouses", zh="调拨的源仓库和目标仓库不能相同"
        )
    qty = quantity(cmd.qty, item.uom)
    ref = f"{src.code}>{dst.code}"
    out = ledger.stock_out(
        uow, item, src.id, src.code, qty, kind="transfer_out", ref=ref, user=user.name
    )
    ledger.stock_in(
        uow,
        item,
        dst.id,
        qty,
        value=out.value,
        layers=out.layers,
        kind="transfer_in",
        ref=ref,
        user=user.name,
    )
    uow.emit(
        StockTransferred(
            sku=item.sku,
            source=src.code,
            target=dst.code,
            qty=qty_str(qty),
            value=money_str(out.value),
            user=user.name,
        )
    )
    return StockTransfer(
        sku=item.sku,
        qty=qty_str(qty),
        value=money_str(out.value),
        from_=Balance(**_balance(uow, item, src)),
        to=Balance(**_balance(uow, item, dst)),
    )


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
    return StockCountResult(**_balance(uow, item, wh), **result, diff_value=money_str(value))


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


def on_order_by_item(uow, item_ids=None, wh_id=None) -> dict[tuple[int, int], Decimal]:
    """Open purchase quantities per (item, warehouse)."""
    return purchasing.on_order(uow, item_ids, wh_id)


_BALANCES = (
    select(
        item_t.c.id.label("item_id"),
        item_t.c.sku,
        wh_t.c.id.label("wh_id"),
        wh_t.c.code,
        balance_t.c.on_hand,
        balance_t.c.reserved,
        balance_t.c.value,
    )
    .select_from(
        balance_t.join(item_t, item_t.c.id == balance_t.c.item_id).join(
            wh_t, wh_t.c.id == balance_t.c.warehouse_id
        )
    )
    .order_by(item_t.c.sku, wh_t.c.code)
)
_BALANCES_OF_ITEM = _BALANCES.where(balance_t.c.item_id == bindparam("item"))


def stock_rows(uow, sku: str | None = None, warehouse: str | None = None) -> list[StockRow]:
    """Stock rows `{sku, warehouse, on_hand, reserved, available, on_order, avg_cost, value}`.

    A known item with no stock gives a zero row (in the warehouse asked, else `MAIN`)."""
    wh = lookup.warehouse(uow, warehouse) if warehouse else None
    item = None
    if sku:
        item = lookup.item(uow, sku)
        rows = uow.execute(_BALANCES_OF_ITEM, {"item": item.id}).all()
    else:
        rows = uow.execute(_BALANCES).all()
    if wh is not None:
        rows = [r for r in rows if r.wh_id == wh.id]
    if not sku:
        rows = [r for r in rows if r.on_hand != 0 or r.reserved != 0]
    on_order = on_order_by_item(uow, [item.id] if item else None, wh.id if wh else None)
    out = []
    seen = set()
    for r in rows:
        seen.add((r.item_id, r.wh_id))
        out.append(
            _row(
                r.sku,
                r.code,
                r.on_hand,
                r.reserved,
                r.value,
                on_order.get((r.item_id, r.wh_id), ZERO),
            )
        )
    for (item_id, wh_id), qty in on_order.items():
        if (item_id, wh_id) in seen or qty <= 0:
            continue
        isku = uow.execute(select(item_t.c.sku).where(item_t.c.id == item_id)).scalar_one()
        wcode = uow.execute(select(wh_t.c.code).where(wh_t.c.id == wh_id)).scalar_one()
        out.append(_row(isku, wcode, ZERO, ZERO, ZERO, qty))
    if item is not None and not out:
        target = wh or lookup.warehouse(uow, None)
        out.append(_row(item.sku, target.code, ZERO, ZERO, ZERO, ZERO))
    out.sort(key=lambda r: (r.sku, r.warehouse))
    return out


def _row(sku, wh, on_hand, reserved, value, on_order) -> StockRow:
    # Available is what can still be promised, never below zero; when a count found less on
    # the shelf than is reserved, `short` says by how much the reservations are uncovered.
    # Projected keeps the shortfall: it is what a reorder has to make good.
    return StockRow(
        sku=sku,
        warehouse=wh,
        on_hand=qty_str(on_hand),
        reserved=qty_str(reserved),
        available=qty_str(max(on_hand - reserved, ZERO)),
        on_order=qty_str(on_order),
        projected=qty_str(on_hand - reserved + on_order),
        avg_cost=cost_str(value / on_hand) if on_hand > 0 else None,
        value=money_str(value),
        short=qty_str(reserved - on_hand) if reserved > on_hand else None,
    )


def query_stock(cmd: QueryStock, uow, user) -> StockAnswer:
    """Answer a stock question: one item, or all stock (of a warehouse)."""
    return StockAnswer(rows=tuple(stock_rows(uow, cmd.item, cmd.warehouse)))
