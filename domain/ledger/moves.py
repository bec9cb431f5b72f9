"""Stock moves and balances, inside a unit of work; their valuation (moving average or FIFO)
is `domain.ledger.valuation`.

Every function here runs in the caller's transaction. The balance row is locked before it is
read (`FOR UPDATE` on PostgreSQL; SQLite write transactions are `BEGIN IMMEDIATE`), and the
decrement is a guarded `UPDATE … WHERE on_hand - reserved >= q`, so no concurrent writer can take
available stock below zero.

Valuation follows the design: each move's value is rounded to 0.01 half-up; an average-cost issue
is `qty × value ÷ on_hand`; the move that empties a balance takes all of its remaining value; a
transfer moves value at the source's cost and FIFO layers travel with their costs, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import bindparam, insert, select, update

from domain import settings
from domain.errors import InsufficientStock
from domain.ledger import lookup
from domain.ledger.valuation import Outgoing, add_layers, outgoing_value
from domain.ledger.valuation import current_cost as current_cost  # read as ledger.current_cost
from domain.messages.events import StockWentNegative
from domain.model import Balance, Item, StockMove, Warehouse
from domain.numbers import money, qty_str
from domain.types import Money, Qty
from domain.uow import Prepared

balance_t = Balance.__table__
move_t = StockMove.__table__
item_t = Item.__table__
wh_t = Warehouse.__table__
ZERO = Decimal(0)


@dataclass
class BalanceRow:
    """A locked balance as read inside the transaction."""

    on_hand: Decimal
    reserved: Decimal
    value: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class Place:
    """A warehouse as a stock command names it."""

    id: int
    code: str
    name: str
    name_zh: str


# Statements of the hot path are built once; executions only bind values.
_THIS_BALANCE = (balance_t.c.item_id == bindparam("b_item")) & (
    balance_t.c.warehouse_id == bindparam("b_wh")
)
_BALANCE = select(balance_t.c.on_hand, balance_t.c.reserved, balance_t.c.value).where(_THIS_BALANCE)
_READ_BALANCE = Prepared(_BALANCE)
_LOCK_BALANCE = {"postgresql": Prepared(_BALANCE.with_for_update())}
_MOVE_COLUMNS = ("at", "item_id", "warehouse_id", "kind", "qty", "value", "unit_cost", "ref")
_INSERT_MOVE = Prepared(insert(move_t), (*_MOVE_COLUMNS, "reason", "user_name", "shipment"))
# RETURNING tells whether the row was updated on every driver (rowcount is not always set).
_ADD = (
    update(balance_t)
    .where(_THIS_BALANCE)
    .values(
        on_hand=balance_t.c.on_hand + bindparam("d_qty", type_=Qty()),
        reserved=balance_t.c.reserved + bindparam("d_reserved", type_=Qty()),
        value=balance_t.c.value + bindparam("d_value", type_=Money()),
    )
    .returning(balance_t.c.on_hand, balance_t.c.reserved, balance_t.c.value)
)
# The guard: no writer takes available below zero, whatever the others do meanwhile.
_ADD_GUARDED = Prepared(
    _ADD.where(balance_t.c.on_hand - balance_t.c.reserved >= bindparam("need", type_=Qty()))
)
# Shipping only what is reserved leaves available as it was, so the guard is that the goods are
# there: a count may have left less on hand than is reserved, and part of it can still ship.
_TAKE_RESERVED = Prepared(_ADD.where(balance_t.c.on_hand >= bindparam("take", type_=Qty())))
_ADD = Prepared(_ADD)


def _change(
    uow, item_id: int, wh_id: int, qty=ZERO, reserved=ZERO, value=ZERO, need: Decimal | None = None
) -> bool:
    """Add deltas to a balance; with `need`, only while available ≥ need. True when applied."""
    params = {
        "b_item": item_id,
        "b_wh": wh_id,
        "d_qty": qty,
        "d_reserved": reserved,
        "d_value": value,
    }
    if need is None:
        rows = _ADD.run(uow, params)
    elif need == 0 and reserved < 0:
        rows = _TAKE_RESERVED.run(uow, {**params, "take": -qty})
    else:
        rows = _ADD_GUARDED.run(uow, {**params, "need": need})
    if not rows:
        return False
    uow.balances[(item_id, wh_id)] = BalanceRow(*rows[0])  # what this unit of work left there
    return True


def read_balance(uow, item_id: int, wh_id: int) -> BalanceRow:
    """A balance as it stands (zero when the item never was in the warehouse), unlocked; one
    this unit of work changed (or, on SQLite, read) is known without asking again."""
    if (item_id, wh_id) in uow.balances:
        return uow.balances[(item_id, wh_id)]
    rows = _READ_BALANCE.run(uow, {"b_item": item_id, "b_wh": wh_id})
    if not rows:
        return BalanceRow(ZERO, ZERO, ZERO)
    bal = BalanceRow(*rows[0])
    if uow.write and uow.dialect == "sqlite":  # no other writer until this one ends
        uow.balances[(item_id, wh_id)] = bal
    return bal


# The item's columns the stock services use (fewer columns, less to convert per command).
_PLACE_ITEM = ("id", "sku", "name", "name_zh", "uom", "unit_cost", "last_receipt_cost", "costing")
_PLACE = Prepared(
    select(
        *(item_t.c[name] for name in _PLACE_ITEM),
        wh_t.c.id.label("p_id"),
        wh_t.c.code.label("p_code"),
        wh_t.c.name.label("p_name"),
        wh_t.c.name_zh.label("p_name_zh"),
        balance_t.c.on_hand.label("b_on_hand"),
        balance_t.c.reserved.label("b_reserved"),
        balance_t.c.value.label("b_value"),
    )
    .select_from(
        item_t.join(wh_t, wh_t.c.code == bindparam("code")).outerjoin(
            balance_t,
            (balance_t.c.item_id == item_t.c.id) & (balance_t.c.warehouse_id == wh_t.c.id),
        )
    )
    .where(item_t.c.sku == bindparam("sku"))
)


def place(uow, sku: str, wh_code: str | None):
    """The item and the warehouse a stock command names, as `lookup.item` and
    `lookup.warehouse` find them (and refuse them), in one query that also reads the balance
    between them. On SQLite, whose write transactions hold the database from their first
    statement, that balance is as good as locked: `lock_balance` takes it from here."""
    sku, code = sku.strip(), (wh_code or "MAIN").strip().upper()
    row = _PLACE.first(uow, {"sku": sku, "code": code})
    if row is None:  # a SKU in another case, or an unknown name: the lookups say which
        return lookup.item(uow, sku), lookup.warehouse(uow, code)
    if row.b_on_hand is not None and uow.write and uow.dialect == "sqlite":
        uow.balances[(row.id, row.p_id)] = BalanceRow(row.b_on_hand, row.b_reserved, row.b_value)
    return row, Place(row.p_id, row.p_code, row.p_name, row.p_name_zh)


def lock_balance(uow, item_id: int, wh_id: int) -> BalanceRow:
    """Read a balance row for update, creating a zero row when there is none.

    On SQLite a write transaction already excludes every other writer, so a balance this unit
    of work has read or changed is taken as it is; PostgreSQL locks the row (`FOR UPDATE`)."""
    if uow.dialect == "sqlite" and uow.write:
        known = uow.balances.get((item_id, wh_id))
        if known is not None:
            return known
    stmt = _LOCK_BALANCE.get(uow.dialect, _READ_BALANCE)
    key = {"b_item": item_id, "b_wh": wh_id}
    rows = stmt.run(uow, key)
    if not rows:
        uow.execute(
            uow.insert_ignore(balance_t),
            {
                "item_id": item_id,
                "warehouse_id": wh_id,
                "on_hand": ZERO,
                "reserved": ZERO,
                "value": ZERO,
            },
        )
        rows = stmt.run(uow, key)
    return BalanceRow(*rows[0])


def allow_negative(uow, wh_code: str) -> bool:
    """Whether a warehouse lets stock go below zero (`stock.allow_negative[.WH]`)."""
    return settings.is_on(uow, f"stock.allow_negative.{wh_code}")


def _move(uow, item_id, wh_id, kind, qty, value, ref, reason, user, shipment=None) -> None:
    unit = (abs(value) / abs(qty)).quantize(Decimal("0.000001")) if qty else None
    _INSERT_MOVE.run(
        uow,
        {
            "at": uow.now,
            "item_id": item_id,
            "warehouse_id": wh_id,
            "kind": kind,
            "qty": qty,
            "value": value,
            "unit_cost": unit,
            "ref": ref,
            "reason": reason or "",
            "user_name": user,
            "shipment": shipment,
        },
    )


def stock_in(
    uow,
    item,
    wh_id: int,
    qty: Decimal,
    *,
    unit_cost: Decimal | None = None,
    value: Decimal | None = None,
    layers: list[tuple[Decimal, Decimal]] | None = None,
    kind: str,
    ref: str = "",
    reason: str = "",
    user: str = "",
    shipment: int | None = None,
) -> Decimal:
    """Add `qty` to a balance at `unit_cost` (or at an exact `value` carried from a transfer,
    with its FIFO `layers`). Returns the move's value. `shipment` numbers the receipts (and
    returns) of the order `ref`, as it numbers a sales order's shipments."""
    lock_balance(uow, item.id, wh_id)
    if value is None:
        value = money(qty * unit_cost)
    _change(uow, item.id, wh_id, qty=qty, value=value)
    if item.costing == "fifo":
        add_layers(
            uow,
            item.id,
            wh_id,
            layers or [(qty, unit_cost if unit_cost is not None else value / qty)],
        )
    _move(uow, item.id, wh_id, kind, qty, value, ref, reason, user, shipment)
    return value


def stock_out(
    uow,
    item,
    wh_id: int,
    wh_code: str,
    qty: Decimal,
    *,
    kind: str,
    from_reserved: Decimal = ZERO,
    force: bool = False,
    ref: str = "",
    reason: str = "",
    user: str = "",
    shipment: int | None = None,
    at_cost: Decimal | None = None,
) -> Outgoing:
    """Take `qty` out of a balance, `from_reserved` of it out of its reservation (shipping;
    `shipment` numbers the order's shipments; `at_cost`: leave at the cost they came in at).

    Refused with `InsufficientStock` when available stock would go below zero, unless the
    warehouse allows negative stock or `force` is set (a count records what is physically
    there)."""
    bal = lock_balance(uow, item.id, wh_id)
    need = qty - from_reserved
    # What this move could take: its own reservation plus the free stock, but never more than
    # is on hand (a count may have left less than is reserved).
    can = bal.available
    if from_reserved:
        can = min(bal.on_hand, from_reserved + max(bal.available, ZERO))
    # Whether the warehouse allows negative stock matters only when there is not enough.
    negative_ok = force or (qty > can and allow_negative(uow, wh_code))
    if not negative_ok and qty > can:
        raise shortage(uow, item, wh_id, wh_code, can, qty)
    out = outgoing_value(uow, item, wh_id, bal, qty, at_cost)
    deltas = {"qty": -qty, "reserved": -from_reserved, "value": -out.value}
    applied = _change(uow, item.id, wh_id, **deltas, need=None if negative_ok else need)
    if not applied and not force and qty <= can and allow_negative(uow, wh_code):
        applied = _change(uow, item.id, wh_id, **deltas)
    if not applied:
        raise InsufficientStock(
            f"{item.sku} in {wh_code}: stock changed meanwhile, not enough available",
            zh=f"{wh_code} 的 {_label_zh(item)} 库存已变化，可用不足",
        )
    if bal.on_hand - qty < 0:
        uow.emit(
            StockWentNegative(sku=item.sku, warehouse=wh_code, on_hand=qty_str(bal.on_hand - qty))
        )
    _move(uow, item.id, wh_id, kind, -qty, -out.value, ref, reason, user, shipment)
    return out


def reserve(uow, item, wh_id: int, wh_code: str, qty: Decimal) -> None:
    """Reserve `qty` of available stock (a confirmed sales order)."""
    bal = lock_balance(uow, item.id, wh_id)
    negative_ok = allow_negative(uow, wh_code)
    if not negative_ok and qty > bal.available:
        raise shortage(uow, item, wh_id, wh_code, bal.available, qty)
    if not _change(uow, item.id, wh_id, reserved=qty, need=None if negative_ok else qty):
        raise InsufficientStock(
            f"{item.sku} in {wh_code}: stock changed meanwhile, not enough available to reserve",
            zh=f"{wh_code} 的 {_label_zh(item)} 库存已变化，可用不足，无法预留",
        )


def _label_zh(item) -> str:
    return f"{item.name_zh}（{item.sku}）" if getattr(item, "name_zh", "") else item.sku


def available_elsewhere(uow, item_id: int, wh_id: int) -> list[tuple[str, Decimal]]:
    """Where else an item is available: (warehouse code, available > 0), by code."""
    rows = uow.execute(
        select(wh_t.c.code, balance_t.c.on_hand, balance_t.c.reserved)
        .select_from(balance_t.join(wh_t, wh_t.c.id == balance_t.c.warehouse_id))
        .where((balance_t.c.item_id == item_id) & (balance_t.c.warehouse_id != wh_id))
        .order_by(wh_t.c.code)
    ).all()
    return [(code, on_hand - reserved) for code, on_hand, reserved in rows if on_hand > reserved]


def shortage(
    uow, item, wh_id: int, wh_code: str, available: Decimal, wanted: Decimal
) -> InsufficientStock:
    """The refusal for taking more than is available: what there is here (never below zero)
    and what the other warehouses have, so the user knows what would work."""
    have = qty_str(max(available, ZERO))
    others = available_elsewhere(uow, item.id, wh_id)
    if others:
        en_more = "; " + ", ".join(f"{qty_str(a)} in {code}" for code, a in others)
        zh_more = "；" + "，".join(f"{code} 有 {qty_str(a)}" for code, a in others)
    else:
        en_more, zh_more = "; no other warehouse has any", "；其他仓库也没有"
    unit = f" {item.uom}" if item.uom.isascii() else ""
    return InsufficientStock(
        f"only {have}{unit} of {item.sku} available in {wh_code}, "
        f"{qty_str(wanted)} wanted{en_more}",
        zh=f"{wh_code} 的 {_label_zh(item)} 可用只有 {have}，需要 {qty_str(wanted)}{zh_more}",
    )


def release(uow, item_id: int, wh_id: int, qty: Decimal) -> None:
    """Release a reservation (a cancelled order)."""
    lock_balance(uow, item_id, wh_id)
    _change(uow, item_id, wh_id, reserved=-qty)
