"""Results of stock: balances after a move, a transfer, a count, the stock list."""

from __future__ import annotations

from dataclasses import dataclass

from domain.messages.codec import omitted, renamed
from domain.messages.results.base import Result


@dataclass(frozen=True, kw_only=True)
class Balance(Result):
    """An item's balance in one warehouse after a move."""

    sku: str
    name: str
    name_zh: str | None
    warehouse: str
    on_hand: str
    reserved: str
    available: str
    value: str
    short: str | None = omitted()  # reserved beyond on hand, after a count found less


@dataclass(frozen=True, kw_only=True)
class StockReceipt(Balance):
    """`stock.receive`: the balance after, the quantity and the value of the move."""

    qty: str
    move_value: str


@dataclass(frozen=True, kw_only=True)
class StockIssue(Balance):
    """`stock.issue`: the balance after, the quantity and its cost."""

    qty: str
    cost: str


@dataclass(frozen=True, kw_only=True)
class StockTransfer(Result):
    """`stock.transfer`: the quantity, its value at the source's cost, both balances after."""

    sku: str
    qty: str
    value: str
    from_: Balance = renamed("from")
    to: Balance


@dataclass(frozen=True, kw_only=True)
class StockCountResult(Balance):
    """`stock.count`: book and counted quantities, the difference, and whether it was posted
    or waits for an approver (`approval`, `reasons`)."""

    count: int
    book_qty: str
    counted_qty: str
    diff_qty: str
    status: str
    approval: str | None = omitted()
    reasons: tuple[str, ...] | None = omitted()
    reasons_zh: tuple[str, ...] | None = omitted()
    diff_value: str


@dataclass(frozen=True, kw_only=True)
class StockRow(Result):
    """One item in one warehouse, as `jxc stock` lists it."""

    sku: str
    warehouse: str
    on_hand: str
    reserved: str
    available: str
    on_order: str
    projected: str
    avg_cost: str | None
    value: str
    short: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class StockAnswer(Result):
    """`stock.query`: the rows asked for."""

    rows: tuple[StockRow, ...]
