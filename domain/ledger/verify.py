"""The accountant's proof: rebuild what the ledger keeps from what it appended, and compare.

Balances (on hand, value) are the sums of the append-only stock moves; reservations are what the
confirmed and partly shipped sales orders still have to ship; FIFO layers hold exactly the stock
(received in total what came in, consumed oldest first); an order line has received or shipped
what its moves say (quantity, and a sales line's cost of goods). Read-only: one read unit of work.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from domain.model import (
    Balance,
    FifoLayer,
    Item,
    PurchaseLine,
    PurchaseOrder,
    SalesLine,
    SalesOrder,
    StockMove,
    Warehouse,
)
from domain.money.verify import verify_money
from domain.numbers import money_str, qty_str

ZERO = Decimal(0)
MONEY_FIELDS = ("value", "cost", "total", "paid", "open", "unallocated", "balance")
RESERVING = ("confirmed", "partially_shipped")

balance_t = Balance.__table__
move_t = StockMove.__table__
layer_t = FifoLayer.__table__
item_t = Item.__table__
wh_t = Warehouse.__table__
po_t, pl_t = PurchaseOrder.__table__, PurchaseLine.__table__
so_t, sl_t = SalesOrder.__table__, SalesLine.__table__


@dataclass(frozen=True)
class Difference:
    """One stored figure that the moves and documents do not rebuild."""

    kind: str  # balance | fifo | purchase_order | sales_order | invoice | payment | partner | order_line
    field: str
    stored: Decimal
    rebuilt: Decimal
    sku: str
    warehouse: str | None = None
    order: str | None = None
    layer: int | None = None
    # Money: the partner and the document (invoice, bill, credit note, payment) it is about.
    partner: str | None = None
    invoice: str | None = None

    def to_dict(self) -> dict:
        out = {"kind": self.kind, "sku": self.sku}
        for name in ("warehouse", "order", "layer", "partner", "invoice"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        fmt = money_str if self.field in MONEY_FIELDS else qty_str
        return {
            **out,
            "field": self.field,
            "stored": fmt(self.stored),
            "rebuilt": fmt(self.rebuilt),
        }


@dataclass
class Verification:
    """What `verify_books` checked, and every difference it found."""

    moves: int = 0
    balances: int = 0
    fifo_layers: int = 0
    order_lines: int = 0
    invoices: int = 0
    payments: int = 0
    partners: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences

    def to_dict(self) -> dict:
        return {
            "ok": self.ok,
            "checked": {
                "moves": self.moves,
                "balances": self.balances,
                "fifo_layers": self.fifo_layers,
                "order_lines": self.order_lines,
                "invoices": self.invoices,
                "payments": self.payments,
                "partners": self.partners,
            },
            "differences": [d.to_dict() for d in self.differences],
        }


def verify_books(uow) -> Verification:
    """Rebuild balances, reservations, FIFO layers and order quantities from the moves and the
    documents, and list every stored figure that differs. Changes nothing."""
    out = Verification()
    skus = dict(uow.execute(select(item_t.c.id, item_t.c.sku)).all())
    fifo = set(uow.execute(select(item_t.c.id).where(item_t.c.costing == "fifo")).scalars())
    whs = dict(uow.execute(select(wh_t.c.id, wh_t.c.code)).all())

    qty, value, qty_in = defaultdict(Decimal), defaultdict(Decimal), defaultdict(Decimal)
    by_order = defaultdict(Decimal)  # (kind, ref, item) -> qty, and the sales lines' cost
    for m in uow.execute(
        select(
            move_t.c.item_id,
            move_t.c.warehouse_id,
            move_t.c.kind,
            move_t.c.qty,
            move_t.c.value,
            move_t.c.ref,
        )
    ):
        out.moves += 1
        key = (m.item_id, m.warehouse_id)
        qty[key] += m.qty
        value[key] += m.value
        if m.qty > 0:
            qty_in[key] += m.qty
        if m.kind in ("purchase", "sale") and m.ref:
            by_order[(m.kind, m.ref, m.item_id, "qty")] += abs(m.qty)
            if m.kind == "sale":
                by_order[(m.kind, m.ref, m.item_id, "cost")] -= m.value

    reserved = defaultdict(Decimal)
    for line in uow.execute(
        select(so_t.c.warehouse_id, sl_t.c.item_id, sl_t.c.qty, sl_t.c.shipped_qty)
        .join(so_t, so_t.c.id == sl_t.c.order_id)
        .where(so_t.c.status.in_(RESERVING))
    ):
        reserved[(line.item_id, line.warehouse_id)] += line.qty - line.shipped_qty

    stored = {
        (b.item_id, b.warehouse_id): b
        for b in uow.execute(
            select(
                balance_t.c.item_id,
                balance_t.c.warehouse_id,
                balance_t.c.on_hand,
                balance_t.c.reserved,
                balance_t.c.value,
            )
        )
    }
    for key in sorted(set(stored) | set(qty) | set(reserved)):
        out.balances += 1
        row = stored.get(key)
        rebuilt = {"on_hand": qty[key], "reserved": reserved[key], "value": value[key]}
        for name, figure in rebuilt.items():
            kept = getattr(row, name) if row is not None else ZERO
            if kept != figure:
                out.differences.append(
                    Difference("balance", name, kept, figure, skus[key[0]], whs[key[1]])
                )

    _check_fifo(uow, out, fifo, qty, qty_in, skus, whs)
    _check_orders(uow, out, by_order, skus)
    verify_money(uow, out, _money_difference)
    return out


def _money_difference(name: str, stored, rebuilt, sku: str, **where) -> Difference:
    """A difference of the money's books: an invoice's total, paid or open amount, a
    payment's unallocated part, a partner's balance, a line's returned quantity."""
    kind = "partner" if name == "balance" else "invoice" if where.get("invoice") else "order_line"
    if name == "unallocated":
        kind = "payment"
    return Difference(kind, name, stored, rebuilt, sku, **where)


def _check_fifo(uow, out: Verification, fifo: set, qty, qty_in, skus, whs) -> None:
    layers = defaultdict(list)
    for layer in uow.execute(
        select(
            layer_t.c.id,
            layer_t.c.item_id,
            layer_t.c.warehouse_id,
            layer_t.c.qty_in,
            layer_t.c.qty_left,
        ).order_by(layer_t.c.id)
    ):
        layers[(layer.item_id, layer.warehouse_id)].append(layer)
    keys = {k for k in set(qty) | set(layers) if k[0] in fifo}
    for key in sorted(keys):
        sku, wh = skus[key[0]], whs[key[1]]
        rows = layers.get(key, [])
        out.fifo_layers += len(rows)
        left = sum((r.qty_left for r in rows), ZERO)
        took = sum((r.qty_in for r in rows), ZERO)
        if qty[key] >= 0 and left != qty[key]:
            out.differences.append(Difference("fifo", "qty_left", left, qty[key], sku, wh))
        if took != qty_in[key]:
            out.differences.append(Difference("fifo", "qty_in", took, qty_in[key], sku, wh))
        untouched_seen = False
        for r in rows:
            if r.qty_left < 0 or r.qty_left > r.qty_in:
                bound = min(max(r.qty_left, ZERO), r.qty_in)
                out.differences.append(
                    Difference("fifo", "qty_left", r.qty_left, bound, sku, wh, layer=r.id)
                )
            elif untouched_seen and r.qty_left < r.qty_in:
                # Consumed although an older layer still holds stock: not oldest first.
                out.differences.append(
                    Difference("fifo", "qty_left", r.qty_left, r.qty_in, sku, wh, layer=r.id)
                )
            if r.qty_left > 0:
                untouched_seen = True


def _check_orders(uow, out: Verification, by_order, skus) -> None:
    docs = (
        ("purchase", "purchase_order", po_t, pl_t, pl_t.c.received_qty, None),
        ("sale", "sales_order", so_t, sl_t, sl_t.c.shipped_qty, sl_t.c.cost),
    )
    for move_kind, kind, order_t, line_t, done_col, cost_col in docs:
        kept = defaultdict(Decimal)
        cols = [order_t.c.number, line_t.c.item_id, done_col.label("done")]
        if cost_col is not None:
            cols.append(cost_col.label("cost"))
        for line in uow.execute(
            select(*cols).join(order_t, order_t.c.id == line_t.c.order_id).order_by(line_t.c.id)
        ):
            out.order_lines += 1
            kept[(line.number, line.item_id, "qty")] += line.done
            if cost_col is not None:
                kept[(line.number, line.item_id, "cost")] += line.cost
        moved = {k[1:]: v for k, v in by_order.items() if k[0] == move_kind}
        for number, item_id, what in sorted(set(kept) | set(moved)):
            figure = moved.get((number, item_id, what), ZERO)
            stored = kept.get((number, item_id, what), ZERO)
            if stored != figure:
                name = (
                    ("received_qty" if move_kind == "purchase" else "shipped_qty")
                    if what == "qty"
                    else "cost"
                )
                out.differences.append(
                    Difference(kind, name, stored, figure, skus[item_id], order=number)
                )
