"""Domain events, named NounVerbed. They go to the outbox in the command's transaction.

Each event is a frozen dataclass with named fields; its class name is the outbox row's `event`
and `data()` is its payload (quantities and money as strings in the design's forms), both through
the one codec (`domain.messages.codec`). The rules feed rebuilds the event of a row with `event_from_row`,
which refuses a payload it cannot read. A payload's keys beyond an event's fields are ignored (a
newer writer, a derived figure); a missing or mistyped field is refused. The events live by
subject: stock, orders, approvals.
"""

from __future__ import annotations

import json

from domain.messages.events.approvals import ApprovalDecided, ApprovalRequested
from domain.messages.events.base import Event, EventReading, MalformedEvent, Record
from domain.messages.events.orders import (
    AmendedLine,
    PurchaseOrderAmended,
    PurchaseOrderCancelled,
    PurchaseOrderCreated,
    PurchaseOrderReceived,
    ReceivedLine,
    SalesOrderAmended,
    SalesOrderCancelled,
    SalesOrderCreated,
    SalesOrderShipped,
    SalesPriceFlagged,
    ShippedLine,
)
from domain.messages.events.stock import (
    StockCounted,
    StockIssued,
    StockReceived,
    StockShort,
    StockTransferred,
    StockWentNegative,
)

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


__all__ = [
    "EVENTS", "LEGACY_NAMES", "AmendedLine", "ApprovalDecided", "ApprovalRequested", "Event",
    "EventReading", "MalformedEvent", "PurchaseOrderAmended", "PurchaseOrderCancelled",
    "PurchaseOrderCreated", "PurchaseOrderReceived", "ReceivedLine", "Record", "SalesOrderAmended",
    "SalesOrderCancelled", "SalesOrderCreated", "SalesOrderShipped", "SalesPriceFlagged",
    "ShippedLine", "StockCounted", "StockIssued", "StockReceived", "StockShort",
    "StockTransferred", "StockWentNegative", "event_from_row",
]  # fmt: skip


# The money events (returns, payments) are declared beside their services, and registered in
# `EVENTS` there.
import domain.money.events  # noqa: E402, F401
