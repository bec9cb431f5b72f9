"""Amending an order (`sales.amend`, `purchase.amend`).

The lines named replace those items' quantities (and price or discount when given); qty 0
removes a line; a new item adds one; no line goes below what already shipped or arrived. A line
may leave its item out when the order has one item. Allowed while the order is pending approval,
confirmed or partly shipped / received, by its creator or an admin.

The amended order goes through the checks of a new one (stock for the added quantity, credit,
discount, cost; a purchase's total) and its reservations follow. When it now needs approval a
confirmed order goes back to `pending_approval` (its reservations released) with a new request,
and a pending one gets a new request that replaces the old (cancelled, "replaced by A-n"). A
pending order that no longer needs approval is confirmed at once (its stock reserved, or
refused with `insufficient_stock`) and its request cancelled.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from domain import settings
from domain.approvals import policy as approvals
from domain.ledger import moves as ledger
from domain.messages.commands import AmendPurchaseOrder, AmendSalesOrder, Line
from domain.messages.events import PurchaseOrderAmended, SalesOrderAmended
from domain.messages.results import Amendment
from domain.model import Partner
from domain.numbers import money, money_str
from domain.orders import purchasing, sales
from domain.orders.amend_steps import (
    OrderKind,
    amendment_result,
    check_amendable,
    event_changes,
    new_status,
    plan_lines,
    settle,
    store_lines,
)
from domain.orders.pricing import (
    OrderLine,
    PricedLine,
    SalesPolicy,
    price_line,
    price_purchase_order,
    price_sales_order,
)

ZERO = Decimal(0)
partner_t = Partner.__table__


_SALES = OrderKind(
    "SO",
    "sales_order",
    sales.so_t,
    sales.sl_t,
    "shipped_qty",
    ("pending_approval", "confirmed", "partially_shipped"),
)
_PURCHASE = OrderKind(
    "PO",
    "purchase_order",
    purchasing.po_t,
    purchasing.pl_t,
    "received_qty",
    ("pending_approval", "confirmed", "partially_received"),
)


def amend_sales_order(cmd: AmendSalesOrder, uow, user) -> Amendment:
    """Change a sales order's lines (see the module); the result is the order as `jxc orders`
    shows it with `changes`, and `approval` when it now waits."""
    so = _SALES.order(uow, cmd.order)
    check_amendable(uow, so, user, _SALES)
    lines = _SALES.lines(uow, so.id)
    wh_id = so.warehouse_id
    wh_code = so.warehouse

    def existing(ln) -> PricedLine:
        return PricedLine(ln.qty, ln.list_price, ln.discount_pct, ln.price, ln.amount)

    def priced(ln, item, qty: Decimal, given: Line) -> PricedLine:
        if given.price is None and given.discount is None:
            if ln is None:
                return price_line(item.unit_price, qty)
            return PricedLine(qty, ln.list_price, ln.discount_pct, ln.price, money(qty * ln.price))
        return price_line(ln.list_price if ln is not None else item.unit_price, qty,
                          given.price, given.discount)  # fmt: skip

    plan, changes = plan_lines(uow, so, lines, cmd.lines, _SALES, existing, priced)
    for p in plan:  # stock for the added quantity
        more = p.new_open - p.old_open
        if more > 0:
            bal = ledger.lock_balance(uow, p.item.id, wh_id)
            if more > bal.available and not ledger.allow_negative(uow, wh_code):
                raise ledger.shortage(uow, p.item, wh_id, wh_code, bal.available, more)
    policy = SalesPolicy(
        max_discount_pct=settings.get_decimal(uow, "approval.sales_discount_pct"),
        anomaly_pct=settings.get_decimal(uow, "anomaly.price_pct"),
        credit_check=settings.is_on(uow, "approval.credit_check"),
    )
    reserved = so.status in ("confirmed", "partially_shipped")
    exposed = ZERO
    if policy.credit_check:
        exposed = sales.exposure(uow, so.partner_id) - (so.total if reserved else ZERO)
    limit = uow.execute(
        select(partner_t.c.credit_limit).where(partner_t.c.id == so.partner_id)
    ).scalar_one()
    kept = [p for p in plan if p.priced.qty > 0]
    order_lines = [
        OrderLine(
            p.item.sku,
            p.item.name,
            p.item.name_zh,
            p.priced,
            sales.average_cost(uow, p.item.id, wh_id),
        )
        for p in kept
    ]
    price = price_sales_order(order_lines, policy, exposure=exposed, credit_limit=limit)
    store_lines(uow, so.id, plan, _SALES)
    waits = bool(price.reasons)
    if reserved and not waits:
        for p in plan:
            delta = p.new_open - p.old_open
            if delta > 0:
                ledger.reserve(uow, p.item, wh_id, wh_code, delta)
            elif delta < 0:
                ledger.release(uow, p.item.id, wh_id, -delta)
    elif reserved:
        for p in plan:
            if p.old_open > 0:
                ledger.release(uow, p.item.id, wh_id, p.old_open)
    elif not waits:
        for p in plan:
            if p.new_open > 0:
                ledger.reserve(uow, p.item, wh_id, wh_code, p.new_open)
    status = new_status(plan, waits, "shipped", "partially_shipped")
    so = so._replace(approval=settle(uow, so, status, price.total, price.reasons, user, _SALES))
    changed = {c.item for c in changes}
    sales.flag_prices(uow, so.number, so.partner, [a for a in price.anomalies if a.sku in changed])
    uow.emit(
        SalesOrderAmended(
            order=so.number,
            customer=so.partner,
            status=status,
            total=money_str(price.total),
            changes=event_changes(changes),
            user=user.name,
        )
    )
    return amendment_result(so, status, price, plan, changes, _SALES)


def amend_purchase_order(cmd: AmendPurchaseOrder, uow, user) -> Amendment:
    """Change a purchase order's lines (see the module): over `approval.purchase_total` it
    waits for approval again."""
    po = _PURCHASE.order(uow, cmd.order)
    check_amendable(uow, po, user, _PURCHASE)
    lines = _PURCHASE.lines(uow, po.id)

    def existing(ln) -> PricedLine:
        return PricedLine(ln.qty, ln.price, ZERO, ln.price, ln.amount)

    def priced(ln, item, qty: Decimal, given: Line) -> PricedLine:
        if given.price is None and ln is not None:
            return PricedLine(qty, ln.price, ZERO, ln.price, money(qty * ln.price))
        p = price_line(item.unit_cost, qty, given.price)
        return PricedLine(qty, p.price, ZERO, p.price, p.amount)

    plan, changes = plan_lines(uow, po, lines, cmd.lines, _PURCHASE, existing, priced)
    kept = [p for p in plan if p.priced.qty > 0]
    order_lines = [OrderLine(p.item.sku, p.item.name, p.item.name_zh, p.priced) for p in kept]
    price = price_purchase_order(order_lines, approvals.threshold(uow, "approval.purchase_total"))
    store_lines(uow, po.id, plan, _PURCHASE)
    waits = bool(price.reasons)
    status = new_status(plan, waits, "received", "partially_received")
    po = po._replace(approval=settle(uow, po, status, price.total, price.reasons, user, _PURCHASE))
    uow.emit(
        PurchaseOrderAmended(
            order=po.number,
            supplier=po.partner,
            status=status,
            total=money_str(price.total),
            changes=event_changes(changes),
            user=user.name,
        )
    )
    return amendment_result(po, status, price, plan, changes, _PURCHASE)
