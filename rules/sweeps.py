"""The approval sweep: reminders to the recipients of a request still pending, escalations to
the admins, snoozed alerts whose time is up opened again. Compared with the injected clock, and
safe in several workers: each delivery is unique per alert × recipient × purpose.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain import settings
from domain.alerts import records as alerts
from domain.model import ApprovalRequest
from domain.uow import UnitOfWork
from rules.alerts_text import escalation_texts, pick, reminder_texts

req_t = ApprovalRequest.__table__


def sweep_approvals(uow: UnitOfWork, channels: tuple[str, ...] = ()) -> int:
    """Remind the recipients of an approval pending `approval.remind_hours`, escalate to
    the admins after `approval.escalate_hours` (by the injected clock); each once. Snoozed
    alerts whose time is up open again. Returns the deliveries queued."""
    alerts.reopen_snoozed(uow)
    remind = int(settings.get_decimal(uow, "approval.remind_hours"))
    escalate = int(settings.get_decimal(uow, "approval.escalate_hours"))
    a_t = alerts.alert_t
    rows = uow.execute(
        select(a_t, req_t.c.requested_at, req_t.c.requested_by)
        .select_from(a_t.join(req_t, req_t.c.number == a_t.c.subject))
        .where(
            (a_t.c.kind == "approval")
            & a_t.c.status.in_(alerts.LIVE)
            & (req_t.c.status == "pending")
            & (req_t.c.requested_at <= uow.now - timedelta(hours=min(remind, escalate)))
        )
    ).all()
    if not rows:
        return 0
    by_role = alerts.users_by_role(uow)
    queued = 0
    for row in rows:
        waited = uow.now - row.requested_at
        facts = {"requested_by": row.requested_by}
        steps = []
        if waited >= timedelta(hours=remind):
            people = alerts.recipients(uow, "approval", facts, by_role)
            steps.append(("reminder", people, reminder_texts(row.message, row.message_zh,
                                                              remind)))  # fmt: skip
        if waited >= timedelta(hours=escalate):
            admins = [u for u in by_role.get("admin", []) if u.name != row.requested_by]
            steps.append(("escalation", admins,
                          escalation_texts(row.message, row.message_zh, escalate)))  # fmt: skip
        for purpose, people, texts in steps:
            for user in people:
                text = pick(texts, user.lang)
                if alerts.add_delivery(uow, row.id, user.name, text, purpose, channels):
                    queued += 1
    return queued
