"""Typed commands: every way in (chat, CLI, LLM tool call) ends as one of these.

`to_dict()` gives the design's JSON shape (what `jxc parse` prints and `jxc run` reads);
`command_from_dict()` reads it back, checking required slots. Quantities stay `Decimal`; whether a
quantity suits the item's unit is checked by the service, which knows the item.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from domain.errors import InvalidAmount, MissingSlot
from domain.numbers import qty_str, to_decimal


@dataclass(frozen=True)
class Line:
    """One order line: an item, a quantity and, optionally, a price and a discount (% off)."""

    item: str
    qty: Decimal
    price: Decimal | None = None
    discount: Decimal | None = None


@dataclass(frozen=True)
class Command:
    """Base of all commands. `intent` is the design's name; `WRITE` says whether it changes data."""

    intent: ClassVar[str] = ""
    WRITE: ClassVar[bool] = True

    def to_dict(self) -> dict:
        """The design's JSON shape: absent optional slots left out, decimals as strings."""
        out: dict[str, Any] = {"intent": self.intent}
        for name in _names(type(self)):
            value = getattr(self, name)
            if value is None or (name == "mine" and value is False):
                continue
            out[name] = _jsonable(value)
        return out

    def fingerprint(self, shape: dict | None = None) -> str:
        """A stable hash of the command, to tell a replay from a different command (`shape`:
        its `to_dict()` when the caller has it already)."""
        raw = json.dumps(shape or self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()


@functools.cache
def _names(cls) -> tuple[str, ...]:
    """The field names of a command type (read once per type)."""
    return tuple(f.name for f in dataclasses.fields(cls))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return qty_str(value)
    if isinstance(value, Line):
        d = {"item": value.item, "qty": qty_str(value.qty)}
        if value.price is not None:
            d["price"] = format(value.price, "f")
        if value.discount is not None:
            d["discount"] = qty_str(value.discount)
        return d
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# -- stock -------------------------------------------------------------------------------------


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
    item: str = ""
    qty: Decimal = Decimal(0)
    unit_cost: Decimal | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class IssueStock(Command):
    """Take goods out of stock outside a sales order (repairs, samples, scrap), with a reason."""

    intent: ClassVar[str] = "stock.issue"
    item: str = ""
    qty: Decimal = Decimal(0)
    warehouse: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class TransferStock(Command):
    """Move goods from one warehouse to another, at the source's cost."""

    intent: ClassVar[str] = "stock.transfer"
    item: str = ""
    qty: Decimal = Decimal(0)
    from_: str = ""
    to: str = ""

    def to_dict(self) -> dict:
        d = super().to_dict()
        d["from"] = d.pop("from_")
        return d


@dataclass(frozen=True)
class CountStock(Command):
    """Record a stocktake (盘点): the counted quantity replaces the book quantity."""

    intent: ClassVar[str] = "stock.count"
    item: str = ""
    counted_qty: Decimal = Decimal(0)
    warehouse: str | None = None


# -- purchasing and sales ---------------------------------------------------------------------


@dataclass(frozen=True)
class CreatePurchaseOrder(Command):
    """Order goods from a supplier."""

    intent: ClassVar[str] = "purchase.create"
    supplier: str = ""
    lines: tuple[Line, ...] = ()
    warehouse: str | None = None


@dataclass(frozen=True)
class ReceivePurchaseOrder(Command):
    """Receive what arrived of a purchase order: all open lines, or the lines given."""

    intent: ClassVar[str] = "purchase.receive"
    order: str = ""
    lines: tuple[Line, ...] | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class CancelPurchaseOrder(Command):
    """Cancel a purchase order that has received nothing."""

    intent: ClassVar[str] = "purchase.cancel"
    order: str = ""


@dataclass(frozen=True)
class CreateSalesOrder(Command):
    """Sell goods to a customer; stock is reserved once the order is confirmed."""

    intent: ClassVar[str] = "sales.create"
    customer: str = ""
    lines: tuple[Line, ...] = ()
    warehouse: str | None = None


@dataclass(frozen=True)
class ShipSalesOrder(Command):
    """Ship a confirmed sales order: every open line, or only the lines given (a partial
    shipment); issue the goods at cost and release their reservation."""

    intent: ClassVar[str] = "sales.ship"
    order: str = ""
    lines: tuple[Line, ...] | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class CancelSalesOrder(Command):
    """Cancel a sales order not yet shipped; its reservation (or request) goes with it. A partly
    shipped order is closed: the rest of its lines is released and never ships."""

    intent: ClassVar[str] = "sales.cancel"
    order: str = ""


@dataclass(frozen=True)
class QueryOrders(Command):
    """Look up orders: one by number, or by partner, status, or one's own."""

    intent: ClassVar[str] = "order.query"
    WRITE: ClassVar[bool] = False
    order: str | None = None
    partner: str | None = None
    status: str | None = None
    mine: bool = False
    kind: str | None = None  # purchase or sales: "my purchase orders"


@dataclass(frozen=True)
class ListApprovals(Command):
    """List pending approval requests."""

    intent: ClassVar[str] = "approval.list"
    WRITE: ClassVar[bool] = False


@dataclass(frozen=True)
class DecideApproval(Command):
    """Approve or reject a pending request (never one's own)."""

    intent: ClassVar[str] = "approval.decide"
    request: str = ""
    decision: str = ""
    reason: str | None = None


# -- questions answered elsewhere (forecasts, reports) and intents still to come ----------------


@dataclass(frozen=True)
class Forecast(Command):
    """Forecast an item's demand."""

    intent: ClassVar[str] = "forecast"
    WRITE: ClassVar[bool] = False
    item: str = ""
    days: int | None = None


@dataclass(frozen=True)
class Report(Command):
    """Run a named report."""

    intent: ClassVar[str] = "report"
    WRITE: ClassVar[bool] = False
    name: str = ""
    period: str | None = None


@dataclass(frozen=True)
class Help(Command):
    """What the user may do, with examples."""

    intent: ClassVar[str] = "help"
    WRITE: ClassVar[bool] = False


@dataclass(frozen=True)
class Pending(Command):
    """An intent of the vocabulary whose service does not exist yet (returns, payments,
    balances, statements): parsed all the same, answered `not_available` when run."""

    intent_name: str = ""
    slots: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"intent": self.intent_name, **self.slots}


PENDING_INTENTS = {
    "sales.return": True,
    "purchase.return": True,
    "payment.receive": True,
    "payment.pay": True,
    "partner.balance": False,
    "statement": False,
}

COMMANDS: dict[str, type[Command]] = {
    c.intent: c
    for c in (
        QueryStock,
        ReceiveStock,
        IssueStock,
        TransferStock,
        CountStock,
        CreatePurchaseOrder,
        ReceivePurchaseOrder,
        CancelPurchaseOrder,
        CreateSalesOrder,
        ShipSalesOrder,
        CancelSalesOrder,
        QueryOrders,
        ListApprovals,
        DecideApproval,
        Forecast,
        Report,
        Help,
    )
}

INTENTS = tuple(COMMANDS) + tuple(PENDING_INTENTS)

_REQUIRED = {
    "stock.receive": ("item", "qty"),
    "stock.issue": ("item", "qty"),
    "stock.transfer": ("item", "qty", "from", "to"),
    "stock.count": ("item", "counted_qty"),
    "purchase.create": ("supplier", "lines"),
    "purchase.receive": ("order",),
    "purchase.cancel": ("order",),
    "sales.create": ("customer", "lines"),
    "sales.ship": ("order",),
    "sales.cancel": ("order",),
    "approval.decide": ("request", "decision"),
    "forecast": ("item",),
    "report": ("name",),
}


def _line(d: Any) -> Line:
    if not isinstance(d, dict) or not d.get("item") or d.get("qty") in (None, ""):
        raise MissingSlot("each line needs an item and a qty", zh="每一行都需要物品和数量")
    price = d.get("price")
    discount = d.get("discount")
    try:
        return Line(
            item=str(d["item"]),
            qty=to_decimal(d["qty"], "quantity"),
            price=None if price in (None, "") else to_decimal(price, "price"),
            discount=None if discount in (None, "") else to_decimal(discount, "discount"),
        )
    except InvalidAmount:
        raise


def command_from_dict(data: dict) -> Command:
    """Build a typed command from the design's JSON shape; a missing slot is `MissingSlot`."""
    intent = data.get("intent")
    if intent in PENDING_INTENTS:
        slots = {k: v for k, v in data.items() if k not in ("intent", "key")}
        return Pending(intent_name=intent, slots=slots)
    cls = COMMANDS.get(intent or "")
    if cls is None:
        raise MissingSlot(f"unknown intent {intent!r}", zh=f"未知的指令 {intent!r}")
    for slot in _REQUIRED.get(intent, ()):
        if data.get(slot) in (None, "", []):
            raise MissingSlot(f"{intent} needs {slot}", zh=f"{intent} 缺少 {slot}")
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        src = "from" if f.name == "from_" else f.name
        if src not in data or data[src] is None:
            continue
        value = data[src]
        if f.name in ("qty", "counted_qty", "unit_cost"):
            value = to_decimal(value, f.name)
        elif f.name == "lines":
            if not isinstance(value, list):
                raise MissingSlot("lines must be a list", zh="lines 必须是列表")
            value = tuple(_line(v) for v in value)
        elif f.name == "days":
            value = int(value)
        elif f.name == "mine":
            value = bool(value)
        else:
            value = str(value)
        kwargs[f.name] = value
    return cls(**kwargs)


# -- alerts -----------------------------------------------------------------------------------


def _alert_id(value) -> int:
    """An alert's id as given (12, "12", "#12"); anything else is no alert."""
    from domain.errors import UnknownAlert

    text = str(value).strip().lstrip("#")
    if not text.isdigit() or int(text) <= 0:
        raise UnknownAlert(f"there is no alert {value!r}", zh=f"没有预警 {value!r}")
    return int(text)


@dataclass(frozen=True)
class ListAlerts(Command):
    """The alerts sent to the user (admins: all) that are open, or in every state (`all`)."""

    intent: ClassVar[str] = "alert.list"
    WRITE: ClassVar[bool] = False
    kind: str | None = None
    mine: bool = False
    all: bool | None = None

    def __post_init__(self):
        if self.all is not None and not isinstance(self.all, bool):
            object.__setattr__(self, "all", str(self.all).lower() in ("true", "1", "yes"))


@dataclass(frozen=True)
class AckAlert(Command):
    """Acknowledge an alert sent to one (admins: any): it stops being open."""

    intent: ClassVar[str] = "alert.ack"
    alert: int = 0

    def __post_init__(self):
        object.__setattr__(self, "alert", _alert_id(self.alert))


@dataclass(frozen=True)
class SnoozeAlert(Command):
    """Put an alert aside for some days (default 1); it opens again after that."""

    intent: ClassVar[str] = "alert.snooze"
    alert: int = 0
    days: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "alert", _alert_id(self.alert))


@dataclass(frozen=True)
class OrderFromAlert(Command):
    """Turn a reorder alert into a purchase order: the suggested quantity (or `qty`) from the
    supplier of the item's latest purchase order (or `supplier`)."""

    intent: ClassVar[str] = "alert.order"
    alert: int = 0
    qty: Decimal | None = None
    supplier: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "alert", _alert_id(self.alert))


COMMANDS.update({c.intent: c for c in (ListAlerts, AckAlert, SnoozeAlert, OrderFromAlert)})
INTENTS = tuple(COMMANDS) + tuple(PENDING_INTENTS)
_REQUIRED.update({"alert.ack": ("alert",), "alert.snooze": ("alert",), "alert.order": ("alert",)})
