"""The steps an amendment of either kind of order goes through (`domain.orders.amend`):
who may amend and when, the plan of every item's line after it (and what changed), the lines
stored, the order's new status and approval, and the result as `jxc orders` shows it.

`OrderKind` holds what differs between a sales and a purchase order, with the statements an
amendment runs, prepared once."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from sqlalchemy import bindparam, delete, insert, select, update

from domain import roles
from domain.approvals import policy as approvals
from domain.errors import InvalidQuantity, InvalidState, MissingSlot, NotPermitted, UnknownOrder
from domain.ledger import lookup
from domain.ledger.moves import item_t
from domain.messages.events import AmendedLine
from domain.messages.results import Amendment, LineChange, OrderLineRow
from domain.model import Partner, Warehouse
from domain.numbers import money_str, price_str, qty_str, quantity
from domain.orders.pricing import PRICE_STEP, OrderLine, PricedLine, discount_str, line_json
from domain.orders.status_words import state_en, state_zh
from domain.uow import Prepared

ZERO = Decimal(0)
partner_t = Partner.__table__
wh_t = Warehouse.__table__


@dataclass
class Planned:
    """One item's line after the amendment: the stored line it replaces (None: a new line),
    the item, the line priced, and what already moved of it (shipped or received)."""

    line: object | None
    item: object
    priced: PricedLine
    done: Decimal

    @property
    def old_open(self) -> Decimal:
        return self.line.qty - self.done if self.line is not None else ZERO

    @property
    def new_open(self) -> Decimal:
        return self.priced.qty - self.done


@dataclass(frozen=True)
class OrderKind:
    """What differs between amending a sales and a purchase order, and the statements an
    amendment runs, prepared once."""

    prefix: str
    subject_kind: str
    order_t: object
    line_t: object
    done_col: str  # shipped_qty | received_qty
    open_statuses: tuple[str, ...]

    def __post_init__(self):
        o, t = self.order_t, self.line_t
        head = select(
            o, partner_t.c.code.label("partner"), wh_t.c.code.label("warehouse")
        ).select_from(
            o.join(partner_t, partner_t.c.id == o.c.partner_id).join(
                wh_t, wh_t.c.id == o.c.warehouse_id
            )
        )
        values = {"qty": bindparam("b_qty", type_=t.c.qty.type)}
        for col in ("price", "amount") + (
            ("list_price", "discount_pct") if self.prefix == "SO" else ()
        ):
            values[col] = bindparam(f"b_{col}", type_=t.c[col].type)
        prepared = {
            # FOR UPDATE on PostgreSQL; SQLite's write transaction already excludes writers.
            "head": Prepared(head.where(o.c.number == bindparam("n")).with_for_update(of=o)),
            "lines": Prepared(
                select(t, item_t.c.sku, item_t.c.name, item_t.c.name_zh, item_t.c.uom)
                .select_from(t.join(item_t, item_t.c.id == t.c.item_id))
                .where(t.c.order_id == bindparam("o"))
                .order_by(t.c.line_no)
            ),
            "line": Prepared(update(t).where(t.c.id == bindparam("b_id")).values(**values)),
            "order": Prepared(
                update(o)
                .where(o.c.id == bindparam("b_id"))
                .values(
                    status=bindparam("b_status", type_=o.c.status.type),
                    total=bindparam("b_total", type_=o.c.total.type),
                    approval=bindparam("b_approval", type_=o.c.approval.type),
                )
            ),
        }
        object.__setattr__(self, "sql", prepared)

    def order(self, uow, number: str):
        """The order by number, locked for this transaction, with its partner's code."""
        number = number.strip().upper()
        row = self.sql["head"].first(uow, {"n": number})
        if row is None:
            kind = "sales" if self.prefix == "SO" else "purchase"
            raise UnknownOrder(
                f"no {kind} order {number}",
                zh=f"没有{'销售' if self.prefix == 'SO' else '采购'}单 {number}",
            )
        return row

    def lines(self, uow, order_id: int) -> list:
        return self.sql["lines"].run(uow, {"o": order_id})


def check_amendable(uow, order, user, kind: OrderKind) -> None:
    """Only the order's creator or an admin amends it, and only while it is open."""
    if not roles.is_admin(user.role) and order.created_by.lower() != user.name.lower():
        raise NotPermitted(
            f"{order.number} was placed by {order.created_by}; you may change only your own "
            "orders (or ask an admin)",
            zh=f"{order.number} 是 {order.created_by} 下的单，您只能修改自己的订单（或请管理员修改）",
        )
    if order.status not in kind.open_statuses:
        raise InvalidState(
            f"{order.number} is {state_en(order.status)} and can no longer be changed",
            zh=f"{order.number} {state_zh(order.status)}，不能再修改",
        )


def plan_lines(uow, order, lines, given, kind: OrderKind, existing, priced):
    """Every item's line after the amendment, and what changed (`LineChange`s in order)."""
    skus = list(dict.fromkeys(ln.sku for ln in lines))
    wanted: dict[int, tuple] = {}
    for g in given:
        if g.item:
            item = lookup.item(uow, g.item)
        elif len(skus) == 1:
            item = lookup.item(uow, skus[0])
        else:
            raise MissingSlot(
                f"which item of {order.number}? it has {', '.join(skus)}",
                zh=f"要改 {order.number} 的哪个商品？该单有 {'、'.join(skus)}",
            )
        if g.qty < 0:
            raise InvalidQuantity(
                f"quantity must be zero or more, got {qty_str(g.qty)}",
                zh=f"数量不能为负数，收到 {qty_str(g.qty)}",
            )
        wanted[item.id] = (item, quantity(g.qty, item.uom, allow_zero=True), g)
    plan, changes = [], []
    seen: set[int] = set()
    for ln in lines:
        done = getattr(ln, kind.done_col)
        w = wanted.get(ln.item_id) if ln.item_id not in seen else None
        seen.add(ln.item_id)
        if w is None:
            plan.append(Planned(ln, lookup.item(uow, ln.sku), existing(ln), done))
            continue
        item, qty, g = w
        if qty < done:
            verb, verb_zh = ("shipped", "已发") if kind.prefix == "SO" else ("received", "已收")
            raise InvalidQuantity(
                f"{order.number}: {item.sku} has {qty_str(done)} {verb} already; it cannot go "
                f"down to {qty_str(qty)}",
                zh=f"{order.number} 的 {item.name_zh or item.sku}（{item.sku}）{verb_zh} "
                f"{qty_str(done)}，不能改成 {qty_str(qty)}",
            )
        new = priced(ln, item, qty, g)
        old = existing(ln)
        plan.append(Planned(ln, item, new, done))
        change = line_change(item.sku, old, new, kind)
        if change is not None:
            changes.append(change)
    for item_id, (item, qty, g) in wanted.items():
        if item_id in seen:
            continue
        if qty == 0:
            raise InvalidState(
                f"{item.sku} is not on {order.number}; it has {', '.join(skus)}",
                zh=f"{order.number} 上没有 {item.name_zh or item.sku}（{item.sku}）；该单有 "
                + "、".join(skus),
            )
        new = priced(None, item, qty, g)
        plan.append(Planned(None, item, new, ZERO))
        changes.append(LineChange(item=item.sku, from_="0", to=qty_str(qty)))
    if not changes:
        raise InvalidState(
            f"{order.number} already has these quantities; nothing to change",
            zh=f"{order.number} 已经是这些数量，无需修改",
        )
    if not any(p.priced.qty > 0 for p in plan):
        raise InvalidState(
            f"that would leave {order.number} without lines; cancel it instead",
            zh=f"这样 {order.number} 就没有商品了；请直接取消该单",
        )
    return plan, changes


def line_change(sku: str, old: PricedLine, new: PricedLine, kind: OrderKind) -> LineChange | None:
    price = discount = None
    if new.price != old.price:
        price = {"from": price_str(old.price), "to": price_str(new.price)}
    if kind.prefix == "SO" and discount_str(new.discount) != discount_str(old.discount):
        discount = {"from": discount_str(old.discount), "to": discount_str(new.discount)}
    if new.qty == old.qty and price is None and discount is None:
        return None
    return LineChange(
        item=sku, from_=qty_str(old.qty), to=qty_str(new.qty), price=price, discount=discount
    )


def store_lines(uow, order_id: int, plan: list[Planned], kind: OrderKind) -> None:
    """Write the lines: changed ones updated, emptied ones (nothing moved) deleted, new ones
    added after the last."""
    t = kind.line_t
    last = max((p.line.line_no for p in plan if p.line is not None), default=0)
    for p in plan:
        values = {"qty": p.priced.qty, "price": p.priced.price, "amount": p.priced.amount}
        if kind.prefix == "SO":
            values.update(
                list_price=p.priced.list_price,
                discount_pct=p.priced.discount.quantize(PRICE_STEP),
            )
        if p.line is None:
            last += 1
            extra = {"cost": ZERO} if kind.prefix == "SO" else {}
            uow.execute(
                insert(t).values(
                    order_id=order_id,
                    line_no=last,
                    item_id=p.item.id,
                    **{kind.done_col: ZERO},
                    **values,
                    **extra,
                )
            )
        elif p.priced.qty == 0 and p.done == 0:
            uow.execute(delete(t).where(t.c.id == p.line.id))
        elif p.priced != stored_price(p.line, kind):
            kind.sql["line"].run(
                uow, {"b_id": p.line.id, **{f"b_{k}": v for k, v in values.items()}}
            )


def stored_price(ln, kind: OrderKind) -> PricedLine:
    if kind.prefix == "SO":
        return PricedLine(ln.qty, ln.list_price, ln.discount_pct, ln.price, ln.amount)
    return PricedLine(ln.qty, ln.price, ZERO, ln.price, ln.amount)


def new_status(plan: list[Planned], waits: bool, done: str, partly: str) -> str:
    if waits:
        return "pending_approval"
    moved = any(p.done > 0 for p in plan)
    if not any(p.new_open > 0 for p in plan):
        return done
    return partly if moved else "confirmed"


def settle(uow, order, status: str, total: Decimal, reasons, user, kind: OrderKind) -> str | None:
    """The order's new head, and its request: a new one when it waits (replacing a pending
    one), the pending one cancelled when it no longer needs approval."""
    approval = order.approval
    if status == "pending_approval":
        approval = approvals.request_approval(uow, kind.subject_kind, order.number, reasons, user)
        if order.status == "pending_approval":
            approvals.cancel_request(uow, order.approval, user, reason=f"replaced by {approval}")
    elif order.status == "pending_approval":
        approvals.cancel_request(
            uow, order.approval, user, reason="no longer needs approval after an amendment"
        )
        approval = None
    kind.sql["order"].run(
        uow, {"b_id": order.id, "b_status": status, "b_total": total, "b_approval": approval}
    )
    return approval


def event_changes(changes: list[LineChange]) -> tuple[AmendedLine, ...]:
    return tuple(AmendedLine(item=c.item, qty_from=c.from_, qty_to=c.to) for c in changes)


def amendment_result(order, status: str, price, plan, changes, kind: OrderKind) -> Amendment:
    """The order as `jxc orders` shows it after the amendment (built from what was stored,
    without reading it back), with the changes."""
    rows = []
    for p in plan:
        if p.priced.qty == 0 and p.done == 0:
            continue  # the line was deleted
        priced = p.priced
        if kind.prefix == "PO":  # no discounts on purchases: the list price is the price agreed
            priced = PricedLine(priced.qty, priced.price, ZERO, priced.price, priced.amount)
        shown = line_json(OrderLine(p.item.sku, p.item.name, p.item.name_zh, priced))
        done = {"shipped" if kind.prefix == "SO" else "received": qty_str(p.done)}
        rows.append(OrderLineRow(**shown, **done))
    waits = status == "pending_approval"
    head = {
        "order": order.number,
        "kind": "sales" if kind.prefix == "SO" else "purchase",
        "partner": order.partner,
        "status": status,
        "total": money_str(price.total),
        "created_at": order.created_at.isoformat(),
        "created_by": order.created_by,
        "lines": tuple(rows),
        "approval": order.approval if waits else None,
    }
    if waits and {"reasons", "reasons_zh"} <= {f.name for f in fields(Amendment)}:
        head.update(
            reasons=tuple(r.en for r in price.reasons),
            reasons_zh=tuple(r.zh for r in price.reasons),
        )
    return Amendment(**head, changes=tuple(changes))
