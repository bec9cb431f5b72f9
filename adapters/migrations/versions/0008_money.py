"""money: invoices, bills and credit notes, payments and their allocations; receipts numbered;
returned quantities kept apart; the invoices of what shipped or arrived before

Revision ID: 0008
Revises: 0007

Orders shipped or received before this revision get their invoices here, so balances and credit
checks do not jump: one `INV-` per shipment (sale moves of one shipment number, or, before
shipments were numbered, of one order at one instant, as the reports group them) and one `BILL-`
per receipt (purchase moves of one order at one instant), dated on the local day they happened
(`JXC_TIMEZONE`), due after the partner's payment days, all open: no payment was recorded then.
An invoice is worth what its lines shipped at the order's net prices, the part that completes a
line taking the line's remaining cents, as the shipping service counts it.
"""

from collections import defaultdict
from datetime import UTC, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import context, op

import domain.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CENT = Decimal("0.01")
ZERO = Decimal(0)


def upgrade() -> None:
    _schema()
    _backfill(ZoneInfo(context.config.attributes.get("timezone", "Asia/Shanghai")))


def _schema() -> None:
    money, qty = domain.types.Money(), domain.types.Qty()
    op.create_table(
        "invoice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("order_ref", sa.String(length=16), nullable=False),
        sa.Column("doc_no", sa.Integer(), nullable=True),
        sa.Column("at", domain.types.UTCDateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("total", money, nullable=False),
        sa.Column("paid", money, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["partner.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_invoice_partner_status", "invoice", ["partner_id", "status", "due"])
    op.create_index("ix_invoice_order", "invoice", ["order_ref", "doc_no"])
    op.create_index("ix_invoice_partner_day", "invoice", ["partner_id", "day"])
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("amount", money, nullable=False),
        sa.Column("unallocated", money, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", domain.types.UTCDateTime(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("user_name", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["partner_id"], ["partner.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index("ix_payment_partner_status", "payment", ["partner_id", "status"])
    op.create_index("ix_payment_partner_day", "payment", ["partner_id", "day"])
    op.create_table(
        "allocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.Integer(), nullable=True),
        sa.Column("credit_note_id", sa.Integer(), nullable=True),
        sa.Column("amount", money, nullable=False),
        sa.Column("at", domain.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["credit_note_id"], ["invoice.id"]),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"]),
        sa.ForeignKeyConstraint(["payment_id"], ["payment.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in ("invoice_id", "payment_id", "credit_note_id"):
        op.create_index(op.f(f"ix_allocation_{column}"), "allocation", [column])
    with op.batch_alter_table("purchaseorder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("receipts", sa.Integer(), server_default="0", nullable=False))
    for table in ("purchaseline", "salesline"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("returned_qty", qty, server_default="0", nullable=False))
    op.create_index("ix_salesorder_partner_status", "salesorder", ["partner_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_salesorder_partner_status", table_name="salesorder")
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+ too): no copy of tables other tables point at.
    for table in ("salesline", "purchaseline"):
        op.drop_column(table, "returned_qty")
    op.drop_column("purchaseorder", "receipts")
    for column in ("credit_note_id", "payment_id", "invoice_id"):
        op.drop_index(op.f(f"ix_allocation_{column}"), table_name="allocation")
    op.drop_table("allocation")
    op.drop_index("ix_payment_partner_day", table_name="payment")
    op.drop_index("ix_payment_partner_status", table_name="payment")
    op.drop_table("payment")
    op.drop_index("ix_invoice_partner_day", table_name="invoice")
    op.drop_index("ix_invoice_order", table_name="invoice")
    op.drop_index("ix_invoice_partner_status", table_name="invoice")
    op.drop_table("invoice")
    op.execute("DELETE FROM sequence WHERE name IN ('INV', 'BILL', 'CN', 'PAY')")


# -- the invoices of the past ------------------------------------------------------------------

_qty, _money, _cost = domain.types.Qty, domain.types.Money, domain.types.Cost
_utc = domain.types.UTCDateTime
partner_t = sa.table("partner", sa.column("id"), sa.column("payment_days"))
move_t = sa.table(
    "stockmove",
    sa.column("id"),
    sa.column("at", _utc()),
    sa.column("kind"),
    sa.column("item_id"),
    sa.column("qty", _qty()),
    sa.column("ref"),
    sa.column("shipment"),
)
seq_t = sa.table("sequence", sa.column("name"), sa.column("value"))
invoice_t = sa.table(
    "invoice",
    *(sa.column(n) for n in ("number", "kind", "partner_id", "order_ref", "doc_no", "status")),
    sa.column("at", _utc()),
    sa.column("day", sa.Date()),
    sa.column("due", sa.Date()),
    sa.column("total", _money()),
    sa.column("paid", _money()),
)


def _order_tables(prefix: str):
    head = "salesorder" if prefix == "SO" else "purchaseorder"
    line = "salesline" if prefix == "SO" else "purchaseline"
    done = "shipped_qty" if prefix == "SO" else "received_qty"
    order_t = sa.table(head, sa.column("id"), sa.column("number"), sa.column("partner_id"))
    line_t = sa.table(
        line,
        sa.column("order_id"),
        sa.column("line_no"),
        sa.column("item_id"),
        sa.column("qty", _qty()),
        sa.column("price", _cost()),
        sa.column("amount", _money()),
        sa.column(done, _qty()),
    )
    return order_t, line_t, line_t.c[done]


def _worth(line: list, q: Decimal) -> Decimal:
    """What `q` of a line is worth: the line's amount once complete, else q × net price."""
    qty, price, amount = line[0], line[1], line[2]
    return amount if q >= qty else (q * price).quantize(CENT, rounding=ROUND_HALF_UP)


def _documents(conn, prefix: str, move_kind: str) -> list[dict]:
    """One document per shipment (receipt) of each order, in the order they happened."""
    order_t, line_t, done = _order_tables(prefix)
    lines: dict[tuple[str, int], list[list]] = defaultdict(list)
    partner_of: dict[str, int] = {}
    for number, partner_id, item_id, qty, price, amount in conn.execute(
        sa.select(
            order_t.c.number,
            order_t.c.partner_id,
            line_t.c.item_id,
            line_t.c.qty,
            line_t.c.price,
            line_t.c.amount,
        )
        .select_from(line_t.join(order_t, order_t.c.id == line_t.c.order_id))
        .where(done > 0)
        .order_by(order_t.c.number, line_t.c.line_no)
    ):
        lines[(number, item_id)].append([qty, price, amount, ZERO])  # ZERO: matched so far
        partner_of[number] = partner_id
    docs: dict[tuple, dict] = {}
    for at, ref, item_id, qty, shipment in conn.execute(
        sa.select(move_t.c.at, move_t.c.ref, move_t.c.item_id, move_t.c.qty, move_t.c.shipment)
        .where((move_t.c.kind == move_kind) & move_t.c.ref.like(f"{prefix}-%"))
        .order_by(move_t.c.id)
    ):
        if ref not in partner_of:
            continue
        key = (ref, shipment) if shipment is not None else (ref, at)
        doc = docs.setdefault(key, {"ref": ref, "at": at, "doc_no": shipment, "total": ZERO})
        left = abs(qty)
        candidates = lines.get((ref, item_id), ())
        for n, line in enumerate(candidates):
            before = line[3]
            take = left if n == len(candidates) - 1 else min(left, line[0] - before)
            if take <= 0:
                continue
            line[3] = before + take
            left -= take
            doc["total"] += _worth(line, line[3]) - _worth(line, before)
            if left <= 0:
                break
    out = list(docs.values())
    for doc in out:
        doc["partner_id"] = partner_of[doc["ref"]]
    return out


def _backfill(tz: ZoneInfo) -> None:
    conn = op.get_bind()
    days = dict(conn.execute(sa.select(partner_t.c.id, partner_t.c.payment_days)).all())
    for prefix, move_kind, kind, series in (
        ("SO", "sale", "sales", "INV"),
        ("PO", "purchase", "purchase", "BILL"),
    ):
        docs = _documents(conn, prefix, move_kind)
        if prefix == "PO":  # receipts are numbered from now on: these are the first ones
            seen: dict[str, int] = defaultdict(int)
            for doc in docs:
                seen[doc["ref"]] += 1
                doc["doc_no"] = seen[doc["ref"]]
            order_t = sa.table("purchaseorder", sa.column("number"), sa.column("receipts"))
            for ref, n in seen.items():
                conn.execute(sa.update(order_t).where(order_t.c.number == ref).values(receipts=n))
        rows = []
        for n, doc in enumerate(docs, start=1):
            at = doc["at"] if doc["at"].tzinfo else doc["at"].replace(tzinfo=UTC)
            day = at.astimezone(tz).date()
            total = doc["total"]
            rows.append(
                {
                    "number": f"{series}-{n:04d}",
                    "kind": kind,
                    "partner_id": doc["partner_id"],
                    "order_ref": doc["ref"],
                    "doc_no": doc["doc_no"],
                    "status": "open" if total else "paid",
                    "at": at,
                    "day": day,
                    "due": day + timedelta(days=days.get(doc["partner_id"]) or 0),
                    "total": total,
                    "paid": ZERO,
                }
            )
        if rows:
            conn.execute(sa.insert(invoice_t), rows)
            conn.execute(sa.insert(seq_t).values(name=series, value=len(rows)))
