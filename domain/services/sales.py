"""Sales orders: create (availability, credit and discount checks; stock reserved once
confirmed), ship (issue at cost, reservation released), cancel (releases).

Exposure for the credit check = confirmed orders not yet shipped + shipped and unpaid. Until
payments are recorded, every shipped order counts as unpaid.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import func, select, update

from domain import ledger, lookup, settings
from domain.commands import CancelSalesOrder, CreateSalesOrder, ShipSalesOrder
from domain.errors import InsufficientStock, InvalidAmount, InvalidState, NotPermitted, UnknownOrder
from domain.ledger import balance_t, item_t
from domain.model import SalesLine, SalesOrder
from domain.numbers import money, money_str, price_str, qty_str, quantity, unit_cost
from domain.sequences import next_number
from domain.services import approvals
from domain.services.documents import store_order

so_t = SalesOrder.__table__
sl_t = SalesLine.__table__
ZERO = Decimal(0)
HUNDRED = Decimal(100)


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
    row = uow.execute(
        select(balance_t.c.on_hand, balance_t.c.value).where(
            (balance_t.c.item_id == item_id) & (balance_t.c.warehouse_id == wh_id)
        )
    ).first()
    if row is None or row.on_hand <= 0:
        return None
    return row.value / row.on_hand


def create_sales_order(cmd: CreateSalesOrder, uow, user) -> dict:
    """Sell to a customer. Refused at once when stock does not suffice; waits for approval when
    over the credit limit, discounted beyond the threshold, or priced below average cost."""
    customer = lookup.partner(uow, cmd.customer, "customer")
    wh = lookup.warehouse(uow, cmd.warehouse)
    max_disc = settings.get_decimal(uow, "approval.sales_discount_pct")
    anomaly_pct = settings.get_decimal(uow, "anomaly.price_pct")
    lines, reasons, anomalies = [], [], []
    need: dict[int, Decimal] = defaultdict(Decimal)
    for n, line in enumerate(cmd.lines, start=1):
        item = lookup.item(uow, line.item)
        qty = quantity(line.qty, item.uom)
        list_price = item.unit_price or ZERO
        if line.discount is not None:
            if not ZERO <= line.discount < HUNDRED:
                raise InvalidAmount(
                    f"discount must be between 0 and 100 %, not {line.discount}",
                    zh="折扣必须在 0 到 100% 之间",
                )
            price = list_price * (HUNDRED - line.discount) / HUNDRED
            price = price.quantize(Decimal("0.000001"))
        else:
            price = unit_cost(line.price if line.price is not None else list_price)
        disc = (list_price - price) / list_price * HUNDRED if list_price > 0 else ZERO
        if disc > max_disc:
            reasons.append(
                f"{item.sku}: discount {approvals.pct(disc)} is over {approvals.pct(max_disc)}"
            )
        if disc > anomaly_pct:
            anomalies.append(
                {
                    "sku": item.sku,
                    "price": price_str(price),
                    "list_price": price_str(list_price),
                    "discount_pct": float(round(disc, 2)),
                }
            )
        avg = _avg_cost(uow, item.id, wh.id)
        if avg is not None and price < avg:
            reasons.append(
                f"{item.sku}: price {price:f} is below average cost "
                f"{avg.quantize(Decimal('0.0001'))}"
            )
        need[item.id] += qty
        lines.append((n, item, qty, price, list_price, disc, money(qty * price)))
    for item_id, qty in need.items():
        bal = ledger.lock_balance(uow, item_id, wh.id)
        if qty > bal.available and not ledger.allow_negative(uow, wh.code):
            sku = next(i.sku for _, i, *_ in lines if i.id == item_id)
            raise InsufficientStock(
                f"only {qty_str(bal.available)} of {sku} available in {wh.code}, "
                f"{qty_str(qty)} ordered",
                zh=f"{wh.code} 的 {sku} 可用只有 {qty_str(bal.available)}，订购 {qty_str(qty)}",
            )
    total = sum((line[-1] for line in lines), ZERO)
    if settings.is_on(uow, "approval.credit_check"):
        exposed = exposure(uow, customer.id)
        if exposed + total > customer.credit_limit:
            reasons.append(
                f"exposure {money_str(exposed)} + order {money_str(total)} is over "
                f"the credit limit {money_str(customer.credit_limit)}"
            )
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
        total=total,
        lines=[
            {
                "line_no": n,
                "item_id": item.id,
                "qty": qty,
                "price": price,
                "list_price": lp,
                "discount_pct": disc.quantize(Decimal("0.000001")),
                "amount": amount,
                "shipped_qty": ZERO,
                "cost": ZERO,
            }
            for n, item, qty, price, lp, disc, amount in lines
        ],
        reasons=reasons,
        user=user,
    )
    status = result["status"]
    if not reasons:
        for _, item, qty, *_ in lines:
            ledger.reserve(uow, item, wh.id, wh.code, qty)
    for a in anomalies:
        uow.emit("SalesPriceAnomaly", order=number, customer=customer.code, **a)
    uow.emit(
        "SalesOrderCreated",
        order=number,
        customer=customer.code,
        status=status,
        total=money_str(total),
        user=user.name,
    )
    result["lines"] = [
        {
            "item": item.sku,
            "qty": qty_str(qty),
            "price": price_str(price),
            "amount": money_str(amount),
        }
        for _, item, qty, price, _, _, amount in lines
    ]
    return result


def _order(uow, number: str):
    number = number.strip().upper()
    stmt = select(so_t).where(so_t.c.number == number)
    if uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    row = uow.execute(stmt).first()
    if row is None:
        raise UnknownOrder(f"no sales order {number}", zh=f"没有销售单 {number}")
    return row


def _lines(uow, order_id: int):
    return uow.execute(
        select(sl_t, item_t.c.sku)
        .select_from(sl_t.join(item_t, item_t.c.id == sl_t.c.item_id))
        .where(sl_t.c.order_id == order_id)
        .order_by(sl_t.c.line_no)
    ).all()


def ship_sales_order(cmd: ShipSalesOrder, uow, user) -> dict:
    """Ship every open line of a confirmed order: issue at cost, release the reservation."""
    so = _order(uow, cmd.order)
    if so.status not in ("confirmed", "partially_shipped"):
        raise InvalidState(
            f"{so.number} is {so.status}; only confirmed orders can be shipped",
            zh=f"{so.number} 状态为 {_zh(so.status)}，只有已确认的订单可以发货",
        )
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
        shipped.append({"item": line.sku, "qty": qty_str(qty), "cost": money_str(out.value)})
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
    }


def cancel_sales_order(cmd: CancelSalesOrder, uow, user) -> dict:
    """Cancel an order not yet shipped: its reservation is released, its request cancelled.
    Salespeople cancel their own orders only."""
    so = _order(uow, cmd.order)
    if user.role == "sales" and so.created_by != user.name:
        raise NotPermitted(
            f"{so.number} was placed by {so.created_by}; you may cancel only your own orders",
            zh=f"{so.number} 不是您下的单，不能取消",
        )
    if so.status not in ("pending_approval", "confirmed"):
        raise InvalidState(
            f"{so.number} is {so.status} and cannot be cancelled",
            zh=f"{so.number} 状态为 {_zh(so.status)}，不能取消",
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
        raise InvalidState(f"{so.number} is {so.status}, not pending approval")
    status = "confirmed" if approved else "cancelled"
    if approved:
        wh_code = lookup.warehouse_code(uow, so.warehouse_id)
        for line in _lines(uow, so.id):
            item = lookup.item(uow, line.sku)
            ledger.reserve(uow, item, so.warehouse_id, wh_code, line.qty)
    uow.execute(update(so_t).where(so_t.c.id == so.id).values(status=status))
    return status


_ZH = {
    "pending_approval": "待审批",
    "confirmed": "已确认",
    "shipped": "已发货",
    "cancelled": "已取消",
    "partially_shipped": "部分发货",
}


def _zh(status: str) -> str:
    return _ZH.get(status, status)
