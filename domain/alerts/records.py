"""Alerts and their deliveries: the tables' access, the states and the recipients; the
`alert.*` services are `domain.alerts.actions`.

An alert is raised by the rules feed (`rules.feed`) with a unique cause key (kind + subject +
the event or period that caused it), so one cause never alerts twice however many workers run.
States: `open` → `acknowledged` | `snoozed` (until a time, then open again) → `resolved`.
A delivery row is one message of an alert to one recipient on one channel (the alert, a
reminder, an escalation, or a decision told to the requester), unique per alert × recipient ×
channel × purpose, so each is sent once.
"""

from __future__ import annotations

import json

from sqlalchemy import func, insert, select, update

from domain.approvals.delegation import delegate_users
from domain.model import Alert, Delivery, User
from domain.roles import is_admin

alert_t = Alert.__table__
delivery_t = Delivery.__table__
user_t = User.__table__

KINDS = ("reorder", "anomaly.demand", "anomaly.price", "anomaly.count", "anomaly.negative",
         "approval")  # fmt: skip
STATES = ("open", "acknowledged", "snoozed", "resolved")
LIVE = ("open", "acknowledged", "snoozed")
"""States of an alert whose cause still holds (not resolved)."""
CHANNEL = "console"
CHAT_CHANNELS = {"slack": "slack_id", "telegram": "telegram_id"}
"""The chat channels a delivery can go by, and the user column that addresses each."""
# Who hears of each kind; a role with nobody in it falls back to the admins.
ROLE_OF = {
    "reorder": "buyer",
    "anomaly.demand": "buyer",
    "anomaly.price": "approver",
    "anomaly.count": "approver",
    "anomaly.negative": "admin",
}


# -- recipients --------------------------------------------------------------------------------


def users_by_role(uow) -> dict[str, list]:
    """Registered users by role, in id order."""
    out: dict[str, list] = {}
    for row in uow.execute(select(user_t).order_by(user_t.c.id)):
        out.setdefault(row.role, []).append(row)
    return out


def recipients(uow, kind: str, facts: dict, by_role: dict | None = None) -> list:
    """The users an alert of `kind` goes to (rows of `jxc_user`): reorder and demand anomalies
    to buyers, price and count anomalies to approvers, negative stock to admins, an approval to
    approvers, their current delegates and admins except its requester; a role with nobody in it falls back to admins."""
    by_role = users_by_role(uow) if by_role is None else by_role
    admins = by_role.get("admin", [])
    if kind == "approval":
        requester = facts.get("requested_by", "")
        people = by_role.get("approver", []) + admins
        # An approver's stand-in receives the requests too, while the delegation is in force.
        named = {u.name for u in people}
        people += [u for u in delegate_users(uow) if u.name not in named]
        people = [u for u in people if u.name != requester]
        return people or [u for u in admins if u.name != requester]
    return by_role.get(ROLE_OF.get(kind, "admin"), []) or admins


def may_see(uow, alert, user, by_role: dict | None = None) -> bool:
    """Whether `user` may see and act on `alert`: an admin, one of its recipients, or someone
    it was delivered to."""
    if is_admin(user.role):
        return True
    names = {u.name for u in recipients(uow, alert.kind, alert_facts(alert), by_role)}
    if user.name in names:
        return True
    sent = uow.execute(
        select(delivery_t.c.id).where(
            (delivery_t.c.alert_id == alert.id) & (delivery_t.c.recipient == user.name)
        )
    ).first()
    return sent is not None


def alert_facts(alert) -> dict:
    """The facts an alert was raised on (empty when they cannot be read)."""
    try:
        return json.loads(alert.facts or "{}")
    except ValueError:
        return {}


# -- what the feed stores ----------------------------------------------------------------------


def live_alert(uow, kind: str, subject: str):
    """The alert of kind + subject that is not resolved, or None."""
    return uow.execute(
        select(alert_t)
        .where(
            (alert_t.c.kind == kind) & (alert_t.c.subject == subject) & alert_t.c.status.in_(LIVE)
        )
        .order_by(alert_t.c.id.desc())
        .limit(1)
    ).first()


def live_subjects(uow, kinds: tuple[str, ...] | None = None) -> set[tuple[str, str]]:
    """(kind, subject) of every alert not resolved."""
    q = select(alert_t.c.kind, alert_t.c.subject).where(alert_t.c.status.in_(LIVE))
    if kinds:
        q = q.where(alert_t.c.kind.in_(kinds))
    return {(k, s) for k, s in uow.execute(q)}


def episode(uow, kind: str, subject: str) -> int:
    """How many alerts of kind + subject were resolved: a re-armed reorder alert is a new
    period of the same subject, with its own cause key."""
    return (
        uow.execute(
            select(func.count())
            .select_from(alert_t)
            .where(
                (alert_t.c.kind == kind)
                & (alert_t.c.subject == subject)
                & (alert_t.c.status == "resolved")
            )
        ).scalar()
        or 0
    )


def open_alert(
    uow, kind: str, subject: str, cause: str, facts: dict, message: str, message_zh: str
) -> int | None:
    """Store a new open alert; None when its cause is stored already (another worker, or the
    same cause again)."""
    now = uow.now
    res = uow.execute(
        uow.insert_ignore(alert_t).returning(alert_t.c.id),
        {
            "kind": kind,
            "subject": subject,
            "cause": cause[:200],
            "status": "open",
            "message": message,
            "message_zh": message_zh,
            "facts": json.dumps(facts, ensure_ascii=False, default=str),
            "created_at": now,
            "updated_at": now,
        },
    )
    row = res.first()
    return None if row is None else row[0]


def resolve_alert(uow, kind: str, subject: str, facts: dict | None = None):
    """Resolve the live alert of kind + subject; returns it (as it was) or None."""
    alert = live_alert(uow, kind, subject)
    if alert is None:
        return None
    values = {"status": "resolved", "resolved_at": uow.now, "updated_at": uow.now}
    if facts is not None:
        values["facts"] = json.dumps(
            {**alert_facts(alert), **facts}, ensure_ascii=False, default=str
        )
    uow.execute(update(alert_t).where(alert_t.c.id == alert.id).values(**values))
    return alert


def channels_of(user, configured: tuple[str, ...] | frozenset[str] = ()) -> list[str]:
    """The channels a message to `user` goes by: every configured chat channel they have an id
    for (`slack_id` → "slack", `telegram_id` → "telegram"), else the console."""
    out = [
        c for c, column in CHAT_CHANNELS.items() if c in configured and getattr(user, column, None)
    ]
    return out or [CHANNEL]


def add_delivery(
    uow,
    alert_id: int,
    recipient: str,
    text: str,
    purpose: str = "alert",
    channels: tuple[str, ...] | frozenset[str] = (),
) -> bool:
    """Queue one message of an alert to one recipient, one row per channel they are reached by
    among the configured `channels` (see `channels_of`); False when it was queued before."""
    user = None
    if channels:
        user = uow.execute(select(user_t).where(user_t.c.name == recipient)).first()
    queued = False
    for channel in channels_of(user, channels):
        res = uow.execute(
            uow.insert_ignore(delivery_t).returning(delivery_t.c.id),
            _delivery_row(uow, alert_id, recipient, channel, purpose, text),
        )
        queued = res.first() is not None or queued
    return queued


def add_closing(uow, alert_id: int) -> int:
    """Queue the editing of an alert's copies once it closed without a decision to tell (a
    request cancelled or replaced): one "closing" row per channel its copies went by, taken by
    the process that delivers that channel. Returns how many were queued."""
    channels = uow.execute(
        select(delivery_t.c.channel)
        .where((delivery_t.c.alert_id == alert_id) & (delivery_t.c.purpose != "closing"))
        .distinct()
    ).scalars()
    queued = 0
    for channel in sorted(channels):
        res = uow.execute(
            uow.insert_ignore(delivery_t).returning(delivery_t.c.id),
            _delivery_row(uow, alert_id, "", channel, "closing", ""),
        )
        queued += res.first() is not None
    return queued


def _delivery_row(uow, alert_id, recipient: str, channel: str, purpose: str, text: str) -> dict:
    """A new delivery, due now."""
    return {
        "alert_id": alert_id,
        "recipient": recipient,
        "channel": channel,
        "purpose": purpose,
        "text": text,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": uow.now,
        "created_at": uow.now,
    }


def queue_message(
    uow,
    user,
    text: str,
    *,
    purpose: str,
    channels: tuple[str, ...] | frozenset[str] = (),
    attachment: str | None = None,
) -> int:
    """Queue a message that belongs to no alert (a digest) to a user (a `jxc_user` row), one
    row per channel they are reached by (see `channels_of`), with a file to attach; how many
    rows. The deliveries send it like an alert's, with the same retries."""
    rows = [
        {**_delivery_row(uow, None, user.name, channel, purpose, text), "attachment": attachment}
        for channel in channels_of(user, channels)
    ]
    uow.execute(insert(delivery_t), rows)
    return len(rows)


def reopen_snoozed(uow) -> int:
    """Snoozed alerts whose time is up are open again; returns how many."""
    res = uow.execute(
        update(alert_t)
        .where((alert_t.c.status == "snoozed") & (alert_t.c.snoozed_until <= uow.now))
        .values(status="open", snoozed_until=None, updated_at=uow.now)
    )
    return res.rowcount or 0
