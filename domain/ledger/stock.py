"""Stock services that move stock: receive, issue, transfer. Counts are in
`domain.ledger.stock_counts`, stock questions in `domain.ledger.stock_query`."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import update

from domain.errors import InvalidState
from domain.ledger import lookup
from domain.ledger import moves as ledger
from domain.ledger.moves import item_t
from domain.messages.commands import IssueStock, ReceiveStock, TransferStock
from domain.messages.events import (
    StockIssued,
    StockReceived,
    StockTransferred,
)
from domain.messages.results import (
    Balance,
    StockIssue,
    StockReceipt,
    StockTransfer,
)
from domain.model import StockCount, Warehouse
from domain.numbers import money_str, qty_str, quantity, unit_cost

count_t = StockCount.__table__
wh_t = Warehouse.__table__
ZERO = Decimal(0)


def balance_fields(uow, item, wh) -> dict:
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
    return StockReceipt(
        **balance_fields(uow, item, wh), qty=qty_str(qty), move_value=money_str(value)
    )


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
    return StockIssue(**balance_fields(uow, item, wh), qty=qty_str(qty), cost=money_str(out.value))


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
        from_=Balance(**balance_fields(uow, item, src)),
        to=Balance(**balance_fields(uow, item, dst)),
    )
