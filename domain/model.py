"""The schema: the tables of the ledger, as SQLModel table classes on `metadata`; the code reads
and writes them with SQLAlchemy Core statements through `Class.__table__`.

Quantities, money and costs are exact decimals (see `domain.types`). Times are aware UTC.
Stock moves are append-only; `Balance` is kept in the same transaction as the move that changes it.
The classes are declared with pydantic's `defer_build`, so importing the schema builds no
validator, and nothing here builds objects per row: a command that reads one table pays, at
start-up, for the declarations only.
"""

# No `from __future__ import annotations`: pydantic reads the field types as objects instead of
# evaluating 190 strings at import.
from datetime import date, datetime
from decimal import Decimal

from pydantic import ConfigDict
from sqlalchemy import Index, MetaData, UniqueConstraint, text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from domain.types import Cost, Money, Qty, UTCDateTime

metadata = MetaData()


class Base(SQLModel, registry=registry(metadata=metadata)):
    """The schema's table classes: on `metadata` (not SQLModel's global one), validators built
    only if a class is ever validated."""

    model_config = ConfigDict(defer_build=True)


ROLES = ("viewer", "sales", "clerk", "buyer", "accountant", "approver", "admin")


class Warehouse(Base, table=True):
    """A place that holds stock. `MAIN` is made by `jxc init` and is the default."""

    __tablename__ = "warehouse"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(default="", max_length=200)
    name_zh: str = Field(default="", max_length=200)


class Item(Base, table=True):
    """Something we buy, stock and sell."""

    __tablename__ = "item"

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(default="", max_length=200)
    name_zh: str = Field(default="", max_length=200)
    uom: str = Field(default="pcs", max_length=16)
    category: str = Field(default="", max_length=64)
    unit_price: Decimal | None = Field(default=None, sa_type=Cost())
    unit_cost: Decimal | None = Field(default=None, sa_type=Cost())
    lead_time_days: int = Field(default=7)
    moq: Decimal = Field(default=Decimal(0), sa_type=Qty())
    aliases: str = Field(default="", max_length=1000)
    costing: str = Field(default="average", max_length=16)
    barcode: str | None = Field(default=None, max_length=32, unique=True)
    last_receipt_cost: Decimal | None = Field(default=None, sa_type=Cost())


class Partner(Base, table=True):
    """A customer or a supplier."""

    __tablename__ = "partner"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(default="", max_length=200)
    name_zh: str = Field(default="", max_length=200)
    kind: str = Field(max_length=16)  # customer | supplier
    credit_limit: Decimal = Field(default=Decimal(0), sa_type=Money())
    aliases: str = Field(default="", max_length=1000)
    payment_days: int = Field(default=30)


class User(Base, table=True):
    """A person who may use JXC, with one role and the chat ids they are known by."""

    __tablename__ = "jxc_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=16)
    slack_id: str | None = Field(default=None, max_length=64, unique=True)
    telegram_id: str | None = Field(default=None, max_length=64, unique=True)
    lang: str = Field(default="en", max_length=8)


class Balance(Base, table=True):
    """On hand, reserved and value of one item in one warehouse."""

    __tablename__ = "balance"

    item_id: int = Field(primary_key=True, foreign_key="item.id")
    warehouse_id: int = Field(primary_key=True, foreign_key="warehouse.id")
    on_hand: Decimal = Field(default=Decimal(0), sa_type=Qty())
    reserved: Decimal = Field(default=Decimal(0), sa_type=Qty())
    value: Decimal = Field(default=Decimal(0), sa_type=Money())


class StockMove(Base, table=True):
    """One append-only change of stock: positive qty in, negative out, with its value
    (cost of goods for outgoing moves)."""

    __tablename__ = "stockmove"
    __table_args__ = (Index("ix_stockmove_item_wh", "item_id", "warehouse_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime())
    item_id: int = Field(foreign_key="item.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    kind: str = Field(max_length=24)
    qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    value: Decimal = Field(default=Decimal(0), sa_type=Money())
    unit_cost: Decimal | None = Field(default=None, sa_type=Cost())
    ref: str = Field(default="", max_length=64)
    reason: str = Field(default="", max_length=200)
    user_name: str = Field(default="", max_length=64)
    # A sale move: which shipment of its order (`ref`) it belongs to, 1 for the first. Moves
    # written before shipments were numbered have none.
    shipment: int | None = Field(default=None)


class FifoLayer(Base, table=True):
    """A FIFO cost layer: what is left of one receipt of a FIFO item in one warehouse."""

    __tablename__ = "fifolayer"
    __table_args__ = (Index("ix_fifolayer_item_wh", "item_id", "warehouse_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime())
    item_id: int = Field(foreign_key="item.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    qty_in: Decimal = Field(default=Decimal(0), sa_type=Qty())
    qty_left: Decimal = Field(default=Decimal(0), sa_type=Qty())
    unit_cost: Decimal = Field(default=Decimal(0), sa_type=Cost())


class StockCount(Base, table=True):
    """A stocktake (盘点) of one item in one warehouse and the discrepancy it found."""

    __tablename__ = "stockcount"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime())
    item_id: int = Field(foreign_key="item.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    book_qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    counted_qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    diff_qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    diff_value: Decimal = Field(default=Decimal(0), sa_type=Money())
    status: str = Field(default="posted", max_length=24)
    user_name: str = Field(default="", max_length=64)


class SalesHistory(Base, table=True):
    """Past demand from an earlier system: feeds forecasts and reorder points, not stock."""

    __tablename__ = "saleshistory"
    __table_args__ = (Index("ix_saleshistory_item_date", "item_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field()
    item_id: int = Field(foreign_key="item.id")
    qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    partner_id: int = Field(foreign_key="partner.id")
    unit_price: Decimal | None = Field(default=None, sa_type=Cost())


class Outbox(Base, table=True):
    """Domain events, written in the command's transaction, read by the rules feed."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime())
    event: str = Field(max_length=64)
    payload: str = Field(default="")
    processed_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    # unprocessed (NULL) | processed | failed (a payload the feed could not read; see error)
    status: str | None = Field(default=None, max_length=16)
    error: str | None = Field(default=None, max_length=500)


class Alert(Base, table=True):
    """Something the rules engine raised (a reorder point reached, an anomaly, a pending
    approval): open, acknowledged, snoozed (until a time) or resolved. `cause` (kind + subject +
    the event or period that caused it) is unique, so one cause never alerts twice."""

    __tablename__ = "alert"
    __table_args__ = (Index("ix_alert_kind_subject", "kind", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24)
    subject: str = Field(max_length=64)
    cause: str = Field(max_length=200, unique=True)
    status: str = Field(default="open", max_length=16, index=True)
    message: str = Field(default="")
    message_zh: str = Field(default="")
    facts: str = Field(default="")
    created_at: datetime = Field(sa_type=UTCDateTime())
    updated_at: datetime = Field(sa_type=UTCDateTime())
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime())
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    acted_by: str | None = Field(default=None, max_length=64)


class Delivery(Base, table=True):
    """One message to one recipient on one channel, with its attempts, next attempt and last
    error: of an alert (the alert itself, a reminder, an escalation, or the decision told to a
    requester), unique per alert × recipient × channel × purpose so each is sent once however
    many workers run; or a scheduled digest (`purpose` "digest", no alert, its chart in
    `attachment`), queued once per day by the job that claims that day's run."""

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("alert_id", "recipient", "channel", "purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int | None = Field(default=None, foreign_key="alert.id", index=True)
    recipient: str = Field(max_length=64)
    channel: str = Field(default="console", max_length=16)
    purpose: str = Field(default="alert", max_length=16)
    text: str = Field(default="")
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UTCDateTime())
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    # Where the platform put it (Slack "channel:ts", Telegram "chat_id:message_id"), so every
    # copy can be edited in place after a decision.
    platform_ref: str | None = Field(default=None, max_length=200)
    attachment: str | None = Field(default=None, max_length=500)  # a chart's file


class Inbound(Base, table=True):
    """A chat delivery already taken in (a Telegram update_id, a Slack event id or retry), so a
    re-delivery has no second effect."""

    __tablename__ = "inbound"

    platform: str = Field(primary_key=True, max_length=16)
    delivery_id: str = Field(primary_key=True, max_length=128)
    received_at: datetime = Field(sa_type=UTCDateTime())


AUDIT_KEYED = "key <> ''"

"""The audit rows that are idempotency records (queries repeat it word for word, so SQLite
uses the partial index)."""


class Audit(Base, table=True):
    """Who did what, when, under which key. A row with a key is also that key's idempotency
    record: the command's fingerprint and the first result given for it (a refusal included,
    `ok` false); a key is recorded once."""

    __tablename__ = "audit"
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
    at: datetime = Field(sa_type=UTCDateTime())
    user_name: str = Field(default="", max_length=64)
    intent: str = Field(max_length=64)
    key: str = Field(default="", max_length=200)
    detail: str = Field(default="")
    command_hash: str = Field(default="", max_length=64)
    ok: bool = Field(default=True)
    result: str = Field(default="")


class Setting(Base, table=True):
    """A named threshold or switch, editable at run time (`jxc rules set`)."""

    __tablename__ = "setting"

    name: str = Field(primary_key=True, max_length=100)
    value: str = Field(max_length=200)


class Sequence(Base, table=True):
    """Counters for document numbers (PO-0001, SO-0001, A-1…)."""

    __tablename__ = "sequence"

    name: str = Field(primary_key=True, max_length=32)
    value: int = Field(default=0)


class PurchaseOrder(Base, table=True):
    """An order to a supplier (`PO-0001`)."""

    __tablename__ = "purchaseorder"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=16, unique=True)
    partner_id: int = Field(foreign_key="partner.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    status: str = Field(max_length=24, index=True)
    total: Decimal = Field(default=Decimal(0), sa_type=Money())
    approval: str | None = Field(default=None, max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime())
    created_by: str = Field(default="", max_length=64)


class PurchaseLine(Base, table=True):
    """One line of a purchase order and how much of it has arrived."""

    __tablename__ = "purchaseline"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="purchaseorder.id", index=True)
    line_no: int = Field()
    item_id: int = Field(foreign_key="item.id", index=True)
    qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    price: Decimal = Field(default=Decimal(0), sa_type=Cost())
    amount: Decimal = Field(default=Decimal(0), sa_type=Money())
    received_qty: Decimal = Field(default=Decimal(0), sa_type=Qty())


class SalesOrder(Base, table=True):
    """An order from a customer (`SO-0001`)."""

    __tablename__ = "salesorder"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=16, unique=True)
    partner_id: int = Field(foreign_key="partner.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouse.id")
    status: str = Field(max_length=24, index=True)
    total: Decimal = Field(default=Decimal(0), sa_type=Money())
    approval: str | None = Field(default=None, max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime())
    created_by: str = Field(default="", max_length=64)
    shipped_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    # How many shipments it has had; its sale moves carry their number (1 for the first).
    shipments: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class SalesLine(Base, table=True):
    """One line of a sales order, with the list price it was sold against and its cost once
    shipped."""

    __tablename__ = "salesline"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="salesorder.id", index=True)
    line_no: int = Field()
    item_id: int = Field(foreign_key="item.id", index=True)
    qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    price: Decimal = Field(default=Decimal(0), sa_type=Cost())
    list_price: Decimal = Field(default=Decimal(0), sa_type=Cost())
    discount_pct: Decimal = Field(default=Decimal(0), sa_type=Cost())
    amount: Decimal = Field(default=Decimal(0), sa_type=Money())
    shipped_qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    cost: Decimal = Field(default=Decimal(0), sa_type=Money())


class ApprovalRequest(Base, table=True):
    """A request for a second pair of eyes (`A-1`): pending, approved, rejected or cancelled."""

    __tablename__ = "approvalrequest"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=16, unique=True)
    subject_kind: str = Field(max_length=24)  # purchase_order | sales_order | stock_count
    subject: str = Field(max_length=32)
    status: str = Field(default="pending", max_length=16, index=True)
    reasons: str = Field(default="")
    requested_by: str = Field(default="", max_length=64)
    requested_at: datetime = Field(sa_type=UTCDateTime())
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    decision_reason: str | None = Field(default=None, max_length=500)
    # The approver a delegate decided for ("li for mary"); null when decided in person.
    on_behalf_of: str | None = Field(default=None, max_length=64)


class Delegation(Base, table=True):
    """An approver's stand-in: `delegate` decides requests for `delegator` until the local
    date `until`, inclusive. One per approver; a new one replaces it, ending it deletes it."""

    __tablename__ = "delegation"

    id: int | None = Field(default=None, primary_key=True)
    delegator: str = Field(max_length=64, unique=True)
    delegate: str = Field(max_length=64, index=True)
    until: date = Field()
    created_at: datetime = Field(sa_type=UTCDateTime())


class StoredForecast(Base, table=True):
    """A forecast of one item's daily demand, stored by data version: an unchanged item is not
    refit, and reorder points read a fresh one."""

    __tablename__ = "storedforecast"
    __table_args__ = (UniqueConstraint("item_id", "data_version"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    data_version: str = Field(max_length=64)
    model: str = Field(max_length=32)
    reason: str = Field(default="", max_length=500)
    days: int = Field()
    points: str = Field(default="")
    created_at: datetime = Field(sa_type=UTCDateTime())


class ForecastChoice(Base, table=True):
    """The model chosen for an item by backtest (`domain.forecast_choice`), its scores and its
    band calibration (`choice`, JSON), made under a candidate set (`key`) on the history up to
    `last_day`: a refit reuses it; another key makes it again."""

    __tablename__ = "forecastchoice"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", unique=True)
    model: str = Field(max_length=32)
    candidate: str = Field(max_length=64)
    score: float | None = Field(default=None)
    mase: float | None = Field(default=None)
    key: str = Field(max_length=32)
    last_day: date = Field()
    choice: str = Field(default="")
    created_at: datetime = Field(sa_type=UTCDateTime())


class Conversation(Base, table=True):
    """What a chat user is in the middle of (a command awaiting confirmation or a missing
    value), per user and channel, so a restart loses nothing."""

    __tablename__ = "conversation"

    user_name: str = Field(primary_key=True, max_length=64)
    channel: str = Field(primary_key=True, max_length=128)
    state: str = Field(default="")
    updated_at: datetime = Field(sa_type=UTCDateTime())


__all__ = [
    "ROLES",
    "Alert",
    "ApprovalRequest",
    "Audit",
    "Conversation",
    "Balance",
    "Delivery",
    "FifoLayer",
    "ForecastChoice",
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
