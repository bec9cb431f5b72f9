"""Domain events, named NounVerbed. They go to the outbox in the command's transaction.

Each event is a frozen dataclass with named fields; its class name is the outbox row's `event`
and `data()` is its payload (quantities and money as strings in the design's forms). The rules
feed rebuilds the event of a row with `event_from_row`, which refuses a payload it cannot read.
A payload's keys beyond an event's fields are ignored (a newer writer, a derived figure); a
missing or mistyped field is refused.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar


class MalformedEvent(ValueError):
    """An outbox row that is not an event this code declares: an unknown name, a payload that
    is not a JSON object, a field missing or of the wrong type."""


def _decode(tp: Any, value: Any, where: str) -> Any:
    """`value` read from JSON as the field type `tp`."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in typing.get_args(tp):
            return None
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _decode(inner, value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise MalformedEvent(f"{where} is not a list")
        inner = typing.get_args(tp)[0]
        return tuple(_decode(inner, v, f"{where}[{i}]") for i, v in enumerate(value))
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise MalformedEvent(f"{where} is not a whole number")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise MalformedEvent(f"{where} is not a string")
        return value
    if tp is Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise MalformedEvent(f"{where} is not a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise MalformedEvent(f"{where} is not a number")
        return number
    if isinstance(tp, type) and issubclass(tp, Record):
        return tp.from_data(value, where)
    raise TypeError(f"{where}: no JSON form for {tp!r}")  # a field type this module lacks


def _encode(value: Any) -> Any:
    if isinstance(value, Record):
        return value.data()
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    if isinstance(value, str | int) or value is None:
        return value
    # A Decimal field says how it is written (`field(metadata={"json": ...})`).
    raise TypeError(f"no JSON form for {type(value).__name__}")


@dataclass(frozen=True)
class Record:
    """Named fields written as a JSON object in field order; a field whose default is None is
    left out while it is None (payloads written before it existed lack it too). Quantities and
    money are strings already; a Decimal field names its JSON form in its metadata."""

    def data(self) -> dict:
        """The JSON-ready payload."""
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None and f.default is None:
                continue
            out[f.name] = f.metadata.get("json", _encode)(value)
        return out

    @classmethod
    def from_data(cls, data: Any, where: str | None = None):
        """Rebuild from a payload; `MalformedEvent` names what is wrong."""
        where = where or cls.__name__
        if not isinstance(data, dict):
            raise MalformedEvent(f"{where}: payload is not a JSON object")
        values = {}
        for name, tp, required in _fields(cls):
            if name in data:
                values[name] = _decode(tp, data[name], f"{where}.{name}")
            elif required:
                raise MalformedEvent(f"{where}: missing {name}")
        return cls(**values)


@functools.cache
def _fields(cls: type[Record]) -> tuple[tuple[str, Any, bool], ...]:
    """Each field of a record: its name, its type, and whether a payload must have it."""
    hints = typing.get_type_hints(cls)
    missing = dataclasses.MISSING
    return tuple(
        (f.name, hints[f.name], f.default is missing and f.default_factory is missing)
        for f in dataclasses.fields(cls)
    )


@dataclass(frozen=True)
class Event(Record):
    """Something that happened. `name` (the class name) is the outbox row's `event`."""

    name: ClassVar[str] = "Event"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.name = cls.__name__


# -- stock ----------------------------------------------------------------------------------


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

    @property
    def short(self) -> str:
        """How much more is reserved than is on hand."""
        return str(Decimal(self.reserved) - Decimal(self.on_hand))

    def data(self) -> dict:
        """The payload, with `short` between `reserved` and `orders`."""
        data = super().data()
        orders = data.pop("orders")
        return {**data, "short": self.short, "orders": orders}


# -- orders ---------------------------------------------------------------------------------


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


# -- approvals ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApprovalRequested(Event):
    """A command waits for an approver; the reasons in English and in Chinese."""

    request: str
    subject_kind: str
    subject: str
    reasons: tuple[str, ...]
    reasons_zh: tuple[str, ...]
    requested_by: str


@dataclass(frozen=True)
class ApprovalDecided(Event):
    """A request was `approved` or `rejected` by an approver (or a delegate `on_behalf_of`
    one), or `cancelled` with its subject or replaced by an amendment's new request (then
    without `subject` and `requested_by`; `reason` says "replaced by A-n")."""

    request: str
    decision: str
    by: str
    subject: str | None = None
    requested_by: str | None = None
    reason: str | None = None
    on_behalf_of: str | None = None  # the approver a delegate decided for


EVENTS: dict[str, type[Event]] = {
    cls.name: cls
    for cls in (
        StockReceived,
        StockIssued,
        StockTransferred,
        StockCounted,
        StockWentNegative,
        StockShort,
        PurchaseOrderCreated,
        PurchaseOrderReceived,
        PurchaseOrderCancelled,
        SalesOrderCreated,
        SalesPriceFlagged,
        SalesOrderShipped,
        SalesOrderCancelled,
        SalesOrderAmended,
        PurchaseOrderAmended,
        ApprovalRequested,
        ApprovalDecided,
    )
}
"""Every event by the name its outbox rows carry."""

LEGACY_NAMES: dict[str, type[Event]] = {"SalesPriceAnomaly": SalesPriceFlagged}
"""Names older outbox rows carry for events since renamed."""


def event_from_row(name: str, payload: str | None) -> Event:
    """The event an outbox row holds (its `event` name and JSON `payload`); `MalformedEvent`
    when the name is not declared or the payload is not that event."""
    cls = EVENTS.get(name) or LEGACY_NAMES.get(name)
    if cls is None:
        raise MalformedEvent(f"unknown event {name!r}")
    try:
        data = json.loads(payload or "{}")
    except ValueError as exc:
        raise MalformedEvent(f"{name}: payload is not JSON: {exc}") from None
    return cls.from_data(data, name)


# The money events (returns, payments) are declared beside their services, and registered
# in `EVENTS` there.
import domain.money.events  # noqa: E402, F401
