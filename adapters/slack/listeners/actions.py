"""Block actions: the buttons under our messages (confirm / cancel a proposal)."""

from __future__ import annotations

import re

from adapters.slack.render import ACTION_PREFIX


async def on_button(ack, body, action, context) -> None:
    await ack()
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
    message_ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
    context["jxc"].spawn(
        context["jxc"].press(
            (body.get("user") or {}).get("id", ""),
            channel,
            message_ts,
            action.get("value", ""),
            f"action {message_ts} {action.get('action_ts', '')}",
        )
    )


def register(app) -> None:
    app.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))(on_button)
