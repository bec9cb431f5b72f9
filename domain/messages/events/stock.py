"""Events of stock: goods received, issued, transferred, counted; stock gone negative or short."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain.messages.codec import derived
from domain.messages.events.base import Event


@dataclass(frozen=True)
class StockReceived(Event):
    """Goods went into stock at a unit cost (`jxc receive`, not a purchase order's receipt)."""

    sku: str
    warehouse: str
    qty: str
    unit_cost: str
    value: str
    user: str


@dataclass(frozen=True)
class StockIssued(Event):
    """Goods left stock for a reason (repairs, samples, scrap), valued at cost."""

    sku: str
    warehouse: str
    qty: str
    value: str
    reason: str
    user: str


@dataclass(frozen=True)
class StockTransferred(Event):
    """Goods moved from the `source` warehouse to the `target` at the source's cost."""

    sku: str
    source: str
    target: str
    qty: str
    value: str
    user: str


@dataclass(frozen=True)
class StockCounted(Event):
    """A stocktake: the book and counted quantities, the difference and its value; `status`
    is `posted` or `pending_approval` (nothing moved yet)."""

    sku: str
    warehouse: str
    book_qty: str
    counted_qty: str
    diff_qty: str
    diff_value: str
    status: str
    user: str


@dataclass(frozen=True)
class StockWentNegative(Event):
    """An outgoing move left on hand below zero (a warehouse that allows it, or forced)."""

    sku: str
    warehouse: str
    on_hand: str


@dataclass(frozen=True)
class StockShort(Event):
    """On hand fell below what is reserved (a count found less on the shelf than the book):
    the sales orders named can no longer all ship from this warehouse. It raises the
    negative-stock anomaly."""

    sku: str
    warehouse: str
    on_hand: str
    reserved: str
    orders: tuple[str, ...] = ()

    @derived(before="orders")
    def short(self) -> str:
        """How much more is reserved than is on hand (in the payload, before `orders`)."""
        return str(Decimal(self.reserved) - Decimal(self.on_hand))
