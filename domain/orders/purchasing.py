"""Purchase orders: create (approval when the total is over the threshold), receive (full or
per line, partial allowed), cancel. Open lines are stock on order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import bindparam, func, or_, select, update

from domain.approvals import policy as approvals
from domain.errors import BadRequest, InvalidQuantity, InvalidState, UnknownOrder
from domain.ledger import lookup
from domain.ledger import moves as ledger
from domain.ledger.moves import item_t
from domain.ledger.sequences import next_number
from domain.messages.commands import CancelPurchaseOrder, CreatePurchaseOrder, ReceivePurchaseOrder
from domain.messages.events import (
    PurchaseOrderCancelled,
    PurchaseOrderCreated,
    PurchaseOrderReceived,
    ReceivedLine,
)
from domain.messages.results import (
    Cancellation,
    MovedLine,
    OrderLineRow,
    PurchaseOrderResult,
    PurchaseReceipt,
)
from domain.model import PurchaseLine, PurchaseOrder
from domain.money import invoices
from domain.numbers import money_str, qty_str, quantity
from domain.orders.pricing import OrderLine, PricedLine, line_json, price_line, price_purchase_order
from domain.orders.status_words import state_en, state_zh
from domain.orders.store import order_details_of, store_order

po_t = PurchaseOrder.__table__
pl_t = PurchaseLine.__table__
OPEN = ("confirmed", "partially_received")
ZERO = Decimal(0)


_ON_ORDER = (
    select(pl_t.c.item_id, po_t.c.warehouse_id, pl_t.c.qty, pl_t.c.received_qty)
    .select_from(pl_t.join(po_t, po_t.c.id == pl_t.c.order_id))
    .where(or_(*(po_t.c.status == s for s in OPEN)))
)
_ON_ORDER_OF_ITEM = _ON_ORDER.where(pl_t.c.item_id == bindparam("item"))


def on_order(uow, item_ids=None, wh_id=None) -> dict[tuple[int, int], Decimal]:
    """Open purchase quantities per (item, warehouse): confirmed lines not yet received."""
    if item_ids and len(item_ids) == 1:  # the common question, a statement built once
        rows = uow.execute(_ON_ORDER_OF_ITEM, {"item": item_ids[0]})
    else:
        q = _ON_ORDER
        if item_ids:
            q = q.where(pl_t.c.item_id.in_(item_ids))
        rows = uow.execute(q)
    out: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for item_id, wh, qty, received in rows:
        if wh_id is not None and wh != wh_id:
            continue
        if qty > received:
            out[(item_id, wh)] += qty - received
    return dict(out)


def create_purchase_order(cmd: CreatePurchaseOrder, uow, user) -> PurchaseOrderResult:
    """Order goods from a supplier; over `approval.purchase_total` it waits for approval."""
    supplier = lookup.partner(uow, cmd.supplier, "supplier")
    wh = lookup.warehouse(uow, cmd.warehouse)
    items, lines = [], []
    for given in cmd.lines:
        item = lookup.item(uow, given.item)
        qty = quantity(given.qty, item.uom)
        # A purchase is priced against the standard cost; no discount is typed for it.
        priced = price_line(item.unit_cost, qty, given.price)
        items.append(item)
        lines.append(OrderLine(item.sku, item.name, item.name_zh, priced))
    price = price_purchase_order(lines, approvals.threshold(uow, "approval.purchase_total"))
    number = next_number(uow, "PO")
    _, head = store_order(
        uow,
        po_t,
        pl_t,
        subject_kind="purchase_order",
        number=number,
        partner=supplier,
        partner_role="supplier",
        wh=wh,
        total=price.total,
        lines=[
            {
                "line_no": n,
                "item_id": item.id,
                "qty": line.priced.qty,
                "price": line.priced.price,
                "amount": line.priced.amount,
                "received_qty": ZERO,
            }
            for n, (item, line) in enumerate(zip(items, lines, strict=True), start=1)
        ],
        reasons=price.reasons,
        user=user,
    )
    uow.emit(
        PurchaseOrderCreated(
            order=number,
            supplier=supplier.code,
            status=head["status"],
            total=money_str(price.total),
            user=user.name,
        )
    )
    rows = tuple(OrderLineRow(**_line_json(line), received="0") for line in lines)
    return PurchaseOrderResult(**head, lines=rows)


def _line_json(line: OrderLine) -> dict:
    """A purchase line in the design's shape: no discounts on purchases, so the list price
    shown is the price agreed."""
    p = line.priced
    return line_json(
        OrderLine(line.sku, line.name, line.name_zh, replace(p, list_price=p.price, discount=ZERO))
    )


def _lines(uow, order_id: int):
    return uow.execute(
        select(pl_t, item_t.c.sku, item_t.c.name, item_t.c.name_zh, item_t.c.uom)
        .select_from(pl_t.join(item_t, item_t.c.id == pl_t.c.item_id))
        .where(pl_t.c.order_id == order_id)
        .order_by(pl_t.c.line_no)
    ).all()


def _priced(ln) -> OrderLine:
    return OrderLine(
        ln.sku, ln.name, ln.name_zh, PricedLine(ln.qty, ln.price, ZERO, ln.price, ln.amount)
    )


def line_rows(uow, order_id: int) -> tuple[OrderLineRow, ...]:
    """An order's lines as stored, in the design's shape (with `received`)."""
    return tuple(
        OrderLineRow(**line_json(_priced(ln)), received=qty_str(ln.received_qty))
        for ln in _lines(uow, order_id)
    )


def order_details(uow, number: str) -> dict:
    """What an approver decides on: the supplier, the lines and the total."""
    po = _order(uow, number, lock=False)
    return order_details_of(uow, po, [_priced(ln) for ln in _lines(uow, po.id)])


def _order(uow, number: str, *, lock: bool = True):
    number = number.strip().upper()
    stmt = select(po_t).where(po_t.c.number == number)
    if lock and uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    row = uow.execute(stmt).first()
    if row is None:
        raise UnknownOrder(f"no purchase order {number}", zh=f"没有采购单 {number}")
    return row


def receive_purchase_order(cmd: ReceivePurchaseOrder, uow, user) -> PurchaseReceipt:
    """Receive what arrived: every open line in full, or the lines given (partial allowed;
    more than ordered is refused)."""
    po = _order(uow, cmd.order)
    if po.status not in OPEN:
        raise InvalidState(
            f"{po.number} is {state_en(po.status, po.approval)}; only confirmed orders can be received",
            zh=f"{po.number} {state_zh(po.status, po.approval)}，只有已确认的采购单可以收货",
        )
    wh = lookup.warehouse(uow, cmd.warehouse) if cmd.warehouse else None
    wh_id = wh.id if wh else po.warehouse_id
    wh_code = wh.code if wh else lookup.warehouse_code(uow, po.warehouse_id)
    lines = _lines(uow, po.id)
    wanted: dict[int, Decimal] = {}
    if cmd.lines:
        by_sku = {ln.sku.upper(): ln for ln in lines}
        for given in cmd.lines:
            item = lookup.item(uow, given.item)
            line = by_sku.get(item.sku.upper())
            if line is None:
                raise InvalidState(
                    f"{item.sku} is not on {po.number}; it has "
                    + ", ".join(ln.sku for ln in lines),
                    zh=f"{po.number} 上没有 {item.name_zh or item.sku}（{item.sku}）；该单有 "
                    + "、".join(ln.sku for ln in lines),
                )
            wanted[line.id] = wanted.get(line.id, ZERO) + quantity(given.qty, line.uom)
    else:
        wanted = {ln.id: ln.qty - ln.received_qty for ln in lines if ln.qty > ln.received_qty}
    received, worth = [], ZERO
    receipt = po.receipts + 1  # its purchase moves carry it, as a shipment's sale moves do
    for line in lines:
        qty = wanted.get(line.id)
        if not qty:
            continue
        if line.received_qty + qty > line.qty:
            raise InvalidQuantity(
                f"{line.sku}: receiving {qty_str(qty)} would exceed the "
                f"{qty_str(line.qty - line.received_qty)} still open on {po.number}",
                zh=f"{line.name_zh or line.sku}（{line.sku}）收货 {qty_str(qty)} 超过 {po.number} 未收数量 "
                f"{qty_str(line.qty - line.received_qty)}",
            )
        item = lookup.item(uow, line.sku)
        value = ledger.stock_in(
            uow,
            item,
            wh_id,
            qty,
            unit_cost=line.price,
            kind="purchase",
            ref=po.number,
            user=user.name,
            shipment=receipt,
        )
        uow.execute(
            update(pl_t).where(pl_t.c.id == line.id).values(received_qty=line.received_qty + qty)
        )
        uow.execute(
            update(item_t).where(item_t.c.id == item.id).values(last_receipt_cost=line.price)
        )
        # The receipt that completes a line takes its remaining cents, as a shipment does.
        amount = _worth(line, line.received_qty + qty) - _worth(line, line.received_qty)
        worth += amount
        received.append(
            MovedLine(
                item=line.sku,
                name=line.name,
                name_zh=line.name_zh,
                qty=qty_str(qty),
                amount=money_str(amount),
                value=money_str(value),
            )
        )
    if not received:
        raise InvalidState(f"{po.number} has nothing left to receive", zh=f"{po.number} 已全部收货")
    open_left = uow.execute(
        select(func.count())
        .select_from(pl_t)
        .where((pl_t.c.order_id == po.id) & (pl_t.c.received_qty < pl_t.c.qty))
    ).scalar()
    status = "partially_received" if open_left else "received"
    uow.execute(update(po_t).where(po_t.c.id == po.id).values(status=status, receipts=receipt))
    bill = invoices.issue(uow, "purchase", po.partner_id, po.number, receipt, worth)
    uow.emit(
        PurchaseOrderReceived(
            order=po.number,
            status=status,
            warehouse=wh_code,
            lines=tuple(ReceivedLine(**line.to_json()) for line in received),
            user=user.name,
            receipt=receipt,
            invoice=bill.number,
        )
    )
    return PurchaseReceipt(
        order=po.number,
        status=status,
        warehouse=wh_code,
        received=tuple(received),
        lines=line_rows(uow, po.id),
        receipt=receipt,
        invoice=bill.number,
    )


def _worth(line, qty: Decimal) -> Decimal:
    """What `qty` of a line is worth (`domain.money.invoices.worth`)."""
    return invoices.worth(line.qty, line.price, line.amount, qty)


def cancel_purchase_order(cmd: CancelPurchaseOrder, uow, user) -> Cancellation:
    """Cancel a purchase order that has received nothing (its pending request too)."""
    po = _order(uow, cmd.order)
    if po.status not in ("pending_approval", "confirmed"):
        raise InvalidState(
            f"{po.number} is {state_en(po.status, po.approval)} and cannot be cancelled",
            zh=f"{po.number} {state_zh(po.status, po.approval)}，不能取消",
        )
    uow.execute(update(po_t).where(po_t.c.id == po.id).values(status="cancelled"))
    if po.status == "pending_approval":
        approvals.cancel_request(uow, po.approval, user)
    uow.emit(PurchaseOrderCancelled(order=po.number, user=user.name))
    return Cancellation(order=po.number, status="cancelled", reason=_reason(cmd.reason))


def on_decision(uow, number: str, approved: bool, user) -> str:
    """Apply an approval decision to a pending purchase order."""
    po = _order(uow, number)
    if po.status != "pending_approval":
        raise InvalidState(
            f"{po.number} is {state_en(po.status, po.approval)}, not waiting for approval",
            zh=f"{po.number} {state_zh(po.status, po.approval)}，不在待审批状态",
        )
    # An amended order that had received part of itself waits again: approval reopens the
    # rest, rejection closes it with what arrived.
    received = any(ln.received_qty > 0 for ln in _lines(uow, po.id))
    if approved:
        status = "partially_received" if received else "confirmed"
    else:
        status = "received" if received else "cancelled"
    uow.execute(update(po_t).where(po_t.c.id == po.id).values(status=status))
    return {"subject_status": status}


def _reason(text: str | None) -> str | None:
    """A cancellation's reason as typed (at most 500 characters), or None."""
    text = (text or "").strip()
    if len(text) > 500:
        raise BadRequest("a reason is at most 500 characters", zh="理由最多 500 个字符")
    return text or None
