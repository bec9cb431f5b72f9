"""Delivering alerts: each queued delivery goes out once per alert × recipient × channel ×
purpose through a notifier (`deliver_pending`), its chart file released once sent; after a
decision or an action every copy of an alert is edited in place (`refresh_copies`).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import timedelta
from pathlib import Path

from adapters.notify import Notifier, RetryLater, _quickly

logger = logging.getLogger(__name__)

DELIVERY_LEASE = timedelta(minutes=2)
"""How long a claimed delivery is left to its worker before another may take it (a crash
between sending and marking it sent delivers it again: at least once)."""
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(hours=1),
)
MAX_ATTEMPTS = 8


def deliver_pending(
    app,
    notifier: Notifier,
    limit: int = 50,
    tries: int = 3,
    should_stop=None,
    channels: Collection[str] | None = None,
) -> int:
    """Send the deliveries that are due, each through its channel; returns how many were sent.

    Each is claimed first (its next attempt moved past the lease by an UPDATE whose row count
    says whether this worker won it, in its own transaction: two workers never send the same
    one), then sent with quick retries of a 5xx or a timeout, then marked sent with where the
    platform put it (`platform_ref`). A 429 holds that channel (its rows wait, unclaimed,
    for `Retry-After`) while the other channels go on. One that still fails keeps its error
    and is tried again later, with a growing delay, up to `MAX_ATTEMPTS`. Approval and reorder
    alerts carry their buttons while they are open; a decision told to a requester edits every
    copy of its alert. A delivery whose subject was decided or resolved by its turn (an
    approval request answered, an alert resolved) is marked skipped, not sent. A file made
    only for sending (a digest's chart) is removed once no delivery naming it waits.
    `channels`: only the deliveries of these channels (None: all). `should_stop()` true ends
    the pass after the delivery in hand."""
    from sqlalchemy import select, true, update

    from bot.render.alerts import alert_buttons
    from domain.alerts.records import LIVE, alert_t, delivery_t
    from domain.model import User

    user_t = User.__table__
    sent = 0
    with app.uow(write=False) as uow:
        due = uow.execute(
            select(delivery_t.c.id, delivery_t.c.channel)
            .where(
                (delivery_t.c.status == "pending")
                & (delivery_t.c.next_attempt_at <= uow.now)
                & (delivery_t.c.channel.in_(tuple(channels)) if channels is not None else true())
            )
            .order_by(delivery_t.c.id)
            .limit(limit)
        ).all()
    held: set[str] = set()
    for delivery_id, channel in due:
        if should_stop is not None and should_stop():
            break
        if channel in held or notifier.held(channel):
            continue
        with app.uow() as uow:
            claimed = uow.execute(
                update(delivery_t)
                .where(
                    (delivery_t.c.id == delivery_id)
                    & (delivery_t.c.status == "pending")
                    & (delivery_t.c.next_attempt_at <= uow.now)
                )
                .values(
                    next_attempt_at=uow.now + DELIVERY_LEASE,
                    attempts=delivery_t.c.attempts + 1,
                )
                .returning(delivery_t.c.id)
            ).first()
            row = uow.execute(select(delivery_t).where(delivery_t.c.id == delivery_id)).first()
            who = uow.execute(select(user_t).where(user_t.c.name == row.recipient)).first()
            alert = uow.execute(select(alert_t).where(alert_t.c.id == row.alert_id)).first()
            stale = claimed is not None and _subject_closed(uow, row, alert)
            if stale:
                uow.execute(
                    update(delivery_t)
                    .where(delivery_t.c.id == delivery_id)
                    .values(status="skipped", last_error=f"not sent: {stale}")
                )
            uow.commit()
        if claimed is None:
            continue
        if stale:
            logger.info(
                "delivery %s skipped: %s", delivery_id, stale, extra={"delivery": delivery_id}
            )
            release_attachment(app, row)
            continue
        if row.purpose == "closing":  # nothing to send: the copies already posted are edited
            with app.uow() as uow:
                uow.execute(
                    update(delivery_t)
                    .where(delivery_t.c.id == delivery_id)
                    .values(status="sent", sent_at=uow.now, last_error=None)
                )
                uow.commit()
            refresh_copies(app, notifier, row.alert_id)
            continue
        buttons = []
        if row.purpose != "decision" and alert is not None and alert.status in LIVE:
            buttons = alert_buttons(alert.kind, alert.subject, alert.id)
        png = _attachment(row)
        try:
            ref = _quickly(
                notifier.deliver, tries, channel, who or row.recipient, row.text, png, buttons
            )
        except RetryLater as exc:
            held.add(channel)
            logger.info("delivery %s waits: %s", delivery_id, exc, extra={"delivery": delivery_id})
            with app.uow() as uow:  # not an attempt: due again once the channel may send
                uow.execute(
                    update(delivery_t)
                    .where(delivery_t.c.id == delivery_id)
                    .values(
                        next_attempt_at=uow.now,
                        attempts=delivery_t.c.attempts - 1,
                        last_error=str(exc)[:500],
                    )
                )
                uow.commit()
            continue
        except Exception as exc:  # noqa: BLE001 - a channel's failure is kept on the row
            logger.warning(
                "delivery %s failed: %s", delivery_id, exc, extra={"delivery": delivery_id}
            )
            with app.uow() as uow:
                delay = RETRY_DELAYS[min(row.attempts - 1, len(RETRY_DELAYS) - 1)]
                uow.execute(
                    update(delivery_t)
                    .where(delivery_t.c.id == delivery_id)
                    .values(
                        last_error=f"{type(exc).__name__}: {exc}"[:500],
                        next_attempt_at=uow.now + delay,
                        status="failed" if row.attempts >= MAX_ATTEMPTS else "pending",
                    )
                )
                uow.commit()
            if row.attempts >= MAX_ATTEMPTS:
                release_attachment(app, row)
            continue
        with app.uow() as uow:
            uow.execute(
                update(delivery_t)
                .where(delivery_t.c.id == delivery_id)
                .values(status="sent", sent_at=uow.now, last_error=None, platform_ref=ref)
            )
            uow.commit()
        sent += 1
        release_attachment(app, row)
        if row.purpose == "decision":
            refresh_copies(app, notifier, row.alert_id)
    return sent


def _subject_closed(uow, row, alert) -> str | None:
    """Why a delivery's message no longer holds when its turn comes (None: it does). Only
    the alert itself, its reminders and escalations ask for something; a decision told to a
    requester and a digest are sent whatever became of the alert."""
    from sqlalchemy import select

    from domain.alerts.records import LIVE
    from domain.model import ApprovalRequest

    if alert is None or row.purpose in ("decision", "digest", "closing"):
        return None
    if alert.status not in LIVE:
        return f"alert {alert.id} is {alert.status}"
    if alert.kind == "approval":
        req_t = ApprovalRequest.__table__
        status = uow.execute(select(req_t.c.status).where(req_t.c.number == alert.subject)).scalar()
        if status is not None and status != "pending":
            return f"{alert.subject} is {status}"
    return None


PRIVATE_PREFIXES = ("jxc-digest-", "jxc-documents-")
"""The names of the private directories (`tempfile.mkdtemp`) that hold files made only for
sending: such a directory goes with its last file."""


def release_attachment(app, row) -> bool:
    """Remove the file a delivery carried once no delivery naming it is still pending (every
    one sent, skipped or failed for good), and its private directory when that is left
    empty. A file a user asked for (`--png`) is never queued, so never removed here. True when
    the file was removed."""
    from sqlalchemy import exists, select

    from domain.alerts.records import delivery_t

    path = getattr(row, "attachment", None)
    if not path:
        return False
    with app.uow(write=False) as uow:
        waiting = uow.execute(
            select(
                exists().where(
                    (delivery_t.c.attachment == path) & (delivery_t.c.status == "pending")
                )
            )
        ).scalar()
    if waiting:
        return False
    file = Path(path)
    if not file.parent.name.startswith(PRIVATE_PREFIXES):
        return False
    try:
        file.unlink(missing_ok=True)
        file.parent.rmdir()
    except OSError as exc:  # another worker's removal, or a file left beside it: logged
        logger.debug("removing %s: %s", file, exc)
    return True


def _attachment(row) -> str | None:
    """The chart a delivery carries, when its file is still there (a restart may have cleared
    the temporary directory: the text goes without it)."""
    path = getattr(row, "attachment", None)
    if path and not Path(path).is_file():
        logger.warning("delivery %s: its chart %s is gone; sending the text", row.id, path)
        return None
    return path or None


def refresh_copies(app, notifier: Notifier, alert_id: int) -> int:
    """Edit every copy of an alert already posted (every channel, every recipient) to say what
    became of it ("Approved by mary 10:42", in each recipient's language and JXC_TIMEZONE);
    nothing while it is open. Returns how many copies were edited."""
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from bot.render.alerts import decided_copy, delegated_by, outcome_line, replaced_line
    from domain.alerts.records import alert_t, delivery_t
    from domain.model import ApprovalRequest, User

    req_t, user_t = ApprovalRequest.__table__, User.__table__
    tz = ZoneInfo(app.settings.timezone)

    def local(at, fmt: str = "%H:%M") -> str:
        return at.astimezone(tz).strftime(fmt) if at is not None else ""

    with app.uow(write=False) as uow:
        alert = uow.execute(select(alert_t).where(alert_t.c.id == alert_id)).first()
        if alert is None:
            return 0
        copies = uow.execute(
            select(delivery_t)
            .where(
                (delivery_t.c.alert_id == alert_id)
                & delivery_t.c.platform_ref.is_not(None)
                & (delivery_t.c.purpose != "decision")
            )
            .order_by(delivery_t.c.id)
        ).all()
        langs = {r.name: r.lang for r in uow.execute(select(user_t.c.name, user_t.c.lang))}
        req = None
        if alert.kind == "approval":
            req = uow.execute(select(req_t).where(req_t.c.number == alert.subject)).first()
    if req is not None and req.status != "pending":
        status, by, at, until = req.status, req.decided_by or "", local(req.decided_at), ""
    elif alert.status != "open" and alert.kind != "approval":
        status, by, at = alert.status, alert.acted_by or "", local(alert.updated_at)
        until = local(alert.snoozed_until, "%m-%d %H:%M")
    else:
        return 0
    behalf = (req.on_behalf_of or "") if req is not None else ""
    replaced = (req.decision_reason or "") if req is not None and status == "cancelled" else ""
    replaced = replaced.removeprefix("replaced by ") if replaced.startswith("replaced by ") else ""
    edited = 0
    for copy in copies:
        lang = langs.get(copy.recipient, "en")
        if replaced:
            line = replaced_line(replaced, at, lang)
        else:
            who = delegated_by(by, behalf, lang) if behalf else by
            line = outcome_line(status, who, at, lang, until)
        try:
            edited += bool(
                notifier.edit(copy.channel, copy.platform_ref, decided_copy(copy.text, line))
            )
        except Exception as exc:  # noqa: BLE001 - a copy left as it was is logged, not fatal
            logger.warning(
                "editing delivery %s failed: %s", copy.id, exc, extra={"delivery": copy.id}
            )
    return edited


def refresh_for_tap(app, notifier: Notifier, payload: str) -> int:
    """`refresh_copies` for the alert a tapped button was about (`ap:A-7:…` the approval alert
    of request A-7, `al:12:…` alert 12)."""
    from sqlalchemy import select

    from domain.alerts.records import alert_t

    kind, _, rest = (payload or "").partition(":")
    target = rest.rpartition(":")[0]
    if kind == "al" and target.isdigit():
        return refresh_copies(app, notifier, int(target))
    if kind != "ap" or not target:
        return 0
    with app.uow(write=False) as uow:
        alert_id = uow.execute(
            select(alert_t.c.id)
            .where((alert_t.c.kind == "approval") & (alert_t.c.subject == target.upper()))
            .order_by(alert_t.c.id.desc())
            .limit(1)
        ).scalar()
    return refresh_copies(app, notifier, alert_id) if alert_id is not None else 0
