"""Typed results: what each service returns, one frozen dataclass per kind of answer.

A result's fields are the keys of its JSON shape in the design, in the order the CLI prints
them, holding the design's string forms (quantities, money and prices as strings). `to_json()`
gives that shape exactly; `from_json()` rebuilds the result from it (an idempotency replay).
A field marked `omitted()` is left out of the JSON when it is None (a count's `approval` while
nothing waits); every other field is always there, null included. Renderers (`bot/`) read the
fields; the CLI prints `to_json()`.
"""

from __future__ import annotations

import functools
import types
import typing
from dataclasses import dataclass, field, fields
from typing import Any


def omitted(json: str | None = None):
    """A field left out of the JSON while it is None."""
    return field(default=None, metadata={"omit": True, "json": json})


def renamed(json: str):
    """A field whose JSON key is not a Python name (`from`)."""
    return field(metadata={"json": json})


@dataclass(frozen=True, kw_only=True)
class Result:
    """The base of every typed result."""

    def to_json(self) -> dict:
        """The design's JSON shape of this result."""
        out = {}
        for name, key, omit in _layout(type(self)):
            value = getattr(self, name)
            if value is None and omit:
                continue
            out[key] = _encode(value)
        return out

    @classmethod
    def from_json(cls, data: dict):
        """The result whose JSON shape is `data` (keys it does not know are ignored)."""
        hints = _hints(cls)
        values = {}
        for f in fields(cls):
            key = f.metadata.get("json") or f.name
            if key in data:
                values[f.name] = _decode(hints[f.name], data[key])
        return cls(**values)


@functools.cache
def _layout(cls) -> tuple[tuple[str, str, bool], ...]:
    """Each field of a result type: its name, its JSON key, whether an absent value is left
    out (read once per type: every write builds a result)."""
    return tuple(
        (f.name, f.metadata.get("json") or f.name, bool(f.metadata.get("omit")))
        for f in fields(cls)
    )


@functools.cache
def _hints(cls) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _encode(value):
    if isinstance(value, Result):
        return value.to_json()
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    return value


def _decode(hint, raw):
    if raw is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(args[0], raw) if len(args) == 1 else raw
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        return tuple(_decode(inner, v) for v in raw)
    if isinstance(hint, type) and issubclass(hint, Result):
        return hint.from_json(raw)
    return raw


def as_json(result) -> Any:
    """A service's answer in its JSON shape (results not typed yet are already JSON)."""
    return result.to_json() if isinstance(result, Result) else result


# -- stock -----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Balance(Result):
    """An item's balance in one warehouse after a move."""

    sku: str
    name: str
    name_zh: str | None
    warehouse: str
    on_hand: str
    reserved: str
    available: str
    value: str
    short: str | None = omitted()  # reserved beyond on hand, after a count found less


@dataclass(frozen=True, kw_only=True)
class StockReceipt(Balance):
    """`stock.receive`: the balance after, the quantity and the value of the move."""

    qty: str
    move_value: str


@dataclass(frozen=True, kw_only=True)
class StockIssue(Balance):
    """`stock.issue`: the balance after, the quantity and its cost."""

    qty: str
    cost: str


@dataclass(frozen=True, kw_only=True)
class StockTransfer(Result):
    """`stock.transfer`: the quantity, its value at the source's cost, both balances after."""

    sku: str
    qty: str
    value: str
    from_: Balance = renamed("from")
    to: Balance


@dataclass(frozen=True, kw_only=True)
class StockCountResult(Balance):
    """`stock.count`: book and counted quantities, the difference, and whether it was posted
    or waits for an approver (`approval`, `reasons`)."""

    count: int
    book_qty: str
    counted_qty: str
    diff_qty: str
    status: str
    approval: str | None = omitted()
    reasons: tuple[str, ...] | None = omitted()
    reasons_zh: tuple[str, ...] | None = omitted()
    diff_value: str


@dataclass(frozen=True, kw_only=True)
class StockRow(Result):
    """One item in one warehouse, as `jxc stock` lists it."""

    sku: str
    warehouse: str
    on_hand: str
    reserved: str
    available: str
    on_order: str
    projected: str
    avg_cost: str | None
    value: str
    short: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class StockAnswer(Result):
    """`stock.query`: the rows asked for."""

    rows: tuple[StockRow, ...]


# -- orders ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class OrderLineRow(Result):
    """An order line in the design's shape; `shipped` on sales and `received` on purchase
    lines once the order is stored."""

    item: str
    name: str | None
    name_zh: str | None
    qty: str
    price: str
    list_price: str
    discount: str
    amount: str
    shipped: str | None = omitted()
    received: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class MovedLine(Result):
    """What one line moved: shipped (with its `cost`) or received (with its stock `value`)."""

    item: str
    name: str | None
    name_zh: str | None
    qty: str
    amount: str
    value: str | None = omitted()
    cost: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class ClosedLine(Result):
    """What a partly shipped order, closed, no longer ships."""

    item: str
    qty: str


@dataclass(frozen=True, kw_only=True)
class _OrderHead(Result):
    order: str
    status: str


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderResult(_OrderHead):
    """`purchase.create`: the order, confirmed or waiting for approval (and why)."""

    supplier: str
    partner_name: str | None
    partner_name_zh: str | None
    warehouse: str
    total: str
    approval: str | None = omitted()
    reasons: tuple[str, ...] | None = omitted()
    reasons_zh: tuple[str, ...] | None = omitted()
    lines: tuple[OrderLineRow, ...]


@dataclass(frozen=True, kw_only=True)
class SalesOrderResult(_OrderHead):
    """`sales.create`: the order, confirmed (stock reserved) or waiting for approval."""

    customer: str
    partner_name: str | None
    partner_name_zh: str | None
    warehouse: str
    total: str
    approval: str | None = omitted()
    reasons: tuple[str, ...] | None = omitted()
    reasons_zh: tuple[str, ...] | None = omitted()
    lines: tuple[OrderLineRow, ...]


@dataclass(frozen=True, kw_only=True)
class AlertOrderResult(PurchaseOrderResult):
    """`alert.order`: the purchase order made from a reorder alert."""

    alert: int


@dataclass(frozen=True, kw_only=True)
class PurchaseReceipt(_OrderHead):
    """`purchase.receive`: what was received where, and the order's lines after."""

    warehouse: str
    received: tuple[MovedLine, ...]
    lines: tuple[OrderLineRow, ...]
    receipt: int | None = omitted()  # which receipt of the order (1 for the first)
    invoice: str | None = omitted()  # the supplier's bill for it (BILL-…)


@dataclass(frozen=True, kw_only=True)
class Shipment(_OrderHead):
    """`sales.ship`: what was shipped from where at what cost, and the order's lines after."""

    warehouse: str
    shipped: tuple[MovedLine, ...]
    cogs: str
    customer: str
    partner_name: str | None
    partner_name_zh: str | None
    total: str
    lines: tuple[OrderLineRow, ...]
    shipment: int | None = omitted()  # which shipment of the order (1 for the first)
    invoice: str | None = omitted()  # the invoice made for it (INV-…)


@dataclass(frozen=True, kw_only=True)
class Cancellation(_OrderHead):
    """`purchase.cancel` / `sales.cancel`: cancelled, or (a partly shipped sales order)
    closed with what it shipped (`closed`: what no longer ships)."""

    closed: tuple[ClosedLine, ...] | None = omitted()
    reason: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class OrderRow(Result):
    """One order as `jxc orders` lists it."""

    order: str
    kind: str
    partner: str
    status: str
    total: str
    created_at: str
    created_by: str | None
    lines: tuple[OrderLineRow, ...]
    approval: str | None = omitted()
    reason: str | None = omitted()
    # A pending order: why it waits (its request's reasons, both languages).
    reasons: tuple[str, ...] | None = omitted()
    reasons_zh: tuple[str, ...] | None = omitted()


@dataclass(frozen=True, kw_only=True)
class OrdersAnswer(Result):
    """`order.query`: the orders asked for."""

    orders: tuple[OrderRow, ...]


# -- approvals -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RequestRow(Result):
    """A pending approval request, with what it is about (`details`) and why."""

    request: str
    subject_kind: str
    subject: str
    status: str
    reasons: tuple[str, ...]
    reasons_zh: tuple[str, ...]
    requested_by: str
    requested_at: str
    decided_by: str | None
    details: dict
    reason: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class ApprovalAnswer(RequestRow):
    """`approval.query`: one request in any state, the row `approval.list` shows plus who
    decided it and when (for whom, under a delegation), and the reason given."""

    decided_at: str | None
    on_behalf_of: str | None
    reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class ApprovalsAnswer(Result):
    """`approval.list`: the requests the user may see."""

    requests: tuple[RequestRow, ...]


@dataclass(frozen=True, kw_only=True)
class PostedCount(Result):
    """What an approved count posted, and whether the book had moved since the count."""

    diff_qty: str
    diff_value: str
    book_qty_at_count: str
    book_qty_before: str
    on_hand: str
    book_moved: bool


@dataclass(frozen=True, kw_only=True)
class Decision(Result):
    """`approval.decide`: the request decided, what it was about and what became of it."""

    request: str
    status: str
    subject_kind: str
    subject: str
    subject_status: str
    decided_by: str
    requested_by: str
    reasons: tuple[str, ...]
    reasons_zh: tuple[str, ...]
    details: dict
    posted: PostedCount | None = omitted()
    reason: str | None = omitted()
    on_behalf_of: str | None = omitted()  # the approver a delegate decided for


# -- alerts, forecasts, reports ---------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AlertRow(Result):
    """An alert as `jxc alerts --json` shows it, its message in the user's language."""

    id: int
    kind: str
    subject: str
    message: str
    status: str
    until: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class AlertsAnswer(Result):
    """`alert.list`: the user's alerts."""

    alerts: tuple[AlertRow, ...]


@dataclass(frozen=True, kw_only=True)
class AlertAction(Result):
    """`alert.ack` / `alert.snooze`: what became of the alert (snoozed: until when)."""

    alert: int
    kind: str
    subject: str
    status: str
    until: str | None = omitted()
    days: int | None = omitted()


@dataclass(frozen=True, kw_only=True)
class ForecastPointRow(Result):
    """One forecast day: the expected quantity and its range."""

    date: str
    yhat: float
    yhat_lower: float
    yhat_upper: float


@dataclass(frozen=True, kw_only=True)
class ForecastAnswer(Result):
    """`forecast`: the item's daily forecast, the model that made it and why that one."""

    sku: str
    model: str
    reason: str
    points: tuple[ForecastPointRow, ...]


@dataclass(frozen=True, kw_only=True)
class ReportAnswer(Result):
    """`report`: the report's rows, summary and notes (their shapes differ per report), and
    the period it covers (none for a snapshot)."""

    report: str
    period: dict | None = omitted()
    rows: list
    summary: dict
    notes: list


# -- questions: prices, credit, the digest ------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class WarehouseAvailable(Result):
    """What is available of an item in one warehouse."""

    warehouse: str
    available: str


@dataclass(frozen=True, kw_only=True)
class PriceAnswer(Result):
    """`price.query`: an item's list price and availability (in the warehouse named, else all
    summed, with each warehouse's), and with a customer the net price of their latest confirmed
    or shipped order line for it (`last_price`, `last_date`; absent when they never bought it)."""

    sku: str
    name: str
    name_zh: str | None
    uom: str
    list_price: str
    available: str
    by_warehouse: tuple[WarehouseAvailable, ...]
    warehouse: str | None = omitted()
    customer: str | None = omitted()
    last_price: str | None = omitted()
    last_date: str | None = omitted()
    last_order: str | None = omitted()


@dataclass(frozen=True, kw_only=True)
class CreditAnswer(Result):
    """`partner.balance` (before invoices): the credit limit, the exposure the sales approval
    check uses, and what is left of the line."""

    partner: str
    partner_name: str | None
    partner_name_zh: str | None
    credit_limit: str
    exposure: str
    credit_left: str


@dataclass(frozen=True, kw_only=True)
class DigestAnswer(Result):
    """`digest`: the text and chart the scheduled digest of that kind sends (no chart when it
    has nothing to report)."""

    kind: str
    text: str
    chart: str | None = omitted()


REPLAYED: dict[str, type[Result]] = {
    "stock.receive": StockReceipt,
    "stock.issue": StockIssue,
    "stock.transfer": StockTransfer,
    "stock.count": StockCountResult,
    "purchase.create": PurchaseOrderResult,
    "purchase.receive": PurchaseReceipt,
    "purchase.cancel": Cancellation,
    "sales.create": SalesOrderResult,
    "sales.ship": Shipment,
    "sales.cancel": Cancellation,
    "approval.decide": Decision,
    "alert.order": AlertOrderResult,
    "alert.ack": AlertAction,
    "alert.snooze": AlertAction,
}
"""The typed result of each write intent, for rebuilding a stored answer on a replay."""


def from_json(intent: str, data: Any):
    """A stored answer of `intent` as its typed result (as JSON when the intent has none)."""
    kind = REPLAYED.get(intent)
    return kind.from_json(data) if kind is not None and isinstance(data, dict) else data


# -- amending orders, delegating approvals ------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LineChange(Result):
    """What an amendment did to one item: its quantity from → to (0 → n: added, n → 0:
    removed), and its price or discount `{from, to}` where those changed."""

    item: str
    from_: str = renamed("from")
    to: str
    price: dict | None = omitted()
    discount: dict | None = omitted()


@dataclass(frozen=True, kw_only=True)
class Amendment(OrderRow):
    """`sales.amend` / `purchase.amend`: the order as `jxc orders` shows it after the change,
    what changed, and (`approval`) the request it now waits for."""

    changes: tuple[LineChange, ...]


@dataclass(frozen=True, kw_only=True)
class DelegationSet(Result):
    """`approval.delegate`: who decides for whom, until which local date (inclusive)."""

    from_: str = renamed("from")
    to: str
    until: str


@dataclass(frozen=True, kw_only=True)
class DelegationEnded(Result):
    """`approval.undelegate`: the approver whose delegation ended."""

    from_: str = renamed("from")
    ended: bool
    to: str | None = omitted()


REPLAYED.update(
    {
        "sales.amend": Amendment,
        "purchase.amend": Amendment,
        "approval.delegate": DelegationSet,
        "approval.undelegate": DelegationEnded,
    }
)

# The money results (returns, payments, balances, statements) are declared beside their
# services, and registered in `REPLAYED` there.
import domain.money.results  # noqa: E402, F401
