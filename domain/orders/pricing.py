"""Prices of order lines and of whole orders, and which approval rules they trip.

One computation serves the proposal the chat shows and the order the service stores, so the
total a user confirms is the total kept. A price and a discount given together mean the discount
off that price (`0.22` less 5 % = `0.209`); a discount alone is off the list price. The discount
the approval policy looks at is always off the list price: `(list − net) ÷ list`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.errors import InvalidAmount
from domain.numbers import money, money_display, money_str, price_str, qty_str, unit_cost

ZERO = Decimal(0)
HUNDRED = Decimal(100)
PRICE_STEP = Decimal("0.000001")


@dataclass(frozen=True)
class Reason:
    """Why a command needs approval, in English and in Chinese."""

    en: str
    zh: str


@dataclass(frozen=True)
class PricedLine:
    """One line priced: the list price it is sold against, the discount off list (percent),
    the net unit price and the amount (rounded to 0.01 half-up)."""

    qty: Decimal
    list_price: Decimal
    discount: Decimal
    price: Decimal
    amount: Decimal


def price_line(
    list_price: Decimal | None,
    qty: Decimal,
    price: Decimal | None = None,
    discount: Decimal | None = None,
) -> PricedLine:
    """Price one line. `price` defaults to the list price; `discount` (percent, 0 ≤ d < 100)
    is taken off `price` when both are given, else off the list price."""
    listed = list_price or ZERO
    base = unit_cost(price) if price is not None else listed
    if discount is None:
        net = base
    else:
        if not ZERO <= discount < HUNDRED:
            raise InvalidAmount(
                f"a discount must be between 0 and 100 %, not {discount}",
                zh=f"折扣必须在 0 到 100% 之间，收到 {discount}",
            )
        net = (base * (HUNDRED - discount) / HUNDRED).quantize(PRICE_STEP, ROUND_HALF_UP)
    if price is None and discount is not None:
        off = discount  # exactly what was typed, not a rounded net price read back
    elif listed > 0:
        off = (listed - net) / listed * HUNDRED
    else:
        off = ZERO
    return PricedLine(qty, listed, off, net, money(qty * net))


def pct(value: Decimal) -> str:
    """A percentage for messages (`12.5%`)."""
    return f"{value.quantize(Decimal('0.1'), ROUND_HALF_UP).normalize():f}%"


def discount_str(value: Decimal) -> str:
    """A line's discount for JSON: percent off list, at most 2 decimals (`"5"`, `"16.4"`)."""
    d = value.quantize(Decimal("0.01"), ROUND_HALF_UP).normalize()
    return format(d.quantize(Decimal(1)) if d == d.to_integral_value() else d, "f")


@dataclass(frozen=True)
class SalesPolicy:
    """The thresholds a sales order is held against (named settings, read by the caller)."""

    max_discount_pct: Decimal
    anomaly_pct: Decimal
    credit_check: bool


@dataclass(frozen=True)
class OrderLine:
    """A priced line of a named item, with the average cost of its balance (None: no stock)."""

    sku: str
    name: str
    name_zh: str
    priced: PricedLine
    avg_cost: Decimal | None = None


@dataclass(frozen=True)
class OrderPrice:
    """A whole order priced: its lines, the total (sum of the rounded line amounts), the
    approval reasons it trips and the lines priced far enough below list to be an anomaly."""

    lines: tuple[OrderLine, ...]
    total: Decimal
    reasons: tuple[Reason, ...]
    anomalies: tuple[OrderLine, ...] = ()


def _label_zh(line: OrderLine) -> str:
    return f"{line.name_zh}（{line.sku}）" if line.name_zh else line.sku


def price_sales_order(
    lines: Sequence[OrderLine],
    policy: SalesPolicy,
    *,
    exposure: Decimal,
    credit_limit: Decimal,
) -> OrderPrice:
    """Total a sales order and say which approval rules it trips: a line's discount off list
    over the threshold, a price below the balance's average cost, exposure + order over the
    customer's credit limit."""
    reasons: list[Reason] = []
    anomalies = []
    for line in lines:
        p = line.priced
        if p.discount > policy.max_discount_pct:
            reasons.append(
                Reason(
                    f"{line.sku}: discount {pct(p.discount)} is over {pct(policy.max_discount_pct)}",
                    f"{_label_zh(line)} 折扣 {pct(p.discount)} 超过 {pct(policy.max_discount_pct)}",
                )
            )
        if p.discount > policy.anomaly_pct:
            anomalies.append(line)
        if line.avg_cost is not None and p.price < line.avg_cost:
            # Money to 2 decimals, unless those would read as the price itself (240.50 under
            # 240.5023): then the 4 decimals that show the difference.
            avg = money_display(line.avg_cost)
            if money(line.avg_cost) <= p.price:
                avg = str(line.avg_cost.quantize(Decimal("0.0001"), ROUND_HALF_UP))
            reasons.append(
                Reason(
                    f"{line.sku}: price {price_str(p.price)} is below average cost {avg}",
                    f"{_label_zh(line)} 单价 {price_str(p.price)} 低于平均成本 {avg}",
                )
            )
    total = sum((line.priced.amount for line in lines), ZERO)
    if policy.credit_check and exposure + total > credit_limit:
        reasons.append(
            Reason(
                f"exposure {money_display(exposure)} + order {money_display(total)} is over "
                f"the credit limit {money_display(credit_limit)}",
                f"已占用额度 {money_display(exposure)} + 本单 {money_display(total)} 超过信用额度 "
                f"{money_display(credit_limit)}",
            )
        )
    return OrderPrice(tuple(lines), total, tuple(reasons), tuple(anomalies))


def price_purchase_order(lines: Sequence[OrderLine], limit: Decimal) -> OrderPrice:
    """Total a purchase order; over `limit` (`approval.purchase_total`) it needs approval."""
    total = sum((line.priced.amount for line in lines), ZERO)
    reasons = ()
    if total > limit:
        reasons = (
            Reason(
                f"total {money_display(total)} is over {money_display(limit)}",
                f"总额 {money_display(total)} 超过 {money_display(limit)}",
            ),
        )
    return OrderPrice(tuple(lines), total, reasons)


def line_json(line: OrderLine) -> dict:
    """A priced line in the design's JSON shape (strings), with the item's names."""
    p = line.priced
    return {
        "item": line.sku,
        "name": line.name,
        "name_zh": line.name_zh,
        "qty": qty_str(p.qty),
        "price": price_str(p.price),
        "list_price": price_str(p.list_price),
        "discount": discount_str(p.discount),
        "amount": money_str(p.amount),
    }
