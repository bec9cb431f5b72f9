"""Returns: goods of a shipped sales order coming back from the customer (`sales.return`), goods
of a received purchase order going back to the supplier (`purchase.return`).

Never more than shipped (received) less what came back before, of an item on the order. A sales
return comes back at the cost of goods of the item's shipments on the order (weighted; the return
that brings the last of them back takes what is left of their cost; FIFO as a layer at that
cost), into the warehouse named or else the one the order's latest shipment left from. A purchase
return leaves at the price it came in at (FIFO: from the layers at that cost first), from the
warehouse named or else the one the latest receipt went into. Each return is numbered per order
(its moves carry the number) and makes a credit note of quantity × the line's net price, applied
to the newest open invoice of the order. The order keeps its status; the returned quantity is
kept apart on the line (`returned_qty`).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select, update

from domain import roles
from domain.errors import InvalidQuantity, InvalidState, NotPermitted, UnknownOrder
from domain.ledger import lookup
from domain.ledger import moves as ledger
from domain.ledger.moves import item_t, move_t
from domain.messages.events import ReceivedLine
from domain.messages.results import MovedLine
from domain.model import Partner, PurchaseLine, PurchaseOrder, SalesLine, SalesOrder
from domain.money import invoices
from domain.money.commands import ReturnPurchaseOrder, ReturnSalesOrder
from domain.money.events import PurchaseOrderReturned, SalesOrderReturned
from domain.money.results import ReturnResult
from domain.numbers import money, money_str, qty_str, quantity
from domain.orders.status_words import state_en, state_zh

ZERO = Decimal(0)
UNIT = Decimal("0.000001")
partner_t = Partner.__table__
SIDES = {
    "sales": (SalesOrder.__table__, SalesLine.__table__, "shipped_qty", "sale", "sales_return"),
    "purchase": (
        PurchaseOrder.__table__,
        PurchaseLine.__table__,
        "received_qty",
        "purchase",
        "purchase_return",
    ),
}


def _order(uow, side: str, number: str):
    order_t = SIDES[side][0]
    number = number.strip().upper()
    stmt = select(order_t).where(order_t.c.number == number)
    if uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    row = uow.execute(stmt).first()
    if row is None:
        what, what_zh = ("sales", "销售") if side == "sales" else ("purchase", "采购")
        raise UnknownOrder(f"no {what} order {number}", zh=f"没有{what_zh}单 {number}")
    return row


def _lines(uow, side: str, order_id: int):
    line_t = SIDES[side][1]
    return uow.execute(
        select(line_t, item_t.c.sku, item_t.c.name, item_t.c.name_zh, item_t.c.uom)
        .select_from(line_t.join(item_t, item_t.c.id == line_t.c.item_id))
        .where(line_t.c.order_id == order_id)
        .order_by(line_t.c.line_no)
    ).all()


def _worth(line, q: Decimal) -> Decimal:
    """What `q` of a line is worth (`invoices.worth`)."""
    return invoices.worth(line.qty, line.price, line.amount, q)


def _wanted(uow, side: str, order, lines, given) -> dict[int, list]:
    """The items asked for: item id → [its lines, quantity]. Refused: an item not on the order,
    more than came (went) out of it less what came back before."""
    done = SIDES[side][2]
    asked: dict[int, list] = {}
    for g in given:
        item = lookup.item(uow, g.item)
        ours = [ln for ln in lines if ln.item_id == item.id]
        if not ours:
            skus = ", ".join(dict.fromkeys(ln.sku for ln in lines))
            raise InvalidState(
                f"{item.sku} is not on {order.number}; it has {skus}",
                zh=f"{order.number} 上没有 {item.name_zh or item.sku}（{item.sku}）；该单有 {skus}",
            )
        asked.setdefault(item.id, [ours, ZERO])[1] += quantity(g.qty, item.uom)
    for ours, qty in asked.values():
        out = sum((getattr(ln, done) for ln in ours), ZERO)
        back = sum((ln.returned_qty for ln in ours), ZERO)
        if qty > out - back:
            raise _too_many(side, order.number, ours[0], qty, out, back)
    return asked


def _too_many(side: str, number: str, line, qty, out, back) -> InvalidQuantity:
    verb, verb_zh = ("shipped", "发货") if side == "sales" else ("received", "收货")
    what_zh = f"{line.name_zh or line.sku}（{line.sku}）"
    before = f", {qty_str(back)} returned before" if back else ""
    before_zh = f"，之前已退 {qty_str(back)}" if back else ""
    return InvalidQuantity(
        f"{number} {verb} {qty_str(out)} {line.sku}{before}; {qty_str(qty)} is more than "
        f"the {qty_str(out - back)} that can go back",
        zh=f"{number} 的 {what_zh}{verb_zh} {qty_str(out)}{before_zh}，最多可退 "
        f"{qty_str(out - back)}，不能退 {qty_str(qty)}",
    )


def _check_state(side: str, order, lines) -> None:
    done = SIDES[side][2]
    if any(getattr(ln, done) > 0 for ln in lines):
        return
    verb, verb_zh = ("shipped", "发货") if side == "sales" else ("received", "收货")
    raise InvalidState(
        f"{order.number} is {state_en(order.status, order.approval)} and has {verb} nothing; "
        "only goods that went out can come back",
        zh=f"{order.number} {state_zh(order.status, order.approval)}，尚未{verb_zh}，不能退货",
    )


def _warehouse(uow, side: str, order, named: str | None):
    """The warehouse named, else the one the order's latest shipment (receipt) used."""
    if named:
        return lookup.warehouse(uow, named)
    wh_id = uow.execute(
        select(move_t.c.warehouse_id)
        .where((move_t.c.ref == order.number) & (move_t.c.kind == SIDES[side][3]))
        .order_by(move_t.c.id.desc())
        .limit(1)
    ).scalar()
    code = lookup.warehouse_code(uow, wh_id if wh_id is not None else order.warehouse_id)
    return lookup.warehouse(uow, code)


def _returned_value(uow, side: str, number: str, item_id: int) -> Decimal:
    """The stock value of what came (went) back of an item of an order before."""
    value = uow.execute(
        select(func.sum(move_t.c.value)).where(
            (move_t.c.ref == number)
            & (move_t.c.item_id == item_id)
            & (move_t.c.kind == SIDES[side][4])
        )
    ).scalar()
    return abs(value) if value is not None else ZERO


def return_sales_order(cmd: ReturnSalesOrder, uow, user) -> ReturnResult:
    """Take goods of a shipped sales order back from the customer (salespeople: their own
    orders); a credit note of quantity × net price is made."""
    return _return("sales", cmd, uow, user)


def return_purchase_order(cmd: ReturnPurchaseOrder, uow, user) -> ReturnResult:
    """Send goods of a received purchase order back to the supplier; the supplier's credit
    note lowers what we owe them."""
    return _return("purchase", cmd, uow, user)


def _return(side: str, cmd, uow, user) -> ReturnResult:
    order = _order(uow, side, cmd.order)
    intent = cmd.intent
    if roles.only_own(user.role, intent) and order.created_by != user.name:
        raise NotPermitted(
            f"{order.number} was placed by {order.created_by}; you may take returns of your "
            "own orders only",
            zh=f"{order.number} 是 {order.created_by} 下的单，您只能办理自己订单的退货",
        )
    lines = _lines(uow, side, order.id)
    _check_state(side, order, lines)
    asked = _wanted(uow, side, order, lines, cmd.lines)
    wh = _warehouse(uow, side, order, cmd.warehouse)
    cn_t = invoices.inv_t
    n = (
        1
        + uow.execute(
            select(func.count())
            .select_from(cn_t)
            .where((cn_t.c.order_ref == order.number) & (cn_t.c.kind == "credit_note"))
        ).scalar()
    )
    line_t, done = SIDES[side][1], SIDES[side][2]
    returned, credit, value_total = [], ZERO, ZERO
    for ours, qty in asked.values():
        item = lookup.item(uow, ours[0].sku)
        value = _move(side, uow, item, wh, order, ours, qty, n, cmd.reason, user)
        amount, left = ZERO, qty
        for ln in ours:  # lines of one item take it back in line order
            take = min(left, getattr(ln, done) - ln.returned_qty)
            if take <= 0:
                continue
            amount += _worth(ln, ln.returned_qty + take) - _worth(ln, ln.returned_qty)
            uow.execute(
                update(line_t)
                .where(line_t.c.id == ln.id)
                .values(returned_qty=ln.returned_qty + take)
            )
            left -= take
        credit += amount
        value_total += value
        returned.append(
            MovedLine(
                item=item.sku,
                name=item.name,
                name_zh=item.name_zh,
                qty=qty_str(qty),
                amount=money_str(amount),
                value=money_str(value),
            )
        )
    cn = invoices.issue(uow, "credit_note", order.partner_id, order.number, n, -credit)
    applied = invoices.apply_credit(uow, cn.id, order.number)
    partner = uow.execute(select(partner_t).where(partner_t.c.id == order.partner_id)).first()
    event = SalesOrderReturned if side == "sales" else PurchaseOrderReturned
    role = "customer" if side == "sales" else "supplier"
    uow.emit(
        event(
            order=order.number,
            warehouse=wh.code,
            lines=tuple(ReceivedLine(**line.to_json()) for line in returned),
            credit_note=cn.number,
            total=money_str(-credit),
            user=user.name,
            **{role: partner.code},
        )
    )
    return ReturnResult(
        order=order.number,
        status=order.status,
        kind=side,
        partner=partner.code,
        partner_name=partner.name or None,
        partner_name_zh=partner.name_zh or None,
        warehouse=wh.code,
        returned=tuple(returned),
        value=money_str(value_total),
        credit_note=cn.number,
        total=money_str(-credit),
        applied_to=applied,
        reason=(cmd.reason or "").strip() or None,
    )


def _move(side: str, uow, item, wh, order, ours, qty: Decimal, n: int, reason, user) -> Decimal:
    """The stock move of one item's return; its value."""
    if side == "purchase":
        out = ledger.stock_out(
            uow,
            item,
            wh.id,
            wh.code,
            qty,
            kind="purchase_return",
            ref=order.number,
            reason=reason or "",
            user=user.name,
            shipment=n,
            at_cost=ours[0].price,
        )
        return out.value
    shipped = sum((ln.shipped_qty for ln in ours), ZERO)
    cost = sum((ln.cost for ln in ours), ZERO)
    back = sum((ln.returned_qty for ln in ours), ZERO)
    if back + qty >= shipped:  # the last of them takes what is left of their cost
        value = cost - _returned_value(uow, "sales", order.number, item.id)
    else:
        value = money(qty * cost / shipped)
    unit = (cost / shipped).quantize(UNIT)
    return ledger.stock_in(
        uow,
        item,
        wh.id,
        qty,
        value=value,
        layers=[(qty, unit)],
        kind="sales_return",
        ref=order.number,
        reason=reason or "",
        user=user.name,
        shipment=n,
    )
