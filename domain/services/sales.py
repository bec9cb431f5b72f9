"""Sales orders: create (availability, credit and discount checks; stock reserved once
confirmed), ship (issue at cost, reservation released), cancel (releases).

Exposure for the credit check = confirmed orders not yet shipped + shipped and unpaid. Until
payments are recorded, every shipped order counts as unpaid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select, update

from domain import ledger, lookup, settings
from domain.commands import CancelSalesOrder, CreateSalesOrder, ShipSalesOrder
from domain.errors import InvalidState, NotPermitted, UnknownOrder
from domain.ledger import item_t
from domain.model import SalesLine, SalesOrder
from domain.numbers import money, money_str, price_str, qty_str, quantity
from domain.pricing import (
    PRICE_STEP,
    OrderLine,
    OrderPrice,
    PricedLine,
    SalesPolicy,
    line_json,
    price_line,
    price_sales_order,
    reasons_json,
)
from domain.sequences import next_number
from domain.services import approvals
from domain.services.documents import order_details_of, store_order

so_t = SalesOrder.__table__
sl_t = SalesLine.__table__
ZERO = Decimal(0)


def exposure(uow, partner_id: int) -> Decimal:
    """What a customer owes or has committed: confirmed-not-shipped plus shipped-unpaid."""
    total = uow.execute(
        select(func.coalesce(func.sum(so_t.c.total), 0)).where(
            (so_t.c.partner_id == partner_id)
            & so_t.c.status.in_(("confirmed", "partially_shipped", "shipped"))
        )
    ).scalar()
    return Decimal(total) if not isinstance(total, Decimal) else total


def _avg_cost(uow, item_id: int, wh_id: int) -> Decimal | None:
    bal = ledger.read_balance(uow, item_id, wh_id)
    if bal.on_hand <= 0:
        return None
    return bal.value / bal.on_hand


@dataclass(frozen=True)
class Quote:
    """A sales order priced and checked, before anything is written: what the chat proposes
    and what `create_sales_order` stores are the same figures."""

    customer: object
    warehouse: object
    items: tuple
    price: OrderPrice

    @property
    def status(self) -> str:
        return "pending_approval" if self.price.reasons else "confirmed"

    def to_dict(self) -> dict:
        """The quote as a result shape: customer, names, warehouse, lines, total, status and,
        when it would wait, the reasons in both languages."""
        out = {
            "customer": self.customer.code,
            "partner_name": self.customer.name,
            "partner_name_zh": self.customer.name_zh,
            "warehouse": self.warehouse.code,
            "status": self.status,
            "total": money_str(self.price.total),
            "lines": [line_json(line) for line in self.price.lines],
        }
        if self.price.reasons:
            out.update(reasons_json(self.price.reasons))
        return out


def quote_sales_order(cmd: CreateSalesOrder, uow, *, lock: bool = False) -> Quote:
    """Price a sales order and check it as creating it would: `InsufficientStock` (naming what
    is available here and elsewhere) when stock does not suffice, and the approval reasons it
    would wait for. Writes nothing unless `lock` (the balances are then locked for the
    transaction that creates the order)."""
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
        avg = _avg_cost(uow, item.id, wh.id)
        lines.append(OrderLine(item.sku, item.name, item.name_zh, priced, avg))
        items.append(item)
        need[item.id] += qty
    for item_id, qty in need.items():
        read = ledger.lock_balance if lock else ledger.read_balance
        bal = read(uow, item_id, wh.id)
        if qty > bal.available and not ledger.allow_negative(uow, wh.code):
            item = next(i for i in items if i.id == item_id)
            raise ledger.shortage(uow, item, wh.id, wh.code, bal.available, qty)
    exposed = exposure(uow, customer.id) if policy.credit_check else ZERO
    price = price_sales_order(lines, policy, exposure=exposed, credit_limit=customer.credit_limit)
    return Quote(customer, wh, tuple(items), price)


def create_sales_order(cmd: CreateSalesOrder, uow, user) -> dict:
    """Sell to a customer. Refused at once when stock does not suffice; waits for approval when
    over the credit limit, discounted beyond the threshold, or priced below average cost."""
    quote = quote_sales_order(cmd, uow, lock=True)
    customer, wh, price = quote.customer, quote.warehouse, quote.price
    number = next_number(uow, "SO")
    _, result = store_order(
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
            for n, (item, line) in enumerate(zip(quote.items, price.lines, strict=True), start=1)
        ],
        reasons=price.reasons,
        user=user,
    )
    status = result["status"]
    if not price.reasons:
        for item, line in zip(quote.items, price.lines, strict=True):
            ledger.reserve(uow, item, wh.id, wh.code, line.priced.qty)
    for a in price.anomalies:
        uow.emit(
            "SalesPriceAnomaly",
            order=number,
            customer=customer.code,
            sku=a.sku,
            price=price_str(a.priced.price),
            list_price=price_str(a.priced.list_price),
            discount_pct=float(round(a.priced.discount, 2)),
        )
    uow.emit(
        "SalesOrderCreated",
        order=number,
        customer=customer.code,
        status=status,
        total=money_str(price.total),
        user=user.name,
    )
    result["lines"] = [{**line_json(line), "shipped": "0"} for line in price.lines]
    return result


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


def _order(uow, number: str, *, lock: bool = True):
    number = number.strip().upper()
    stmt = select(so_t).where(so_t.c.number == number)
    if lock and uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    row = uow.execute(stmt).first()
    if row is None:
        raise UnknownOrder(f"no sales order {number}", zh=f"没有销售单 {number}")
    return row


def _lines(uow, order_id: int):
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


def line_rows(uow, order_id: int) -> list[dict]:
    """An order's lines as stored, in the design's shape (with `shipped`)."""
    return [
        {**line_json(_priced(ln)), "shipped": qty_str(ln.shipped_qty)}
        for ln in _lines(uow, order_id)
    ]


def order_details(uow, number: str) -> dict:
    """What an approver decides on: the customer, the lines (with list price and discount)
    and the total."""
    so = _order(uow, number, lock=False)
    return order_details_of(uow, so, [_priced(ln) for ln in _lines(uow, so.id)])


def ship_sales_order(cmd: ShipSalesOrder, uow, user) -> dict:
    """Ship every open line of a confirmed order: issue at cost, release the reservation."""
    so = _order(uow, cmd.order)
    _check_shippable(so)
    order_wh = lookup.warehouse_code(uow, so.warehouse_id)
    wh = lookup.warehouse(uow, cmd.warehouse or order_wh)
    shipped, cogs = [], ZERO
    for line in _lines(uow, so.id):
        qty = line.qty - line.shipped_qty
        if qty <= 0:
            continue
        item = lookup.item(uow, line.sku)
        if wh.id == so.warehouse_id:
            out = ledger.stock_out(
                uow,
                item,
                wh.id,
                wh.code,
                qty,
                kind="sale",
                from_reserved=qty,
                ref=so.number,
                user=user.name,
            )
        else:  # shipped from another warehouse: release here, issue there
            ledger.release(uow, item.id, so.warehouse_id, qty)
            out = ledger.stock_out(
                uow, item, wh.id, wh.code, qty, kind="sale", ref=so.number, user=user.name
            )
        uow.execute(
            update(sl_t)
            .where(sl_t.c.id == line.id)
            .values(shipped_qty=line.qty, cost=line.cost + out.value)
        )
        cogs += out.value
        amount = line.amount if qty == line.qty else money(qty * line.price)
        shipped.append(
            {
                "item": line.sku,
                "name": line.name,
                "name_zh": line.name_zh,
                "qty": qty_str(qty),
                "amount": money_str(amount),
                "cost": money_str(out.value),
            }
        )
    uow.execute(update(so_t).where(so_t.c.id == so.id).values(status="shipped", shipped_at=uow.now))
    uow.emit(
        "SalesOrderShipped",
        order=so.number,
        warehouse=wh.code,
        lines=shipped,
        cogs=money_str(cogs),
        total=money_str(so.total),
        user=user.name,
    )
    return {
        "order": so.number,
        "status": "shipped",
        "warehouse": wh.code,
        "shipped": shipped,
        "cogs": money_str(cogs),
        **_head(uow, so),
        "lines": line_rows(uow, so.id),
    }


def _head(uow, so) -> dict:
    details = order_details_of(uow, so, [])
    return {
        "customer": details["partner"],
        "partner_name": details["partner_name"],
        "partner_name_zh": details["partner_name_zh"],
        "total": details["total"],
    }


def _check_shippable(so) -> None:
    if so.status not in ("confirmed", "partially_shipped"):
        raise InvalidState(
            f"{so.number} is {_en(so)}; only confirmed orders can be shipped",
            zh=f"{so.number} {_zh(so.status, so.approval)}，只有已确认的订单可以发货",
        )


def preview_ship(cmd: ShipSalesOrder, uow) -> dict:
    """What shipping an order would do, without doing it: the same refusals (an order not
    confirmed, stock not on hand for it, naming the other warehouses) or the customer and the
    lines it would ship with their amounts, for a confirmation that names them."""
    so = _order(uow, cmd.order, lock=False)
    _check_shippable(so)
    wh = lookup.warehouse(uow, cmd.warehouse or lookup.warehouse_code(uow, so.warehouse_id))
    shipping = []
    for line in _lines(uow, so.id):
        qty = line.qty - line.shipped_qty
        if qty <= 0:
            continue
        bal = ledger.read_balance(uow, line.item_id, wh.id)
        can = bal.available + (qty if wh.id == so.warehouse_id else ZERO)
        if qty > can and not ledger.allow_negative(uow, wh.code):
            raise ledger.shortage(uow, lookup.item(uow, line.sku), wh.id, wh.code, can, qty)
        amount = line.amount if qty == line.qty else money(qty * line.price)
        shipping.append(
            {
                "item": line.sku,
                "name": line.name,
                "name_zh": line.name_zh,
                "qty": qty_str(qty),
                "amount": money_str(amount),
            }
        )
    return {
        "order": so.number,
        "warehouse": wh.code,
        **_head(uow, so),
        "shipping": shipping,
        "lines": line_rows(uow, so.id),
    }


def cancel_sales_order(cmd: CancelSalesOrder, uow, user) -> dict:
    """Cancel an order not yet shipped: its reservation is released, its request cancelled.
    Salespeople cancel their own orders only."""
    so = _order(uow, cmd.order)
    if user.role == "sales" and so.created_by != user.name:
        raise NotPermitted(
            f"{so.number} was placed by {so.created_by}; you may cancel only your own orders",
            zh=f"{so.number} 是 {so.created_by} 下的单，您只能取消自己的订单",
        )
    if so.status not in ("pending_approval", "confirmed"):
        raise InvalidState(
            f"{so.number} is {_en(so)} and cannot be cancelled",
            zh=f"{so.number} {_zh(so.status, so.approval)}，不能取消",
        )
    if so.status == "confirmed":
        for line in _lines(uow, so.id):
            ledger.release(uow, line.item_id, so.warehouse_id, line.qty - line.shipped_qty)
    else:
        approvals.cancel_request(uow, so.approval, user)
    uow.execute(update(so_t).where(so_t.c.id == so.id).values(status="cancelled"))
    uow.emit("SalesOrderCancelled", order=so.number, user=user.name)
    return {"order": so.number, "status": "cancelled"}


def on_decision(uow, number: str, approved: bool, user) -> str:
    """Approval confirms the order and reserves its stock (refused, and the request stays
    pending, when stock no longer suffices); rejection cancels it."""
    so = _order(uow, number)
    if so.status != "pending_approval":
        raise InvalidState(
            f"{so.number} is {_en(so)}, not waiting for approval",
            zh=f"{so.number} {_zh(so.status, so.approval)}，不在待审批状态",
        )
    status = "confirmed" if approved else "cancelled"
    if approved:
        wh_code = lookup.warehouse_code(uow, so.warehouse_id)
        for line in _lines(uow, so.id):
            item = lookup.item(uow, line.sku)
            ledger.reserve(uow, item, so.warehouse_id, wh_code, line.qty)
    uow.execute(update(so_t).where(so_t.c.id == so.id).values(status=status))
    return {"subject_status": status}


_EN = {
    "pending_approval": "waiting for approval",
    "confirmed": "confirmed",
    "shipped": "already shipped",
    "cancelled": "cancelled",
    "partially_shipped": "partly shipped",
}
_ZH = {
    "pending_approval": "正在等待审批",
    "confirmed": "已确认",
    "shipped": "已发货",
    "cancelled": "已取消",
    "partially_shipped": "已部分发货",
}


def _en(so) -> str:
    text = _EN.get(so.status, so.status)
    return f"{text} ({so.approval})" if so.status == "pending_approval" and so.approval else text


def _zh(status: str, approval: str | None = None) -> str:
    text = _ZH.get(status, status)
    return f"{text}（{approval}）" if status == "pending_approval" and approval else text
