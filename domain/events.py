"""Domain events, named NounVerbed. They go to the outbox in the command's transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar


@dataclass(frozen=True)
class Event:
    """Something that happened: a name (`StockReceived`) and JSON-ready data (strings for
    quantities and money)."""

    name: str
    data: dict = field(default_factory=dict)


STOCK_RECEIVED = "StockReceived"
STOCK_ISSUED = "StockIssued"
STOCK_TRANSFERRED = "StockTransferred"
STOCK_COUNTED = "StockCounted"
STOCK_WENT_NEGATIVE = "StockWentNegative"
PURCHASE_ORDER_CREATED = "PurchaseOrderCreated"
PURCHASE_ORDER_RECEIVED = "PurchaseOrderReceived"
PURCHASE_ORDER_CANCELLED = "PurchaseOrderCancelled"
SALES_ORDER_CREATED = "SalesOrderCreated"
SALES_ORDER_SHIPPED = "SalesOrderShipped"
SALES_ORDER_CANCELLED = "SalesOrderCancelled"
APPROVAL_REQUESTED = "ApprovalRequested"
APPROVAL_DECIDED = "ApprovalDecided"
STOCK_SHORT = "StockShort"


@dataclass(frozen=True)
class StockShort:
    """On hand fell below what is reserved (a count found less on the shelf than the book):
    the sales orders named can no longer all ship from this warehouse. It raises the
    negative-stock anomaly."""

    sku: str
    warehouse: str
    on_hand: str
    reserved: str
    orders: tuple[str, ...] = ()
    name: ClassVar[str] = STOCK_SHORT

    def data(self) -> dict:
        """The JSON-ready payload for the outbox."""
        return {
            "sku": self.sku,
            "warehouse": self.warehouse,
            "on_hand": self.on_hand,
            "reserved": self.reserved,
            "short": str(Decimal(self.reserved) - Decimal(self.on_hand)),
            "orders": list(self.orders),
        }
