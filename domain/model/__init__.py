"""The schema: the tables of the ledger, as SQLModel table classes on `metadata`; the code reads
and writes them with SQLAlchemy Core statements through `Class.__table__`.

Quantities, money and costs are exact decimals (see `domain.types`). Times are aware UTC.
Stock moves are append-only; `Balance` is kept in the same transaction as the move that changes it.
The classes are declared with pydantic's `defer_build`, so importing the schema builds no
validator, and nothing here builds objects per row: a command that reads one table pays, at
start-up, for the declarations only.

The tables are grouped by area, each module of its own: `catalog` (warehouses, items,
partners, users), `stock` (the ledger and the demand behind forecasts), `orders` (orders and
approvals), `money` (invoices, payments, their allocations), `messages` (outbox, alerts,
deliveries, audit, settings, conversations); `base` holds the metadata. Every name is importable from `domain.model`.
"""

from sqlalchemy import UniqueConstraint

from domain.model.base import Base, metadata
from domain.model.catalog import ROLES, Item, Partner, User, Warehouse
from domain.model.messages import (
    AUDIT_KEYED,
    Alert,
    Audit,
    Conversation,
    Delivery,
    Inbound,
    Outbox,
    Setting,
)
from domain.model.money import Allocation, Invoice, Payment
from domain.model.orders import (
    ApprovalRequest,
    Delegation,
    PurchaseLine,
    PurchaseOrder,
    SalesLine,
    SalesOrder,
    Sequence,
)
from domain.model.stock import (
    Balance,
    FifoLayer,
    ForecastChoice,
    SalesHistory,
    StockCount,
    StockMove,
    StoredForecast,
)

__all__ = [
    "AUDIT_KEYED",
    "Base",
    "metadata",
    "ROLES",
    "Alert",
    "Allocation",
    "ApprovalRequest",
    "Audit",
    "Conversation",
    "Balance",
    "Delegation",
    "Delivery",
    "FifoLayer",
    "ForecastChoice",
    "Inbound",
    "Invoice",
    "Item",
    "Outbox",
    "Partner",
    "Payment",
    "PurchaseLine",
    "PurchaseOrder",
    "SalesHistory",
    "SalesLine",
    "SalesOrder",
    "Sequence",
    "Setting",
    "StockCount",
    "StockMove",
    "StoredForecast",
    "UniqueConstraint",
    "User",
    "Warehouse",
]
