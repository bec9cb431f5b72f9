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

from domain.errors import BadRequest, InvalidAmount, InvalidQuantity, MissingSlot
from domain.numbers import qty_str, to_decimal

TEXT_LIMIT = 200
"""Characters a text slot may have (the length of the columns it is compared with or stored
in); a command type names its longer ones in `TEXT_LIMITS`."""
ECHO_LIMIT = 60
"""Characters of a user's text an error message repeats."""
DECIMAL_DIGITS = 15
"""Digits before the point a number may have (the largest amount is 10^12)."""
DECIMAL_PLACES = 12
"""Decimal places a non-zero number may have (quantities have 3, unit costs 6)."""


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
    TEXT_LIMITS: ClassVar[dict[str, int]] = {}

    def __post_init__(self):
        """Every text and number slot checked once, where the command is built, so each way in
        and each database answers the same bad input the same way: text over its length, a NUL
        byte or a lone surrogate is `bad_request`; a number too large or too fine to be a
        quantity or an amount is `invalid_quantity` / `invalid_amount`."""
        for name in _names(type(self)):
            check_value(name, getattr(self, name), self.TEXT_LIMITS.get(name, TEXT_LIMIT))

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


def echo(text: object, limit: int = ECHO_LIMIT) -> str:
    """A user's text as an error message repeats it: cut to `limit` characters (and "…"), with
    characters that cannot be printed escaped."""
    text = str(text)
    cut = text[:limit]
    if not cut.isprintable() or not _encodable(cut):
        cut = cut.encode("utf-8", "backslashreplace").decode("utf-8")
        cut = "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut)
    return cut + "…" if len(text) > limit else cut


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(name: str, value: str, limit: int = TEXT_LIMIT) -> None:
    """Refuse text a column cannot hold alike on every database (`BadRequest`)."""
    if value.isascii() and len(value) <= limit and "\x00" not in value:
        return
    if "\x00" in value:
        raise BadRequest(f"{name} contains a NUL byte", zh=f"{name} 含有 NUL 字符")
    if not _encodable(value):
        raise BadRequest(
            f"{name} is not valid text (it holds a lone surrogate)",
            zh=f"{name} 不是有效的文本（含有孤立的代理字符）",
        )
    if len(value) > limit:
        raise BadRequest(
            f"{name} is {len(value)} characters long; at most {limit}: {echo(value)}",
            zh=f"{name} 长 {len(value)} 个字符，最多 {limit} 个：{echo(value)}",
        )


def check_decimal(name: str, value: Decimal) -> None:
    """Refuse a number no quantity or amount can be (`InvalidQuantity` for quantities,
    `InvalidAmount` for prices, costs and discounts)."""
    if not value.is_finite() or (
        value and not -DECIMAL_PLACES <= value.adjusted() < DECIMAL_DIGITS
    ):
        shown = echo(value, 30)
        error = InvalidQuantity if "qty" in name else InvalidAmount
        raise error(
            f"{name} {shown} is out of range (at most {DECIMAL_DIGITS} digits before the point "
            f"and {DECIMAL_PLACES} after it)",
            zh=f"{name} {shown} 超出范围",
        )


def check_value(name: str, value: Any, limit: int = TEXT_LIMIT) -> None:
    """Check one slot's value (text, number, order line, or a list or mapping of them)."""
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        check_text(name, value, limit)
    elif isinstance(value, Decimal):
        check_decimal(name, value)
    elif isinstance(value, Line):
        check_text(f"{name}.item", value.item)
        check_decimal(f"{name}.qty", value.qty)
        for part in ("price", "discount"):
            if getattr(value, part) is not None:
                check_decimal(f"{name}.{part}", getattr(value, part))
    elif isinstance(value, list | tuple):
        for v in value:
            check_value(name, v, limit)
    elif isinstance(value, dict):
        for k, v in value.items():
            check_value(f"{name}.{echo(k, 30)}", k, limit)
            check_value(f"{name}.{echo(k, 30)}", v, limit)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return qty_str(value)
    if isinstance(value, Line):
        # An amendment of a one-line order may leave the item to the service.
        d = {"item": value.item} if value.item else {}
        d["qty"] = qty_str(value.qty)
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
    reason: str | None = None


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
    reason: str | None = None


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
class QueryApproval(Command):
    """Ask about one approval request: its state, who decided it and when, and why."""

    intent: ClassVar[str] = "approval.query"
    WRITE: ClassVar[bool] = False
    request: str = ""


@dataclass(frozen=True)
class DecideApproval(Command):
    """Approve or reject a pending request (never one's own)."""

    intent: ClassVar[str] = "approval.decide"
    TEXT_LIMITS: ClassVar[dict[str, int]] = {"reason": 500}
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

    def __post_init__(self):
        super().__post_init__()
        month = (self.period or "").strip()
        if len(month) == 7 and month[4] == "-" and month[:4].isdigit():
            if not MIN_YEAR <= int(month[:4]) <= MAX_YEAR:
                raise BadRequest(
                    f"period {month}: a month from {MIN_YEAR} to {MAX_YEAR}, as YYYY-MM",
                    zh=f"期间 {month}：月份须在 {MIN_YEAR} 至 {MAX_YEAR} 年之间（YYYY-MM）",
                )


MIN_YEAR, MAX_YEAR = 1900, 2999
"""The years a report's month may name (dates a year away stay inside what dates can hold)."""


@dataclass(frozen=True)
class QueryPrice(Command):
    """Ask an item's list price and availability, and with a customer the net price of their
    latest order line for it."""

    intent: ClassVar[str] = "price.query"
    WRITE: ClassVar[bool] = False
    item: str = ""
    customer: str | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class QueryBalance(Command):
    """Ask a partner's credit line: limit, exposure and what is left."""

    intent: ClassVar[str] = "partner.balance"
    WRITE: ClassVar[bool] = False
    partner: str = ""


@dataclass(frozen=True)
class QueryDigest(Command):
    """Ask for the digest now (daily by default): the text and chart the scheduled one sends."""

    intent: ClassVar[str] = "digest"
    WRITE: ClassVar[bool] = False
    kind: str | None = None


@dataclass(frozen=True)
class QueryDeliveryNote(Command):
    """Ask for the delivery note of one shipment of a sales order (its latest when no
    `shipment` is named): what left, from where, when, for whom."""

    intent: ClassVar[str] = "delivery_note"
    WRITE: ClassVar[bool] = False
    order: str = ""
    shipment: int | None = None

    def __post_init__(self):
        if self.shipment is not None:
            object.__setattr__(self, "shipment", _shipment_no(self.shipment))
        super().__post_init__()


def _shipment_no(value) -> int:
    """A shipment's number as given (2, "2", "#2"): a whole number; one no shipment can have
    (0, -1, past 32 bits) is no shipment of any order."""
    from domain.errors import UnknownOrder

    text = str(value).strip().lstrip("#")
    if isinstance(value, bool) or not text.lstrip("-").isascii() or not text.lstrip("-").isdigit():
        raise BadRequest(
            f"a shipment is a whole number (1 for the first), not {echo(value, 20)!r}",
            zh=f"发货批次须为整数（第一批为 1），不能是 {echo(value, 20)!r}",
        )
    if not 0 < int(text) <= 2**31 - 1:
        raise UnknownOrder(
            f"there is no shipment {echo(value, 20)}; an order's shipments are numbered from 1",
            zh=f"没有第 {echo(value, 20)} 批发货；发货批次从 1 开始编号",
        )
    return int(text)


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
        QueryApproval,
        Forecast,
        Report,
        QueryPrice,
        QueryBalance,
        QueryDigest,
        QueryDeliveryNote,
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
    "approval.query": ("request",),
    "price.query": ("item",),
    "partner.balance": ("partner",),
    "forecast": ("item",),
    "report": ("name",),
    "delivery_note": ("order",),
}


def _line(d: Any, item_optional: bool = False) -> Line:
    if (
        not isinstance(d, dict)
        or not (d.get("item") or item_optional)
        or d.get("qty") in (None, "")
    ):
        raise MissingSlot("each line needs an item and a qty", zh="每一行都需要物品和数量")
    price = d.get("price")
    discount = d.get("discount")
    try:
        return Line(
            item=str(d.get("item") or ""),
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
            value = tuple(_line(v, intent in _ITEM_OPTIONAL) for v in value)
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
    # Ids are 32-bit on every database: a longer number is no alert, not an overflow.
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_ID:
        shown = repr(echo(value, 30))
        raise UnknownAlert(f"there is no alert {shown}", zh=f"没有预警 {shown}")
    return int(text)


MAX_ID = 2**31 - 1
MAX_SNOOZE_DAYS = 365


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
        super().__post_init__()


@dataclass(frozen=True)
class AckAlert(Command):
    """Acknowledge an alert sent to one (admins: any): it stops being open."""

    intent: ClassVar[str] = "alert.ack"
    alert: int = 0

    def __post_init__(self):
        object.__setattr__(self, "alert", _alert_id(self.alert))
        super().__post_init__()


@dataclass(frozen=True)
class SnoozeAlert(Command):
    """Put an alert aside for some days (default 1); it opens again after that."""

    intent: ClassVar[str] = "alert.snooze"
    alert: int = 0
    days: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "alert", _alert_id(self.alert))
        if self.days is not None and not 1 <= self.days <= MAX_SNOOZE_DAYS:
            raise InvalidQuantity(
                f"an alert is snoozed for 1 to {MAX_SNOOZE_DAYS} days, not {echo(self.days, 20)}",
                zh=f"预警可推迟 1 至 {MAX_SNOOZE_DAYS} 天，不能是 {echo(self.days, 20)}",
            )
        super().__post_init__()


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
        super().__post_init__()


COMMANDS.update({c.intent: c for c in (ListAlerts, AckAlert, SnoozeAlert, OrderFromAlert)})
INTENTS = tuple(COMMANDS) + tuple(PENDING_INTENTS)
_REQUIRED.update({"alert.ack": ("alert",), "alert.snooze": ("alert",), "alert.order": ("alert",)})


# -- amending orders, delegating approvals ------------------------------------------------------


@dataclass(frozen=True)
class AmendSalesOrder(Command):
    """Change a sales order not yet shipped in full: each line named replaces that item's
    quantity (and price or discount when given), qty 0 removes it, a new item adds a line. A
    line may leave its item out when the order has one line."""

    intent: ClassVar[str] = "sales.amend"
    order: str = ""
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class AmendPurchaseOrder(Command):
    """Change a purchase order not yet received in full, as `AmendSalesOrder` does (no
    discounts on purchases)."""

    intent: ClassVar[str] = "purchase.amend"
    order: str = ""
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class DelegateApprovals(Command):
    """Let another registered user decide approval requests in one's stead until a local date
    (inclusive): `YYYY-MM-DD`, or a weekday (the next such day, today included)."""

    intent: ClassVar[str] = "approval.delegate"
    to: str = ""
    until: str = ""


@dataclass(frozen=True)
class EndDelegation(Command):
    """End one's own delegation, or (an admin) the delegation of the approver `from`."""

    intent: ClassVar[str] = "approval.undelegate"
    from_: str | None = None

    def to_dict(self) -> dict:
        d = super().to_dict()
        if "from_" in d:
            d["from"] = d.pop("from_")
        return d


_ITEM_OPTIONAL = {"sales.amend", "purchase.amend"}
COMMANDS.update(
    {c.intent: c for c in (AmendSalesOrder, AmendPurchaseOrder, DelegateApprovals, EndDelegation)}
)
INTENTS = tuple(COMMANDS) + tuple(PENDING_INTENTS)
_REQUIRED.update(
    {
        "sales.amend": ("order", "lines"),
        "purchase.amend": ("order", "lines"),
        "approval.delegate": ("to", "until"),
    }
)
