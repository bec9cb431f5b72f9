"""Shipping a sales order (`sales.ship`): every open line in full, or the lines named (a
partial shipment), each issued at cost with its reservation released."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sqlalchemy import update

from domain.errors import InvalidQuantity, InvalidState
from domain.ledger import lookup
from domain.ledger import moves as ledger
from domain.messages.commands import ShipSalesOrder
from domain.messages.events import SalesOrderShipped, ShippedLine
from domain.messages.results import MovedLine, Shipment
from domain.money import invoices
from domain.numbers import money, money_str, qty_str, quantity
from domain.orders.sales import line_rows, order_row, sl_t, so_t, stored_lines
from domain.orders.status_words import state_en, state_zh
from domain.orders.store import order_details_of

ZERO = Decimal(0)


def ship_sales_order(cmd: ShipSalesOrder, uow, user) -> Shipment:
    """Ship a confirmed (or partly shipped) order: every open line in full, or only the lines
    given (`lines`: item and quantity), which ships part of it. Each line shipped is issued at
    cost and its reservation released; the order is `partially_shipped` while a line is still
    open and `shipped` once none is. Refused: an order not confirmed (pending, cancelled,
    shipped), an item not on the order, more than a line still has open (ordered − shipped,
    which is what the order holds reserved), and more than is on hand for it."""
    so = order_row(uow, cmd.order)
    _check_shippable(so)
    order_wh = lookup.warehouse_code(uow, so.warehouse_id)
    wh = lookup.warehouse(uow, cmd.warehouse or order_wh)
    lines = stored_lines(uow, so.id)
    wanted = _wanted(uow, so, lines, cmd.lines) if cmd.lines else _open(lines)
    shipment = so.shipments + 1  # its sale moves carry it: told apart even at one instant
    shipped, cogs, worth = [], ZERO, ZERO
    for line in lines:
        qty = wanted.get(line.id)
        if not qty:
            continue
        item = lookup.item(uow, line.sku)
        here = wh.id == so.warehouse_id
        if not here:  # shipped from another warehouse: release here, issue there
            ledger.release(uow, item.id, so.warehouse_id, qty)
        out = ledger.stock_out(
            uow,
            item,
            wh.id,
            wh.code,
            qty,
            kind="sale",
            from_reserved=qty if here else ZERO,
            ref=so.number,
            user=user.name,
            shipment=shipment,
        )
        uow.execute(
            update(sl_t)
            .where(sl_t.c.id == line.id)
            .values(shipped_qty=line.shipped_qty + qty, cost=line.cost + out.value)
        )
        cogs += out.value
        worth += _amount(line, qty)
        shipped.append(
            MovedLine(
                item=line.sku,
                name=line.name,
                name_zh=line.name_zh,
                qty=qty_str(qty),
                amount=money_str(_amount(line, qty)),
                cost=money_str(out.value),
            )
        )
    left = any(line.qty > line.shipped_qty + wanted.get(line.id, ZERO) for line in lines)
    status = "partially_shipped" if left else "shipped"
    uow.execute(
        update(so_t)
        .where(so_t.c.id == so.id)
        .values(status=status, shipped_at=uow.now, shipments=shipment)
    )
    invoice = invoices.issue(uow, "sales", so.partner_id, so.number, shipment, worth)
    uow.emit(
        SalesOrderShipped(
            order=so.number,
            status=status,
            warehouse=wh.code,
            lines=tuple(ShippedLine(**line.to_json()) for line in shipped),
            cogs=money_str(cogs),
            total=money_str(so.total),
            user=user.name,
            shipment=shipment,
            invoice=invoice.number,
        )
    )
    return Shipment(
        order=so.number,
        status=status,
        warehouse=wh.code,
        shipped=tuple(shipped),
        cogs=money_str(cogs),
        **_head(uow, so),
        lines=line_rows(uow, so.id),
        shipment=shipment,
        invoice=invoice.number,
    )


def _open(lines) -> dict[int, Decimal]:
    """Every open line in full: line id → quantity still to ship."""
    return {ln.id: ln.qty - ln.shipped_qty for ln in lines if ln.qty > ln.shipped_qty}


def _amount(line, qty: Decimal) -> Decimal:
    """What shipping `qty` more of a line is worth: the worth of what will have shipped less
    the worth of what had, so a line's shipments add up to its amount to the cent (the one
    that completes it takes the remaining cents)."""

    def worth(q: Decimal) -> Decimal:
        return line.amount if q >= line.qty else money(q * line.price)

    return worth(line.shipped_qty + qty) - worth(line.shipped_qty)


def _wanted(uow, so, lines, given) -> dict[int, Decimal]:
    """The lines asked for as line id → quantity. An item on two lines fills them in order.
    Refused: an item not on the order, more than its lines still have open."""
    wanted: dict[int, Decimal] = defaultdict(Decimal)
    asked: dict[int, Decimal] = defaultdict(Decimal)
    items = {}
    for g in given:
        item = lookup.item(uow, g.item)
        ours = [ln for ln in lines if ln.item_id == item.id]
        if not ours:
            skus = list(dict.fromkeys(ln.sku for ln in lines))
            raise InvalidState(
                f"{item.sku} is not on {so.number}; it has " + ", ".join(skus),
                zh=f"{so.number} 上没有 {_label_zh(item.sku, item.name_zh)}；该单有 "
                + "、".join(skus),
            )
        items[item.id] = ours
        asked[item.id] += quantity(g.qty, item.uom)
    for item_id, qty in asked.items():
        ours = items[item_id]
        ordered = sum((ln.qty for ln in ours), ZERO)
        done = sum((ln.shipped_qty for ln in ours), ZERO)
        if qty > ordered - done:
            raise _too_many(so, ours[0], qty, ordered, done)
        for ln in ours:
            take = min(qty, ln.qty - ln.shipped_qty)
            if take > 0:
                wanted[ln.id] += take
                qty -= take
    return wanted


def _too_many(so, line, qty: Decimal, ordered: Decimal, done: Decimal) -> InvalidQuantity:
    """Shipping more than a line has open: more than ordered, or more than is left (and
    reserved) after what shipped before."""
    what, what_zh = line.sku, _label_zh(line.sku, line.name_zh)
    if not done:
        return InvalidQuantity(
            f"{so.number} has {qty_str(ordered)} {what} ordered; "
            f"{qty_str(qty)} is more than ordered",
            zh=f"{so.number} 的 {what_zh}只订了 {qty_str(ordered)}，不能发 {qty_str(qty)}",
        )
    left = ordered - done
    return InvalidQuantity(
        f"{so.number} has {qty_str(left)} {what} still to ship (reserved for it: "
        f"{qty_str(ordered)} ordered, {qty_str(done)} shipped); {qty_str(qty)} is more than that",
        zh=f"{so.number} 的 {what_zh}只剩 {qty_str(left)} 未发（为该单预留；订购 "
        f"{qty_str(ordered)}，已发 {qty_str(done)}），不能发 {qty_str(qty)}",
    )


def _label_zh(sku: str, name_zh: str | None) -> str:
    return f"{name_zh}（{sku}）" if name_zh else sku


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
            f"{so.number} is {state_en(so.status, so.approval)}; only confirmed or partly shipped orders can be shipped",
            zh=f"{so.number} {state_zh(so.status, so.approval)}，只有已确认或部分发货的订单可以发货",
        )
