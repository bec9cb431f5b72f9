"""Messages: a mention of the bot in a channel (`app_mention`) and a direct message
(`message.im`). Events are acknowledged by bolt before the listener runs."""

from __future__ import annotations


async def on_mention(body, event, context) -> None:
    if not event.get("channel"):  # nowhere to answer (the HTTP door drops these first)
        return
    context["jxc"].spawn(
        context["jxc"].answer(
            event.get("user", ""),
            event["channel"],
            event.get("text", ""),
            body.get("event_id") or event.get("event_ts", ""),
            thread_ts=event.get("thread_ts"),
        )
    )


async def on_message(body, event, context) -> None:
    # Only what a person typed in a DM: edits, joins and bots' own posts have a subtype or bot_id.
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    if not event.get("channel"):
        return
    context["jxc"].spawn(
        context["jxc"].answer(
            event.get("user", ""),
            event["channel"],
            event.get("text", ""),
            body.get("event_id") or event.get("event_ts", ""),
        )
    )


def register(app) -> None:
    app.event("app_mention")(on_mention)
    app.event("message")(on_message)
