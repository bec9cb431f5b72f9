"""Domain events, named NounVerbed. They go to the outbox in the command's transaction."""

from __future__ import annotations

from dataclasses import dataclass, field


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
