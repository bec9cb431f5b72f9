"""Block actions: the buttons under our messages (confirm / cancel a proposal, an alert's
buttons). A Reject tap opens a form (a modal) asking why; its submission rejects the request with
that reason, and until then nothing changes."""

from __future__ import annotations

import asyncio
import json
import logging
import re

from adapters.slack.render import ACTION_PREFIX
from bot.render.errors import unregistered_reply
from bot.waiting import ReasonPrompt

log = logging.getLogger(__name__)
REJECT = re.compile(r"^ap:(A-\d+):reject$")
REASON_VIEW = "jxc_reject_reason"
REASON_INPUT = "reason"


async def on_button(ack, body, action, context, client) -> None:
    await ack()
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id", "")
    message_ts = container.get("message_ts") or (body.get("message") or {}).get("ts", "")
    value = action.get("value", "")
    if REJECT.match(value):
        # The form must open within Slack's 3 s of the tap: at once, not queued behind work.
        await ask_reason(context["jxc"], client, body, channel, value)
        return
    context["jxc"].spawn(
        context["jxc"].press(
            (body.get("user") or {}).get("id", ""),
            channel,
            message_ts,
            action.get("value", ""),
            f"action {message_ts} {action.get('action_ts', '')}",
        )
    )


async def ask_reason(chat, client, body, channel: str, value: str) -> None:
    """A Reject tap: the checks of any tap (decided already, one's own, the right to decide),
    then the form asking why."""
    slack_id = (body.get("user") or {}).get("id", "")
    name = await asyncio.to_thread(chat._user_name, slack_id)
    if name is None:
        await chat.sender.ephemeral(channel, slack_id, unregistered_reply("Slack", slack_id, "en"))
        return
    reply = await asyncio.to_thread(
        chat.conversation.act, name, f"slack:{channel}", value, None, None, "modal"
    )
    if not isinstance(reply, ReasonPrompt):
        await chat.sender.ephemeral(channel, slack_id, reply)
        return
    zh = reply.lang == "zh"
    view = {
        "type": "modal",
        "callback_id": REASON_VIEW,
        "private_metadata": json.dumps({"request": reply.request, "channel": channel}),
        "title": {
            "type": "plain_text",
            "text": f"驳回 {reply.request}" if zh else f"Reject {reply.request}",
        },
        "submit": {"type": "plain_text", "text": "驳回" if zh else "Reject"},
        "close": {"type": "plain_text", "text": "取消" if zh else "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": REASON_INPUT,
                "label": {"type": "plain_text", "text": reply.text[:2000]},
                "element": {
                    "type": "plain_text_input",
                    "action_id": REASON_INPUT,
                    "multiline": True,
                    "max_length": 500,
                },
            }
        ],
    }
    await client.views_open(trigger_id=body.get("trigger_id", ""), view=view)


async def on_reason(ack, body, view, context) -> None:
    """The form of a Reject tap, submitted: reject with the reason given."""
    await ack()
    chat = context["jxc"]
    slack_id = (body.get("user") or {}).get("id", "")
    meta = json.loads(view.get("private_metadata") or "{}")
    values = (view.get("state") or {}).get("values") or {}
    reason = ((values.get(REASON_INPUT) or {}).get(REASON_INPUT) or {}).get("value") or ""
    chat.spawn(_rejected(chat, slack_id, meta, reason, f"view {view.get('id', '')}"))


async def _rejected(chat, slack_id: str, meta: dict, reason: str, delivery: str) -> None:
    request, channel = meta.get("request", ""), meta.get("channel", "")
    name = await asyncio.to_thread(chat._user_name, slack_id)
    if name is None or not request:
        return
    reply = await asyncio.to_thread(
        chat.conversation.reject, name, request, reason, None, ("slack", delivery)
    )
    if reply.ok and chat.refresh_copies is not None:
        await asyncio.to_thread(chat.refresh_copies, f"ap:{request}:reject")
    if channel:
        await chat.sender.ephemeral(channel, slack_id, reply)


def register(app) -> None:
    app.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))(on_button)
    app.view(REASON_VIEW)(on_reason)
