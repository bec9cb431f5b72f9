"""Answers to questions: alerts (and what became of one), forecasts, reports, prices and
availability, credit, the digest."""

from __future__ import annotations

from dataclasses import dataclass

from domain.messages.codec import omitted
from domain.messages.results.base import Result


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
    """One forecast day: the point forecast and its range; `mean`, the expected quantity,
    when the point was scaled toward the typical day (an intermittent item)."""

    date: str
    yhat: float
    yhat_lower: float
    yhat_upper: float
    mean: float | None = omitted()

    @property
    def expected(self) -> float:
        """The day's expected quantity, what totals add up."""
        return self.yhat if self.mean is None else self.mean


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
