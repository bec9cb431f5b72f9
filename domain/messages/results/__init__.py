"""Typed results: what each service returns, one frozen dataclass per kind of answer.

A result's fields are the keys of its JSON shape in the design, in the order the CLI prints
them, holding the design's string forms (quantities, money and prices as strings). `to_json()`
gives that shape exactly; `from_json()` rebuilds the result from it (an idempotency replay), both
through the one codec (`domain.messages.codec`). A field marked `omitted()` is left out of the JSON when it
is None (a count's `approval` while nothing waits); every other field is always there, null
included. Renderers (`bot/`) read the fields; the CLI prints `to_json()`. The results live by
subject: stock, orders, approvals, queries.
"""

from __future__ import annotations

from typing import Any

from domain.messages.results.approvals import (
    ApprovalAnswer,
    ApprovalsAnswer,
    Decision,
    DelegationEnded,
    DelegationSet,
    PostedCount,
    RequestRow,
)
from domain.messages.results.base import Result, omitted, renamed
from domain.messages.results.orders import (
    AlertOrderResult,
    Amendment,
    Cancellation,
    ClosedLine,
    LineChange,
    MovedLine,
    OrderLineRow,
    OrderRow,
    OrdersAnswer,
    PurchaseOrderResult,
    PurchaseReceipt,
    SalesOrderResult,
    Shipment,
)
from domain.messages.results.queries import (
    AlertAction,
    AlertRow,
    AlertsAnswer,
    CreditAnswer,
    DigestAnswer,
    ForecastAnswer,
    ForecastPointRow,
    PriceAnswer,
    ReportAnswer,
    WarehouseAvailable,
)
from domain.messages.results.stock import (
    Balance,
    StockAnswer,
    StockCountResult,
    StockIssue,
    StockReceipt,
    StockRow,
    StockTransfer,
)


def as_json(result) -> Any:
    """A service's answer in its JSON shape (results not typed yet are already JSON)."""
    return result.to_json() if isinstance(result, Result) else result


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
    "sales.amend": Amendment,
    "purchase.amend": Amendment,
    "approval.delegate": DelegationSet,
    "approval.undelegate": DelegationEnded,
}
"""The typed result of each write intent, for rebuilding a stored answer on a replay."""


def from_json(intent: str, data: Any):
    """A stored answer of `intent` as its typed result (as JSON when the intent has none)."""
    kind = REPLAYED.get(intent)
    return kind.from_json(data) if kind is not None and isinstance(data, dict) else data


__all__ = [
    "REPLAYED", "AlertAction", "AlertOrderResult", "AlertRow", "AlertsAnswer", "Amendment",
    "ApprovalAnswer", "ApprovalsAnswer", "Balance", "Cancellation", "ClosedLine", "CreditAnswer",
    "Decision", "DelegationEnded", "DelegationSet", "DigestAnswer", "ForecastAnswer",
    "ForecastPointRow", "LineChange", "MovedLine", "OrderLineRow", "OrderRow", "OrdersAnswer",
    "PostedCount", "PriceAnswer", "PurchaseOrderResult", "PurchaseReceipt", "ReportAnswer",
    "RequestRow", "Result", "SalesOrderResult", "Shipment", "StockAnswer", "StockCountResult",
    "StockIssue", "StockReceipt", "StockRow", "StockTransfer", "WarehouseAvailable", "as_json",
    "from_json", "omitted", "renamed",
]  # fmt: skip


# The money results (returns, payments, balances, statements) are declared beside their
# services, and registered in `REPLAYED` there.
import domain.money.results  # noqa: E402, F401
