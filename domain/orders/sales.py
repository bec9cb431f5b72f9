"""Sales orders: create (availability, credit and discount checks; stock reserved once
confirmed), cancel (releases), the decision on one that waits, and reading one back. Shipping
is `domain.orders.shipping`.

Exposure for the credit check = confirmed orders not yet shipped + shipped and unpaid (the
balance of the customer's invoices, `domain.money.balances`).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select, update

from domain import roles, settings
from domain.approvals import policy as approvals
from domain.errors import BadRequest, InvalidState, NotPermitted, UnknownOrder
from domain.ledger import lookup
from domain.ledger import moves as ledger
from domain.ledger.moves import item_t
from domain.ledger.sequences import next_number
from domain.messages.commands import CancelSalesOrder, CreateSalesOrder
from domain.messages.events import (
    SalesOrderCancelled,
    SalesOrderCreated,
    SalesPriceFlagged,
)
from domain.messages.results import (
    Cancellation,
    ClosedLine,
    OrderLineRow,
    SalesOrderResult,
)
from domain.model import SalesLine, SalesOrder
from domain.money import balances
from domain.numbers import money_str, price_str, qty_str, quantity
from domain.orders.pricing import (
    PRICE_STEP,
    OrderLine,
    PricedLine,
    SalesPolicy,
    line_json,
    price_line,
    price_sales_order,
)
from domain.orders.status_words import state_en, state_zh
from domain.orders.store import order_details_of, store_order

so_t = SalesOrder.__table__
sl_t = SalesLine.__table__
ZERO = Decimal(0)


def exposure(uow, partner_id: int) -> Decimal:
    """What a customer has committed and not paid (`domain.money.balances.exposure`: confirmed
    orders not yet shipped plus the balance of its invoices, never below 0)."""
    return balances.exposure(uow, partner_id)


def average_cost(uow, item_id: int, wh_id: int) -> Decimal | None:
    bal = ledger.read_balance(uow, item_id, wh_id)
    if bal.on_hand <= 0:
        return None
    return bal.value / bal.on_hand


def _priced_order(cmd: CreateSalesOrder, uow):
    """The customer, warehouse, items and price of a new order, checked as creating it needs:
    `InsufficientStock` (naming what is available here and elsewhere) when stock does not
    suffice, and the approval reasons it waits for. The balances are locked for the
    transaction that creates the order."""
    customer = lookup.partner(uow, cmd.customer, "customer")
    wh = lookup.warehouse(uow, cmd.warehouse)
    policy = SalesPolicy(
        max_discount_pct=settings.get_decimal(uow, "approval.sales_discount_pct"),
        anomaly_pct=settings.get_decimal(uow, "anomaly.price_pct"),
        credit_check=settings.is_on(uow, "approval.credit_check"),
    )
    lines, items = [], []
    need: dict[int, Decimal] = defaultdict(Decimal)
    for given in cmd.lines:
        item = lookup.item(uow, given.item)
        qty = quantity(given.qty, item.uom)
        priced = price_line(item.unit_price, qty, given.price, given.discount)
        avg = average_cost(uow, item.id, wh.id)
        lines.append(OrderLine(item.sku, item.name, item.name_zh, priced, avg))
        items.append(item)
        need[item.id] += qty
    for item_id, qty in need.items():
        bal = ledger.lock_balance(uow, item_id, wh.id)
        if qty > bal.available and not ledger.allow_negative(uow, wh.code):
            item = next(i for i in items if i.id == item_id)
            raise ledger.shortage(uow, item, wh.id, wh.code, bal.available, qty)
    exposed = exposure(uow, customer.id) if policy.credit_check else ZERO
    price = price_sales_order(lines, policy, exposure=exposed, credit_limit=customer.credit_limit)
    return customer, wh, items, price


def shortages(cmd: CreateSalesOrder, uow) -> dict:
    """The lines of a new order that its warehouse cannot serve, by line index, each with the
    refusal naming what is available there and elsewhere (lines of one item count together).
    The chat proposes the other lines; an empty answer means stock suffices."""
    wh = lookup.warehouse(uow, cmd.warehouse)
    if ledger.allow_negative(uow, wh.code):
        return {}
    need: dict[int, Decimal] = defaultdict(Decimal)
    lines_of: dict[int, list[int]] = defaultdict(list)
    items = {}
    for n, given in enumerate(cmd.lines):
        item = lookup.item(uow, given.item)
        need[item.id] += quantity(given.qty, item.uom)
        lines_of[item.id].append(n)
        items[item.id] = item
    out = {}
    for item_id, qty in need.items():
        bal = ledger.read_balance(uow, item_id, wh.id)
        if qty > bal.available:
            refusal = ledger.shortage(uow, items[item_id], wh.id, wh.code, bal.available, qty)
            out.update(dict.fromkeys(lines_of[item_id], refusal))
    return out


def create_sales_order(cmd: CreateSalesOrder, uow, user) -> SalesOrderResult:
    """Sell to a customer. Refused at once when stock does not suffice; waits for approval when
    over the credit limit, discounted beyond the threshold, or priced below average cost."""
    customer, wh, items, price = _priced_order(cmd, uow)
    number = next_number(uow, "SO")
    _, head = store_order(
        uow,
        so_t,
        sl_t,
        subject_kind="sales_order",
        number=number,
        partner=customer,
        partner_role="customer",
        wh=wh,
        total=price.total,
        lines=[
            {
                "line_no": n,
                "item_id": item.id,
                "qty": line.priced.qty,
                "price": line.priced.price,
                "list_price": line.priced.list_price,
                "discount_pct": line.priced.discount.quantize(PRICE_STEP),
                "amount": line.priced.amount,
                "shipped_qty": ZERO,
                "cost": ZERO,
            }
            for n, (item, line) in enumerate(zip(items, price.lines, strict=True), start=1)
        ],
        reasons=price.reasons,
        user=user,
    )
    status = head["status"]
    if not price.reasons:
        for item, line in zip(items, price.lines, strict=True):
            ledger.reserve(uow, item, wh.id, wh.code, line.priced.qty)
    flag_prices(uow, number, customer.code, price.anomalies)
    uow.emit(
        SalesOrderCreated(
            order=number,
            customer=customer.code,
            status=status,
            total=money_str(price.total),
            user=user.name,
        )
    )
    rows = tuple(OrderLineRow(**line_json(line), shipped="0") for line in price.lines)
    return SalesOrderResult(**head, lines=rows)


def flag_prices(uow, order: str, customer: str, anomalies) -> None:
    """A `SalesPriceFlagged` event for each line of an order priced out of the ordinary."""
    for a in anomalies:
        uow.emit(
            SalesPriceFlagged(
                order=order,
                customer=customer,
                sku=a.sku,
                price=price_str(a.priced.price),
                list_price=price_str(a.priced.list_price),
                discount_pct=round(a.priced.discount, 2),
            )
        )


def orders_reserving(uow, item_id: int, wh_id: int) -> list[str]:
    """The confirmed sales orders holding a reservation of an item in a warehouse."""
    return list(
        uow.execute(
            select(so_t.c.number)
            .select_from(so_t.join(sl_t, sl_t.c.order_id == so_t.c.id))
            .where(
                (sl_t.c.item_id == item_id)
                & (so_t.c.warehouse_id == wh_id)
                & (sl_t.c.qty > sl_t.c.shipped_qty)
                & so_t.c.status.in_(("confirmed", "partially_shipped"))
            )
            .distinct()
            .order_by(so_t.c.number)
        ).scalars()
    )


def order_row(uow, number: str, *, lock: bool = True):
    number = number.strip().upper()
    stmt = select(so_t).where(so_t.c.number == number)
    if lock and uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    row = uow.execute(stmt).first()
    if row is None:
        raise UnknownOrder(f"no sales order {number}", zh=f"没有销售单 {number}")
    return row


def stored_lines(uow, order_id: int):
    return uow.execute(
        select(sl_t, item_t.c.sku, item_t.c.name, item_t.c.name_zh)
        .select_from(sl_t.join(item_t, item_t.c.id == sl_t.c.item_id))
        .where(sl_t.c.order_id == order_id)
        .order_by(sl_t.c.line_no)
    ).all()


def _priced(line) -> OrderLine:
    return OrderLine(
        line.sku,
        line.name,
        line.name_zh,
        PricedLine(line.qty, line.list_price, line.discount_pct, line.price, line.amount),
    )


def line_rows(uow, order_id: int) -> tuple[OrderLineRow, ...]:
    """An order's lines as stored, in the design's shape (with `shipped`)."""
    return tuple(
        OrderLineRow(**line_json(_priced(ln)), shipped=qty_str(ln.shipped_qty))
        for ln in stored_lines(uow, order_id)
    )


def order_details(uow, number: str) -> dict:
    """What an approver decides on: the customer, the lines (with list price and discount)
    and the total."""
    so = order_row(uow, number, lock=False)
    return order_details_of(uow, so, [_priced(ln) for ln in stored_lines(uow, so.id)])


def cancel_sales_order(cmd: CancelSalesOrder, uow, user) -> Cancellation:
    """Cancel an order not yet shipped: its reservation is released, its request cancelled.
    Salespeople cancel their own orders only.

    A partly shipped order is closed instead: what shipped stays shipped (and owed), the rest
    of every line is released and never ships, and the order becomes `shipped` — complete
    with what it shipped, so it stops counting the rest as exposure while its shipped part
    still does. The result lists what was closed (`closed`: item and quantity)."""
    so = order_row(uow, cmd.order)
    if roles.only_own(user.role, "sales.cancel") and so.created_by != user.name:
        raise NotPermitted(
            f"{so.number} was placed by {so.created_by}; you may cancel only your own orders",
            zh=f"{so.number} 是 {so.created_by} 下的单，您只能取消自己的订单",
        )
    if so.status not in ("pending_approval", "confirmed", "partially_shipped"):
        raise InvalidState(
            f"{so.number} is {state_en(so.status, so.approval)} and cannot be cancelled",
            zh=f"{so.number} {state_zh(so.status, so.approval)}，不能取消",
        )
    closed = []
    if so.status == "pending_approval":
        approvals.cancel_request(uow, so.approval, user)
    else:
        for line in stored_lines(uow, so.id):
            rest = line.qty - line.shipped_qty
            if rest > 0:
                ledger.release(uow, line.item_id, so.warehouse_id, rest)
                closed.append(ClosedLine(item=line.sku, qty=qty_str(rest)))
    status = "shipped" if so.status == "partially_shipped" else "cancelled"
    uow.execute(update(so_t).where(so_t.c.id == so.id).values(status=status))
    uow.emit(SalesOrderCancelled(order=so.number, status=status, user=user.name))
    return Cancellation(
        order=so.number,
        status=status,
        closed=tuple(closed) if status == "shipped" else None,
        reason=_reason(cmd.reason),
    )


def on_decision(uow, number: str, approved: bool, user) -> str:
    """Approval confirms the order and reserves its stock (refused, and the request stays
    pending, when stock no longer suffices); rejection cancels it."""
    so = order_row(uow, number)
    if so.status != "pending_approval":
        raise InvalidState(
            f"{so.number} is {state_en(so.status, so.approval)}, not waiting for approval",
            zh=f"{so.number} {state_zh(so.status, so.approval)}，不在待审批状态",
        )
    lines = stored_lines(uow, so.id)
    # An amended order that had shipped part of itself waits again: approval reserves what
    # is still open, and rejection closes it with what it shipped.
    shipped = any(line.shipped_qty > 0 for line in lines)
    if approved:
        status = "partially_shipped" if shipped else "confirmed"
    else:
        status = "shipped" if shipped else "cancelled"
    if approved:
        wh_code = lookup.warehouse_code(uow, so.warehouse_id)
        for line in lines:
            if line.qty <= line.shipped_qty:
                continue
            item = lookup.item(uow, line.sku)
            ledger.reserve(uow, item, so.warehouse_id, wh_code, line.qty - line.shipped_qty)
    uow.execute(update(so_t).where(so_t.c.id == so.id).values(status=status))
    return {"subject_status": status}


def _reason(text: str | None) -> str | None:
    """A cancellation's reason as typed (at most 500 characters), or None."""
    text = (text or "").strip()
    if len(text) > 500:
        raise BadRequest("a reason is at most 500 characters", zh="理由最多 500 个字符")
    return text or None
