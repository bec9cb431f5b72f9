"""The schema: the tables of the ledger, as SQLAlchemy Core tables (one `Table` per class, on
`metadata`; the code reads and writes them through `Class.__table__`).

Quantities, money and costs are exact decimals (see `domain.types`). Times are aware UTC.
Stock moves are append-only; `Balance` is kept in the same transaction as the move that changes it.
Core tables, not an ORM: nothing here builds objects per row, and a command that reads one table
does not pay, at start-up, for a mapper per class.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    text,
)

from domain.types import Cost, Money, Qty, UTCDateTime

metadata = MetaData()


ROLES = ("viewer", "sales", "clerk", "buyer", "accountant", "approver", "admin")


class Warehouse:
    """A place that holds stock. `MAIN` is made by `jxc init` and is the default."""

    __table__ = Table(
        "warehouse",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("code", String(32), nullable=False, unique=True),
        Column("name", String(200), nullable=False, default=""),
        Column("name_zh", String(200), nullable=False, default=""),
    )


class Item:
    """Something we buy, stock and sell."""

    __table__ = Table(
        "item",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("sku", String(64), nullable=False, unique=True),
        Column("name", String(200), nullable=False, default=""),
        Column("name_zh", String(200), nullable=False, default=""),
        Column("uom", String(16), nullable=False, default="pcs"),
        Column("category", String(64), nullable=False, default=""),
        Column("unit_price", Cost()),
        Column("unit_cost", Cost()),
        Column("lead_time_days", Integer, nullable=False, default=7),
        Column("moq", Qty(), nullable=False, default=Decimal(0)),
        Column("aliases", String(1000), nullable=False, default=""),
        Column("costing", String(16), nullable=False, default="average"),
        Column("barcode", String(32), unique=True),
        Column("last_receipt_cost", Cost()),
    )


class Partner:
    """A customer or a supplier."""

    __table__ = Table(
        "partner",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("code", String(32), nullable=False, unique=True),
        Column("name", String(200), nullable=False, default=""),
        Column("name_zh", String(200), nullable=False, default=""),
        Column("kind", String(16), nullable=False),  # customer | supplier
        Column("credit_limit", Money(), nullable=False, default=Decimal(0)),
        Column("aliases", String(1000), nullable=False, default=""),
        Column("payment_days", Integer, nullable=False, default=30),
    )


class User:
    """A person who may use JXC, with one role and the chat ids they are known by."""

    __table__ = Table(
        "jxc_user",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(64), nullable=False, unique=True),
        Column("role", String(16), nullable=False),
        Column("slack_id", String(64), unique=True),
        Column("telegram_id", String(64), unique=True),
        Column("lang", String(8), nullable=False, default="en"),
    )


class Balance:
    """On hand, reserved and value of one item in one warehouse."""

    __table__ = Table(
        "balance",
        metadata,
        Column("item_id", Integer, ForeignKey("item.id"), primary_key=True),
        Column("warehouse_id", Integer, ForeignKey("warehouse.id"), primary_key=True),
        Column("on_hand", Qty(), nullable=False, default=Decimal(0)),
        Column("reserved", Qty(), nullable=False, default=Decimal(0)),
        Column("value", Money(), nullable=False, default=Decimal(0)),
    )


class StockMove:
    """One append-only change of stock: positive qty in, negative out, with its value
    (cost of goods for outgoing moves)."""

    __table__ = Table(
        "stockmove",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("at", UTCDateTime(), nullable=False),
        Column("item_id", Integer, ForeignKey("item.id"), nullable=False),
        Column("warehouse_id", Integer, ForeignKey("warehouse.id"), nullable=False),
        Column("kind", String(24), nullable=False),
        Column("qty", Qty(), nullable=False, default=Decimal(0)),
        Column("value", Money(), nullable=False, default=Decimal(0)),
        Column("unit_cost", Cost()),
        Column("ref", String(64), nullable=False, default=""),
        Column("reason", String(200), nullable=False, default=""),
        Column("user_name", String(64), nullable=False, default=""),
        # A sale move: which shipment of its order (`ref`) it belongs to, 1 for the first. Moves
        # written before shipments were numbered have none.
        Column("shipment", Integer),
        Index("ix_stockmove_item_wh", "item_id", "warehouse_id", "id"),
    )


class FifoLayer:
    """A FIFO cost layer: what is left of one receipt of a FIFO item in one warehouse."""

    __table__ = Table(
        "fifolayer",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("at", UTCDateTime(), nullable=False),
        Column("item_id", Integer, ForeignKey("item.id"), nullable=False),
        Column("warehouse_id", Integer, ForeignKey("warehouse.id"), nullable=False),
        Column("qty_in", Qty(), nullable=False, default=Decimal(0)),
        Column("qty_left", Qty(), nullable=False, default=Decimal(0)),
        Column("unit_cost", Cost(), nullable=False, default=Decimal(0)),
        Index("ix_fifolayer_item_wh", "item_id", "warehouse_id", "id"),
    )


class StockCount:
    """A stocktake (盘点) of one item in one warehouse and the discrepancy it found."""

    __table__ = Table(
        "stockcount",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("at", UTCDateTime(), nullable=False),
        Column("item_id", Integer, ForeignKey("item.id"), nullable=False),
        Column("warehouse_id", Integer, ForeignKey("warehouse.id"), nullable=False),
        Column("book_qty", Qty(), nullable=False, default=Decimal(0)),
        Column("counted_qty", Qty(), nullable=False, default=Decimal(0)),
        Column("diff_qty", Qty(), nullable=False, default=Decimal(0)),
        Column("diff_value", Money(), nullable=False, default=Decimal(0)),
        Column("status", String(24), nullable=False, default="posted"),
        Column("user_name", String(64), nullable=False, default=""),
    )


class SalesHistory:
    """Past demand from an earlier system: feeds forecasts and reorder points, not stock."""

    __table__ = Table(
        "saleshistory",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("day", Date, nullable=False),
        Column("item_id", Integer, ForeignKey("item.id"), nullable=False),
        Column("qty", Qty(), nullable=False, default=Decimal(0)),
        Column("partner_id", Integer, ForeignKey("partner.id"), nullable=False),
        Column("unit_price", Cost()),
        Index("ix_saleshistory_item_date", "item_id", "day"),
    )


class Outbox:
    """Domain events, written in the command's transaction, read by the rules feed."""

    __table__ = Table(
        "outbox",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("at", UTCDateTime(), nullable=False),
        Column("event", String(64), nullable=False),
        Column("payload", String, nullable=False, default=""),
        Column("processed_at", UTCDateTime()),
        # unprocessed (NULL) | processed | failed (a payload the feed could not read; see error)
        Column("status", String(16)),
        Column("error", String(500)),
    )


class Alert:
    """Something the rules engine raised (a reorder point reached, an anomaly, a pending
    approval): open, acknowledged, snoozed (until a time) or resolved. `cause` (kind + subject +
    the event or period that caused it) is unique, so one cause never alerts twice."""

    __table__ = Table(
        "alert",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("kind", String(24), nullable=False),
        Column("subject", String(64), nullable=False),
        Column("cause", String(200), nullable=False, unique=True),
        Column("status", String(16), nullable=False, index=True, default="open"),
        Column("message", String, nullable=False, default=""),
        Column("message_zh", String, nullable=False, default=""),
        Column("facts", String, nullable=False, default=""),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("updated_at", UTCDateTime(), nullable=False),
        Column("snoozed_until", UTCDateTime()),
        Column("resolved_at", UTCDateTime()),
        Column("acted_by", String(64)),
        Index("ix_alert_kind_subject", "kind", "subject"),
    )


class Delivery:
    """One message to one recipient on one channel, with its attempts, next attempt and last
    error: of an alert (the alert itself, a reminder, an escalation, or the decision told to a
    requester), unique per alert × recipient × channel × purpose so each is sent once however
    many workers run; or a scheduled digest (`purpose` "digest", no alert, its chart in
    `attachment`), queued once per day by the job that claims that day's run."""

    __table__ = Table(
        "delivery",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("alert_id", Integer, ForeignKey("alert.id"), index=True),
        Column("recipient", String(64), nullable=False),
        Column("channel", String(16), nullable=False, default="console"),
        Column("purpose", String(16), nullable=False, default="alert"),
        Column("text", String, nullable=False, default=""),
        Column("status", String(16), nullable=False, index=True, default="pending"),
        Column("attempts", Integer, nullable=False, default=0),
        Column("next_attempt_at", UTCDateTime()),
        Column("last_error", String(500)),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("sent_at", UTCDateTime()),
        # Where the platform put it (Slack "channel:ts", Telegram "chat_id:message_id"), so every
        # copy can be edited in place after a decision.
        Column("platform_ref", String(200)),
        Column("attachment", String(500)),  # a chart's file
        UniqueConstraint("alert_id", "recipient", "channel", "purpose"),
    )


class Inbound:
    """A chat delivery already taken in (a Telegram update_id, a Slack event id or retry), so a
    re-delivery has no second effect."""

    __table__ = Table(
        "inbound",
        metadata,
        Column("platform", String(16), primary_key=True),
        Column("delivery_id", String(128), primary_key=True),
        Column("received_at", UTCDateTime(), nullable=False),
    )


AUDIT_KEYED = "key <> ''"

"""The audit rows that are idempotency records (queries repeat it word for word, so SQLite
uses the partial index)."""


class Audit:
    """Who did what, when, under which key. A row with a key is also that key's idempotency
    record: the command's fingerprint and the first result given for it (a refusal included,
    `ok` false); a key is recorded once."""

    __table__ = Table(
        "audit",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("at", UTCDateTime(), nullable=False),
        Column("user_name", String(64), nullable=False, default=""),
        Column("intent", String(64), nullable=False),
        Column("key", String(200), nullable=False, default=""),
        Column("detail", String, nullable=False, default=""),
        Column("command_hash", String(64), nullable=False, default=""),
        Column("ok", Boolean, nullable=False, default=True),
        Column("result", String, nullable=False, default=""),
        Index(
            "ux_audit_key",
            "key",
            unique=True,
            sqlite_where=text(AUDIT_KEYED),
            postgresql_where=text(AUDIT_KEYED),
        ),
    )


class Setting:
    """A named threshold or switch, editable at run time (`jxc rules set`)."""

    __table__ = Table(
        "setting",
        metadata,
        Column("name", String(100), primary_key=True),
        Column("value", String(200), nullable=False),
    )


class Sequence:
    """Counters for document numbers (PO-0001, SO-0001, A-1…)."""

    __table__ = Table(
        "sequence",
        metadata,
        Column("name", String(32), primary_key=True),
        Column("value", Integer, nullable=False, default=0),
    )


class PurchaseOrder:
    """An order to a supplier (`PO-0001`)."""

    __table__ = Table(
        "purchaseorder",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("number", String(16), nullable=False, unique=True),
        Column("partner_id", Integer, ForeignKey("partner.id"), nullable=False),
        Column("warehouse_id", Integer, ForeignKey("warehouse.id"), nullable=False),
        Column("status", String(24), nullable=False, index=True),
        Column("total", Money(), nullable=False, default=Decimal(0)),
        Column("approval", String(16)),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("created_by", String(64), nullable=False, default=""),
    )


class PurchaseLine:
    """One line of a purchase order and how much of it has arrived."""

    __table__ = Table(
        "purchaseline",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("order_id", Integer, ForeignKey("purchaseorder.id"), nullable=False, index=True),
        Column("line_no", Integer, nullable=False),
        Column("item_id", Integer, ForeignKey("item.id"), nullable=False, index=True),
        Column("qty", Qty(), nullable=False, default=Decimal(0)),
        Column("price", Cost(), nullable=False, default=Decimal(0)),
        Column("amount", Money(), nullable=False, default=Decimal(0)),
        Column("received_qty", Qty(), nullable=False, default=Decimal(0)),
    )


class SalesOrder:
    """An order from a customer (`SO-0001`)."""

    __table__ = Table(
        "salesorder",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("number", String(16), nullable=False, unique=True),
        Column("partner_id", Integer, ForeignKey("partner.id"), nullable=False, index=True),
        Column("warehouse_id", Integer, ForeignKey("warehouse.id"), nullable=False),
        Column("status", String(24), nullable=False, index=True),
        Column("total", Money(), nullable=False, default=Decimal(0)),
        Column("approval", String(16)),
        Column("created_at", UTCDateTime(), nullable=False),
        Column("created_by", String(64), nullable=False, default=""),
        Column("shipped_at", UTCDateTime()),
        # How many shipments it has had; its sale moves carry their number (1 for the first).
        Column("shipments", Integer, nullable=False, default=0, server_default="0"),
    )


class SalesLine:
    """One line of a sales order, with the list price it was sold against and its cost once
    shipped."""

    __table__ = Table(
        "salesline",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("order_id", Integer, ForeignKey("salesorder.id"), nullable=False, index=True),
        Column("line_no", Integer, nullable=False),
        Column("item_id", Integer, ForeignKey("item.id"), nullable=False, index=True),
        Column("qty", Qty(), nullable=False, default=Decimal(0)),
        Column("price", Cost(), nullable=False, default=Decimal(0)),
        Column("list_price", Cost(), nullable=False, default=Decimal(0)),
        Column("discount_pct", Cost(), nullable=False, default=Decimal(0)),
        Column("amount", Money(), nullable=False, default=Decimal(0)),
        Column("shipped_qty", Qty(), nullable=False, default=Decimal(0)),
        Column("cost", Money(), nullable=False, default=Decimal(0)),
    )


class ApprovalRequest:
    """A request for a second pair of eyes (`A-1`): pending, approved, rejected or cancelled."""

    __table__ = Table(
        "approvalrequest",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("number", String(16), nullable=False, unique=True),
        Column(
            "subject_kind", String(24), nullable=False
        ),  # purchase_order | sales_order | stock_count
        Column("subject", String(32), nullable=False),
        Column("status", String(16), nullable=False, index=True, default="pending"),
        Column("reasons", String, nullable=False, default=""),
        Column("requested_by", String(64), nullable=False, default=""),
        Column("requested_at", UTCDateTime(), nullable=False),
        Column("decided_by", String(64)),
        Column("decided_at", UTCDateTime()),
        Column("decision_reason", String(500)),
        # The approver a delegate decided for ("li for mary"); null when decided in person.
        Column("on_behalf_of", String(64)),
    )


class Delegation:
    """An approver's stand-in: `delegate` decides requests for `delegator` until the local
    date `until`, inclusive. One per approver; a new one replaces it, ending it deletes it."""

    __table__ = Table(
        "delegation",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("delegator", String(64), nullable=False, unique=True),
        Column("delegate", String(64), nullable=False, index=True),
        Column("until", Date(), nullable=False),
        Column("created_at", UTCDateTime(), nullable=False),
    )


class StoredForecast:
    """A forecast of one item's daily demand, stored by data version: an unchanged item is not
    refit, and reorder points read a fresh one."""

    __table__ = Table(
        "storedforecast",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("item_id", Integer, ForeignKey("item.id"), nullable=False, index=True),
        Column("data_version", String(64), nullable=False),
        Column("model", String(32), nullable=False),
        Column("reason", String(500), nullable=False, default=""),
        Column("days", Integer, nullable=False),
        Column("points", String, nullable=False, default=""),
        Column("created_at", UTCDateTime(), nullable=False),
        UniqueConstraint("item_id", "data_version"),
    )


class Conversation:
    """What a chat user is in the middle of (a command awaiting confirmation or a missing
    value), per user and channel, so a restart loses nothing."""

    __table__ = Table(
        "conversation",
        metadata,
        Column("user_name", String(64), primary_key=True),
        Column("channel", String(128), primary_key=True),
        Column("state", String, nullable=False, default=""),
        Column("updated_at", UTCDateTime(), nullable=False),
    )


__all__ = [
    "ROLES",
    "Alert",
    "ApprovalRequest",
    "Audit",
    "Conversation",
    "Balance",
    "Delivery",
    "FifoLayer",
    "Item",
    "Outbox",
    "Partner",
    "PurchaseLine",
    "PurchaseOrder",
    "SalesHistory",
    "SalesLine",
    "SalesOrder",
    "Sequence",
    "Setting",
    "StockCount",
    "StockMove",
    "StoredForecast",
    "UniqueConstraint",
    "User",
    "Warehouse",
]
