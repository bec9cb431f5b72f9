"""Commands on stock: ask what is in stock, receive, issue, transfer, count."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from domain.messages.commands.base import Command
from domain.messages.commands.slots import Amount, Quantity


@dataclass(frozen=True)
class QueryStock(Command):
    """Ask what is in stock: one item, or everything (of one warehouse)."""

    intent: ClassVar[str] = "stock.query"
    WRITE: ClassVar[bool] = False
    item: str | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class ReceiveStock(Command):
    """Put goods into stock outside a purchase order (opening stock, found goods…)."""

    intent: ClassVar[str] = "stock.receive"
    REQUIRED: ClassVar[tuple[str, ...]] = ("item", "qty")
    item: str = ""
    qty: Quantity = Decimal(0)
    unit_cost: Amount | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class IssueStock(Command):
    """Take goods out of stock outside a sales order (repairs, samples, scrap), with a reason."""

    intent: ClassVar[str] = "stock.issue"
    REQUIRED: ClassVar[tuple[str, ...]] = ("item", "qty")
    item: str = ""
    qty: Quantity = Decimal(0)
    warehouse: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class TransferStock(Command):
    """Move goods from one warehouse to another, at the source's cost. (`to` is declared before
    `from_`: the order of the JSON shape, `{"item", "qty", "to", "from"}`.)"""

    intent: ClassVar[str] = "stock.transfer"
    REQUIRED: ClassVar[tuple[str, ...]] = ("item", "qty", "from", "to")
    item: str = ""
    qty: Quantity = Decimal(0)
    to: str = ""
    from_: str = ""


@dataclass(frozen=True)
class CountStock(Command):
    """Record a stocktake (盘点): the counted quantity replaces the book quantity."""

    intent: ClassVar[str] = "stock.count"
    REQUIRED: ClassVar[tuple[str, ...]] = ("item", "counted_qty")
    item: str = ""
    counted_qty: Quantity = Decimal(0)
    warehouse: str | None = None
