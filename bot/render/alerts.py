"""Alerts in chat: the buttons an alert carries, what the chat asks before acting on one, and
what its copies say once it is decided."""

from __future__ import annotations

from bot.render.reply import Button, t

_ALERT_STATES = {
    "open": "未处理",
    "acknowledged": "已确认",
    "snoozed": "已推迟",
    "resolved": "已解决",
}


def alert_state(status: str, lang: str) -> str:
    """An alert's state in words of the language."""
    return _ALERT_STATES.get(status, status) if lang == "zh" else status


def alert_proposal(alert: int, lang: str, *, snooze: bool, days: int | None = None) -> str:
    """What the chat asks before acknowledging or snoozing an alert (for `days`, default 1)."""
    if snooze:
        days = 1 if days is None else days
        return t(
            lang,
            f"Snooze alert {alert} for {days} day{'s' if days != 1 else ''}?",
            f"将预警 {alert} 推迟 {days} 天？",
        )
    return t(lang, f"Acknowledge alert {alert}?", f"确认预警 {alert}？")


# -- alerts in chat: their buttons, and what their copies say afterwards ------------------------

APPROVE = Button("批准 Approve", "approve")
REJECT = Button("驳回 Reject", "reject")
DRAFT_PO = Button("下采购单 Create draft PO", "order")
SNOOZE = Button("推迟一天 Snooze 1 day", "snooze")
ALERT_PAYLOADS = ("ap:", "al:")
"""Payloads of alert buttons: `ap:A-7:approve` / `ap:A-7:reject` (the request, expected
pending), `al:12:order` / `al:12:snooze` (the alert, expected open); all well under 64 bytes."""


def alert_buttons(kind: str, subject: str, alert_id: int) -> list[Button]:
    """The buttons an alert carries to its recipients: Approve / Reject on an approval request,
    Create draft PO / Snooze 1 day on a reorder alert, none on the others."""
    if kind == "approval":
        return [Button(b.label, f"ap:{subject}:{b.payload}") for b in (APPROVE, REJECT)]
    if kind == "reorder":
        return [Button(b.label, f"al:{alert_id}:{b.payload}") for b in (DRAFT_PO, SNOOZE)]
    return []


_DONE = {
    "approved": ("Approved by {by} {at}", "已由 {by} 于 {at} 批准"),
    "rejected": ("Rejected by {by} {at}", "已由 {by} 于 {at} 驳回"),
    "cancelled": ("Cancelled by {by} {at}", "已由 {by} 于 {at} 取消"),
    "acknowledged": ("Acknowledged by {by} {at}", "已由 {by} 于 {at} 确认"),
    "snoozed": ("Snoozed by {by} until {until}", "已由 {by} 推迟到 {until}"),
    "resolved": ("Resolved {at}", "已于 {at} 解决"),
}


def outcome_line(status: str, by: str, at: str, lang: str, until: str = "") -> str:
    """What became of an alert or request, for its copies (`at` and `until` already in
    JXC_TIMEZONE): "Approved by mary 10:42" / "已由 mary 于 10:42 批准"."""
    en, zh = _DONE.get(status, (status, status))
    return t(lang, en, zh).format(by=by or "?", at=at, until=until)


def delegated_by(by: str, on_behalf_of: str, lang: str) -> str:
    """Who decided a request in someone's stead: "li for mary" / "li（代 mary）"."""
    return t(lang, f"{by} for {on_behalf_of}", f"{by}（代 {on_behalf_of}）")


def replaced_line(newer: str, at: str, lang: str) -> str:
    """A request an amendment replaced, for its copies: which request now waits instead."""
    return t(
        lang,
        f"Replaced by {newer} {at} (the order was changed)",
        f"已于 {at} 被 {newer} 取代（订单已修改）",
    )


def decided_copy(text: str, line: str) -> str:
    """A copy of an alert after its decision: what it said, then the outcome (no buttons)."""
    return f"{text}\n\n{line}"
