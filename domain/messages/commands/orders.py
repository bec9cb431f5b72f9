"""Commands on orders: purchase and sales orders created, received or shipped, cancelled,
amended, and looked up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.messages.codec import omitted
from domain.messages.commands.base import Command
from domain.messages.commands.slots import AmendLines, Lines


@dataclass(frozen=True)
class CreatePurchaseOrder(Command):
    """Order goods from a supplier."""

    intent: ClassVar[str] = "purchase.create"
    REQUIRED: ClassVar[tuple[str, ...]] = ("supplier", "lines")
    supplier: str = ""
    lines: Lines = ()
    warehouse: str | None = None


@dataclass(frozen=True)
class ReceivePurchaseOrder(Command):
    """Receive what arrived of a purchase order: all open lines, or the lines given."""

    intent: ClassVar[str] = "purchase.receive"
    REQUIRED: ClassVar[tuple[str, ...]] = ("order",)
    order: str = ""
    lines: Lines | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class CancelPurchaseOrder(Command):
    """Cancel a purchase order that has received nothing."""

    intent: ClassVar[str] = "purchase.cancel"
    REQUIRED: ClassVar[tuple[str, ...]] = ("order",)
    order: str = ""
    reason: str | None = None


@dataclass(frozen=True)
class CreateSalesOrder(Command):
    """Sell goods to a customer; stock is reserved once the order is confirmed."""

    intent: ClassVar[str] = "sales.create"
    REQUIRED: ClassVar[tuple[str, ...]] = ("customer", "lines")
    customer: str = ""
    lines: Lines = ()
    warehouse: str | None = None


@dataclass(frozen=True)
class ShipSalesOrder(Command):
    """Ship a confirmed sales order: every open line, or only the lines given (a partial
    shipment); issue the goods at cost and release their reservation."""

    intent: ClassVar[str] = "sales.ship"
    REQUIRED: ClassVar[tuple[str, ...]] = ("order",)
    order: str = ""
    lines: Lines | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class CancelSalesOrder(Command):
    """Cancel a sales order not yet shipped; its reservation (or request) goes with it. A partly
    shipped order is closed: the rest of its lines is released and never ships."""

    intent: ClassVar[str] = "sales.cancel"
    REQUIRED: ClassVar[tuple[str, ...]] = ("order",)
    order: str = ""
    reason: str | None = None


@dataclass(frozen=True)
class QueryOrders(Command):
    """Look up orders: one by number, or by partner, status, or one's own."""

    intent: ClassVar[str] = "order.query"
    WRITE: ClassVar[bool] = False
    order: str | None = None
    partner: str | None = None
    status: str | None = None
    mine: bool = omitted(when=False)
    kind: str | None = None  # purchase or sales: "my purchase orders"


@dataclass(frozen=True)
class AmendSalesOrder(Command):
    """Change a sales order not yet shipped in full: each line named replaces that item's
    quantity (and price or discount when given), qty 0 removes it, a new item adds a line. A
    line may leave its item out when the order has one line."""

    intent: ClassVar[str] = "sales.amend"
    REQUIRED: ClassVar[tuple[str, ...]] = ("order", "lines")
    order: str = ""
    lines: AmendLines = ()


@dataclass(frozen=True)
class AmendPurchaseOrder(Command):
    """Change a purchase order not yet received in full, as `AmendSalesOrder` does (no
    discounts on purchases)."""

    intent: ClassVar[str] = "purchase.amend"
    REQUIRED: ClassVar[tuple[str, ...]] = ("order", "lines")
    order: str = ""
    lines: AmendLines = ()
