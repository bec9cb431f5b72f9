"""The schema: SQLModel tables of the ledger.

Quantities, money and costs are exact decimals (see `domain.types`). Times are aware UTC.
Stock moves are append-only; `Balance` is kept in the same transaction as the move that changes it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from domain.types import Cost, Money, Qty, UTCDateTime

ROLES = ("viewer", "sales", "clerk", "buyer", "accountant", "approver", "admin")


def _qty(**kw):
    return Field(default=Decimal(0), sa_type=Qty(), **kw)


def _money(**kw):
    return Field(default=Decimal(0), sa_type=Money(), **kw)


def _cost(**kw):
    return Field(default=None, sa_type=Cost(), **kw)


def _utc(**kw):
    return Field(sa_column=Column(UTCDateTime(), nullable=False, **kw))


class Warehouse(SQLModel, table=True):
    """A place that holds stock. `MAIN` is made by `jxc init` and is the default."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name: str = Field(default="", max_length=200)
    name_zh: str = Field(default="", max_length=200)


class Item(SQLModel, table=True):
    """Something we buy, stock and sell."""

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(unique=True, max_length=64)
    name: str = Field(default="", max_length=200)
    name_zh: str = Field(default="", max_length=200)
    uom: str = Field(default="pcs", max_length=16)
    category: str = Field(default="", max_length=64)
    unit_price: Decimal | None = _cost()
    unit_cost: Decimal | None = _cost()
    lead_time_days: int = 7
    moq: Decimal = _qty()
    aliases: str = Field(default="", max_length=1000)
    costing: str = Field(default="average", max_length=16)
    barcode: str | None = Field(default=None, unique=True, max_length=32)
    last_receipt_cost: Decimal | None = _cost()


class Partner(SQLModel, table=True):
    """A customer or a supplier."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name: str = Field(default="", max_length=200)
    name_zh: str = Field(default="", max_length=200)
    kind: str = Field(max_length=16)  # customer | supplier
    credit_limit: Decimal = _money()
    aliases: str = Field(default="", max_length=1000)
    payment_days: int = 30


class User(SQLModel, table=True):
    """A person who may use JXC, with one role and the chat ids they are known by."""

    __tablename__ = "jxc_user"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)
    role: str = Field(max_length=16)
    slack_id: str | None = Field(default=None, unique=True, max_length=64)
    telegram_id: str | None = Field(default=None, unique=True, max_length=64)
    lang: str = Field(default="en", max_length=8)


class Balance(SQLModel, table=True):
    """On hand, reserved and value of one item in one warehouse."""

    item_id: int = Field(foreign_key="item.id", primary_key=True)
    warehouse_id: int = Field(foreign_key="warehouse.id", primary_key=True)
    on_hand: Decimal = _qty()
    reserved: Decimal = _qty()
    value: Decimal = _money()


class StockMove(SQLModel, table=True):
    """One append-only change of stock: positive qty in, negative out, with its value
    (cost of goods for outgoing moves)."""

    __table_args__ = (Index("ix_stockmove_item_wh", "item_id", "warehouse_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc()
    item_id: int = Field(foreign_key="item.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    kind: str = Field(max_length=24)
    qty: Decimal = _qty()
    value: Decimal = _money()
    unit_cost: Decimal | None = _cost()
    ref: str = Field(default="", max_length=64)
    reason: str = Field(default="", max_length=200)
    user_name: str = Field(default="", max_length=64)
    # A sale move: which shipment of its order (`ref`) it belongs to, 1 for the first. Moves
    # written before shipments were numbered have none.
    shipment: int | None = None


class FifoLayer(SQLModel, table=True):
    """A FIFO cost layer: what is left of one receipt of a FIFO item in one warehouse."""

    __table_args__ = (Index("ix_fifolayer_item_wh", "item_id", "warehouse_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc()
    item_id: int = Field(foreign_key="item.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    qty_in: Decimal = _qty()
    qty_left: Decimal = _qty()
    unit_cost: Decimal = Field(default=Decimal(0), sa_type=Cost())


class StockCount(SQLModel, table=True):
    """A stocktake (盘点) of one item in one warehouse and the discrepancy it found."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc()
    item_id: int = Field(foreign_key="item.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    book_qty: Decimal = _qty()
    counted_qty: Decimal = _qty()
    diff_qty: Decimal = _qty()
    diff_value: Decimal = _money()
    status: str = Field(default="posted", max_length=24)
    user_name: str = Field(default="", max_length=64)


class SalesHistory(SQLModel, table=True):
    """Past demand from an earlier system: feeds forecasts and reorder points, not stock."""

    __table_args__ = (Index("ix_saleshistory_item_date", "item_id", "day"),)
    id: int | None = Field(default=None, primary_key=True)
    day: date
    item_id: int = Field(foreign_key="item.id")
    qty: Decimal = _qty()
    partner_id: int = Field(foreign_key="partner.id")
    unit_price: Decimal | None = _cost()


class Outbox(SQLModel, table=True):
    """Domain events, written in the command's transaction, read by the rules feed."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc()
    event: str = Field(max_length=64)
    payload: str = ""
    processed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # unprocessed (NULL) | processed | failed (a payload the feed could not read; see error)
    status: str | None = Field(default=None, max_length=16)
    error: str | None = Field(default=None, max_length=500)


class Alert(SQLModel, table=True):
    """Something the rules engine raised (a reorder point reached, an anomaly, a pending
    approval): open, acknowledged, snoozed (until a time) or resolved. `cause` (kind + subject +
    the event or period that caused it) is unique, so one cause never alerts twice."""

    __table_args__ = (Index("ix_alert_kind_subject", "kind", "subject"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)
    subject: str = Field(max_length=64)
    cause: str = Field(unique=True, max_length=200)
    status: str = Field(default="open", max_length=16, index=True)
    message: str = ""
    message_zh: str = ""
    facts: str = ""
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    snoozed_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    acted_by: str | None = Field(default=None, max_length=64)


class Delivery(SQLModel, table=True):
    """One message to one recipient on one channel, with its attempts, next attempt and last
    error: of an alert (the alert itself, a reminder, an escalation, or the decision told to a
    requester), unique per alert × recipient × channel × purpose so each is sent once however
    many workers run; or a scheduled digest (`purpose` "digest", no alert, its chart in
    `attachment`), queued once per day by the job that claims that day's run."""

    __table_args__ = (UniqueConstraint("alert_id", "recipient", "channel", "purpose"),)
    id: int | None = Field(default=None, primary_key=True)
    alert_id: int | None = Field(default=None, foreign_key="alert.id", index=True)
    recipient: str = Field(max_length=64)
    channel: str = Field(default="console", max_length=16)
    purpose: str = Field(default="alert", max_length=16)
    text: str = ""
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = _utc()
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # Where the platform put it (Slack "channel:ts", Telegram "chat_id:message_id"), so every
    # copy can be edited in place after a decision.
    platform_ref: str | None = Field(default=None, max_length=200)
    attachment: str | None = Field(default=None, max_length=500)  # a chart's file


class Inbound(SQLModel, table=True):
    """A chat delivery already taken in (a Telegram update_id, a Slack event id or retry), so a
    re-delivery has no second effect."""

    platform: str = Field(primary_key=True, max_length=16)
    delivery_id: str = Field(primary_key=True, max_length=128)
    received_at: datetime = _utc()


AUDIT_KEYED = "key <> ''"
"""The audit rows that are idempotency records (queries repeat it word for word, so SQLite
uses the partial index)."""


class Audit(SQLModel, table=True):
    """Who did what, when, under which key. A row with a key is also that key's idempotency
    record: the command's fingerprint and the first result given for it (a refusal included,
    `ok` false); a key is recorded once."""

    __table_args__ = (
        Index(
            "ux_audit_key",
            "key",
            unique=True,
            sqlite_where=text(AUDIT_KEYED),
            postgresql_where=text(AUDIT_KEYED),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc()
    user_name: str = Field(default="", max_length=64)
    intent: str = Field(max_length=64)
    key: str = Field(default="", max_length=200)
    detail: str = ""
    command_hash: str = Field(default="", max_length=64)
    ok: bool = True
    result: str = ""


class Setting(SQLModel, table=True):
    """A named threshold or switch, editable at run time (`jxc rules set`)."""

    name: str = Field(primary_key=True, max_length=100)
    value: str = Field(max_length=200)


class Sequence(SQLModel, table=True):
    """Counters for document numbers (PO-0001, SO-0001, A-1…)."""

    name: str = Field(primary_key=True, max_length=32)
    value: int = 0


class PurchaseOrder(SQLModel, table=True):
    """An order to a supplier (`PO-0001`)."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=16)
    partner_id: int = Field(foreign_key="partner.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    status: str = Field(max_length=24, index=True)
    total: Decimal = _money()
    approval: str | None = Field(default=None, max_length=16)
    created_at: datetime = _utc()
    created_by: str = Field(default="", max_length=64)


class PurchaseLine(SQLModel, table=True):
    """One line of a purchase order and how much of it has arrived."""

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="purchaseorder.id", index=True)
    line_no: int
    item_id: int = Field(foreign_key="item.id", index=True)
    qty: Decimal = _qty()
    price: Decimal = Field(default=Decimal(0), sa_type=Cost())
    amount: Decimal = _money()
    received_qty: Decimal = _qty()


class SalesOrder(SQLModel, table=True):
    """An order from a customer (`SO-0001`)."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=16)
    partner_id: int = Field(foreign_key="partner.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouse.id")
    status: str = Field(max_length=24, index=True)
    total: Decimal = _money()
    approval: str | None = Field(default=None, max_length=16)
    created_at: datetime = _utc()
    created_by: str = Field(default="", max_length=64)
    shipped_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # How many shipments it has had; its sale moves carry their number (1 for the first).
    shipments: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class SalesLine(SQLModel, table=True):
    """One line of a sales order, with the list price it was sold against and its cost once
    shipped."""

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="salesorder.id", index=True)
    line_no: int
    item_id: int = Field(foreign_key="item.id", index=True)
    qty: Decimal = _qty()
    price: Decimal = Field(default=Decimal(0), sa_type=Cost())
    list_price: Decimal = Field(default=Decimal(0), sa_type=Cost())
    discount_pct: Decimal = Field(default=Decimal(0), sa_type=Cost())
    amount: Decimal = _money()
    shipped_qty: Decimal = _qty()
    cost: Decimal = _money()


class ApprovalRequest(SQLModel, table=True):
    """A request for a second pair of eyes (`A-1`): pending, approved, rejected or cancelled."""

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=16)
    subject_kind: str = Field(max_length=24)  # purchase_order | sales_order | stock_count
    subject: str = Field(max_length=32)
    status: str = Field(default="pending", max_length=16, index=True)
    reasons: str = ""
    requested_by: str = Field(default="", max_length=64)
    requested_at: datetime = _utc()
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    decision_reason: str | None = Field(default=None, max_length=500)


class StoredForecast(SQLModel, table=True):
    """A forecast of one item's daily demand, stored by data version: an unchanged item is not
    refit, and reorder points read a fresh one."""

    __table_args__ = (UniqueConstraint("item_id", "data_version"),)
    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    data_version: str = Field(max_length=64)
    model: str = Field(max_length=32)
    reason: str = Field(default="", max_length=500)
    days: int
    points: str = ""
    created_at: datetime = _utc()


class Conversation(SQLModel, table=True):
    """What a chat user is in the middle of (a command awaiting confirmation or a missing
    value), per user and channel, so a restart loses nothing."""

    user_name: str = Field(primary_key=True, max_length=64)
    channel: str = Field(primary_key=True, max_length=128)
    state: str = ""
    updated_at: datetime = _utc()


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
