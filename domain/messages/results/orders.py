"""Results of orders: an order created, received, shipped, cancelled or amended (what changed),
and the order list."""

from __future__ import annotations

from dataclasses import dataclass

from domain.messages.codec import omitted, renamed
from domain.messages.results.base import Result


@dataclass(frozen=True, kw_only=True)
class OrderLineRow(Result):
    """An order line in the design's shape; `shipped` on sales and `received` on purchase
    lines once the order is stored."""

    item: str
    name: str | None
    name_zh: str | None
    qty: str
    price: str
    list_price: str
    discount: str
    amount: str
    shipped: str | None = omitted()
    received: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class MovedLine(Result):
    """What one line moved: shipped (with its `cost`) or received (with its stock `value`)."""

    item: str
    name: str | None
    name_zh: str | None
    qty: str
    amount: str
    value: str | None = omitted()
    cost: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class ClosedLine(Result):
    """What a partly shipped order, closed, no longer ships."""

    item: str
    qty: str


@dataclass(frozen=True, kw_only=True)
class _OrderHead(Result):
    order: str
    status: str


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderResult(_OrderHead):
    """`purchase.create`: the order, confirmed or waiting for approval (and why)."""

    supplier: str
    partner_name: str | None
    partner_name_zh: str | None
    warehouse: str
    total: str
    approval: str | None = omitted()
    reasons: tuple[str, ...] | None = omitted()
    reasons_zh: tuple[str, ...] | None = omitted()
    lines: tuple[OrderLineRow, ...]


@dataclass(frozen=True, kw_only=True)
class SalesOrderResult(_OrderHead):
    """`sales.create`: the order, confirmed (stock reserved) or waiting for approval."""

    customer: str
    partner_name: str | None
    partner_name_zh: str | None
    warehouse: str
    total: str
    approval: str | None = omitted()
    reasons: tuple[str, ...] | None = omitted()
    reasons_zh: tuple[str, ...] | None = omitted()
    lines: tuple[OrderLineRow, ...]


@dataclass(frozen=True, kw_only=True)
class AlertOrderResult(PurchaseOrderResult):
    """`alert.order`: the purchase order made from a reorder alert."""

    alert: int


@dataclass(frozen=True, kw_only=True)
class PurchaseReceipt(_OrderHead):
    """`purchase.receive`: what was received where, and the order's lines after."""

    warehouse: str
    received: tuple[MovedLine, ...]
    lines: tuple[OrderLineRow, ...]
    receipt: int | None = omitted()  # which receipt of the order (1 for the first)
    invoice: str | None = omitted()  # the supplier's bill for it (BILL-…)


@dataclass(frozen=True, kw_only=True)
class Shipment(_OrderHead):
    """`sales.ship`: what was shipped from where at what cost, and the order's lines after."""

    warehouse: str
    shipped: tuple[MovedLine, ...]
    cogs: str
    customer: str
    partner_name: str | None
    partner_name_zh: str | None
    total: str
    lines: tuple[OrderLineRow, ...]
    shipment: int | None = omitted()  # which shipment of the order (1 for the first)
    invoice: str | None = omitted()  # the invoice made for it (INV-…)


@dataclass(frozen=True, kw_only=True)
class Cancellation(_OrderHead):
    """`purchase.cancel` / `sales.cancel`: cancelled, or (a partly shipped sales order)
    closed with what it shipped (`closed`: what no longer ships)."""

    closed: tuple[ClosedLine, ...] | None = omitted()
    reason: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class OrderRow(Result):
    """One order as `jxc orders` lists it."""

    order: str
    kind: str
    partner: str
    status: str
    total: str
    created_at: str
    created_by: str | None
    lines: tuple[OrderLineRow, ...]
    approval: str | None = omitted()
    reason: str | None = omitted()
    # A pending order: why it waits (its request's reasons, both languages).
    reasons: tuple[str, ...] | None = omitted()
    reasons_zh: tuple[str, ...] | None = omitted()


@dataclass(frozen=True, kw_only=True)
class OrdersAnswer(Result):
    """`order.query`: the orders asked for."""

    orders: tuple[OrderRow, ...]


@dataclass(frozen=True, kw_only=True)
class LineChange(Result):
    """What an amendment did to one item: its quantity from → to (0 → n: added, n → 0:
    removed), and its price or discount `{from, to}` where those changed."""

    item: str
    from_: str = renamed("from")
    to: str
    price: dict | None = omitted()
    discount: dict | None = omitted()


@dataclass(frozen=True, kw_only=True)
class Amendment(OrderRow):
    """`sales.amend` / `purchase.amend`: the order as `jxc orders` shows it after the change,
    what changed, and (`approval`) the request it now waits for."""

    changes: tuple[LineChange, ...]
