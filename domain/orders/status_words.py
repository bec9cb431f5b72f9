"""The words for an order's or a request's status, in English and Chinese: one table for every
reply, error and list that names one."""

from __future__ import annotations

NAME_ZH = {
    "confirmed": "已确认",
    "pending_approval": "待审批",
    "shipped": "已发货",
    "received": "已收货",
    "partially_received": "部分收货",
    "partially_shipped": "部分发货",
    "cancelled": "已取消",
    "posted": "已过账",
    "approved": "已批准",
    "rejected": "已驳回",
    "pending": "待审批",
}
"""A status as a list or a table names it (in English: the status with spaces)."""

STATE_EN = {
    "pending_approval": "waiting for approval",
    "partially_received": "partly received",
    "partially_shipped": "partly shipped",
    "received": "already received in full",
    "shipped": "already shipped",
}
STATE_ZH = {
    "pending_approval": "正在等待审批",
    "confirmed": "已确认",
    "partially_received": "已部分收货",
    "partially_shipped": "已部分发货",
    "received": "已全部收货",
    "shipped": "已发货",
    "cancelled": "已取消",
}
"""An order's status as a sentence says it ("SO-7 is already shipped")."""

DECIDED_ZH = {"approved": "批准", "rejected": "驳回", "cancelled": "取消"}
"""How a request was decided, in Chinese ("已由 Wang 处理（批准）")."""


def status_name(status: str, lang: str) -> str:
    """A status as a list names it."""
    return NAME_ZH.get(status, status) if lang == "zh" else status.replace("_", " ")


def state_en(status: str, approval: str | None = None) -> str:
    """An order's status in an English sentence; a waiting order's approval after it."""
    text = STATE_EN.get(status, status.replace("_", " "))
    return f"{text} ({approval})" if status == "pending_approval" and approval else text


def state_zh(status: str, approval: str | None = None) -> str:
    """An order's status in a Chinese sentence; a waiting order's approval after it."""
    text = STATE_ZH.get(status, status)
    return f"{text}（{approval}）" if status == "pending_approval" and approval else text
