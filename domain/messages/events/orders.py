"""Events of orders: purchase and sales orders created, received or shipped, cancelled, amended,
and a sales price flagged far below list."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from domain.messages.events.base import Event, Record


@dataclass(frozen=True)
class ReceivedLine(Record):
    """One line of a purchase-order receipt: the quantity received, its amount at the order's
    price and the value it entered stock at."""

    item: str
    name: str
    name_zh: str
    qty: str
    amount: str
    value: str


@dataclass(frozen=True)
class ShippedLine(Record):
    """One line of a shipment: the quantity shipped, its amount at the order's price and its
    cost of goods."""

    item: str
    name: str
    name_zh: str
    qty: str
    amount: str
    cost: str


@dataclass(frozen=True)
class PurchaseOrderCreated(Event):
    """A purchase order was stored: `confirmed`, or `pending_approval`."""

    order: str
    supplier: str
    status: str
    total: str
    user: str


@dataclass(frozen=True)
class PurchaseOrderReceived(Event):
    """Goods of a purchase order went into stock; `status` is `partially_received` or
    `received`."""

    order: str
    status: str
    warehouse: str
    lines: tuple[ReceivedLine, ...]
    user: str
    # Which receipt of the order this was, and the supplier's bill for it (absent from rows
    # written before bills existed).
    receipt: int | None = None
    invoice: str | None = None


@dataclass(frozen=True)
class PurchaseOrderCancelled(Event):
    """A purchase order was cancelled."""

    order: str
    user: str


@dataclass(frozen=True)
class SalesOrderCreated(Event):
    """A sales order was stored: `confirmed` (its stock reserved), or `pending_approval`."""

    order: str
    customer: str
    status: str
    total: str
    user: str


@dataclass(frozen=True)
class SalesPriceFlagged(Event):
    """A line of a new sales order is priced further below list than `anomaly.price_pct`.
    Rows written before this class existed carry the name `SalesPriceAnomaly`."""

    order: str
    customer: str
    sku: str
    price: str
    list_price: str
    # Percent off list, to 0.01; a JSON number, as the rules compare it.
    discount_pct: Decimal = field(metadata={"json": float})


@dataclass(frozen=True)
class SalesOrderShipped(Event):
    """Goods of a sales order left stock; `status` is `partially_shipped` or `shipped`."""

    order: str
    status: str
    warehouse: str
    lines: tuple[ShippedLine, ...]
    cogs: str
    total: str
    user: str
    # Which shipment of the order this was, and its invoice (absent from rows written before
    # invoices existed).
    shipment: int | None = None
    invoice: str | None = None


@dataclass(frozen=True)
class SalesOrderCancelled(Event):
    """A sales order was cancelled (`cancelled`), or the rest of a partly shipped one closed
    (`shipped`)."""

    order: str
    status: str
    user: str


@dataclass(frozen=True)
class AmendedLine(Record):
    """What an amendment did to one item of an order: its quantity before and after (0 before:
    added; 0 after: removed)."""

    item: str
    qty_from: str
    qty_to: str


@dataclass(frozen=True)
class SalesOrderAmended(Event):
    """A sales order's lines were changed; `status` is what it is after (back to, or still,
    `pending_approval` when it needs approval; its reservations followed)."""

    order: str
    customer: str
    status: str
    total: str
    changes: tuple[AmendedLine, ...]
    user: str


@dataclass(frozen=True)
class PurchaseOrderAmended(Event):
    """A purchase order's lines were changed (what is on order changed with them)."""

    order: str
    supplier: str
    status: str
    total: str
    changes: tuple[AmendedLine, ...]
    user: str
