"""What happens around the ledger: the outbox of domain events, alerts and their deliveries,
chat deliveries taken in, the audit trail (also the idempotency records), run-time settings
and the chat conversations' state."""

# No `from __future__ import annotations`: pydantic reads the field types as objects instead of
# evaluating the strings at import.
from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field

from domain.model.base import Base
from domain.types import UTCDateTime


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


class Conversation(Base, table=True):
    """What a chat user is in the middle of (a command awaiting confirmation or a missing
    value), per user and channel, so a restart loses nothing."""

    __tablename__ = "conversation"

    user_name: str = Field(primary_key=True, max_length=64)
    channel: str = Field(primary_key=True, max_length=128)
    state: str = Field(default="")
    updated_at: datetime = Field(sa_type=UTCDateTime())
