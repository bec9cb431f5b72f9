"""Messages: a mention of the bot in a channel (`app_mention`) and a direct message
(`message.im`), either with an image shared (read for its codes: `adapters.slack.photos`).
Events are acknowledged by bolt before the listener runs."""

from __future__ import annotations

from adapters.slack.photos import images


async def on_mention(body, event, context) -> None:
    if not event.get("channel"):  # nowhere to answer (the HTTP door drops these first)
        return
    if images(event):
        context["jxc"].spawn(_photo(body, event, context, thread_ts=event.get("thread_ts")))
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
    # Only what a person typed or shared in a DM: edits, joins and bots' own posts have
    # another subtype or a bot_id.
    if event.get("channel_type") != "im" or event.get("bot_id") or not event.get("channel"):
        return
    if event.get("subtype") == "file_share" and images(event):
        context["jxc"].spawn(_photo(body, event, context))
        return
    if event.get("subtype"):
        return
    context["jxc"].spawn(
        context["jxc"].answer(
            event.get("user", ""),
            event["channel"],
            event.get("text", ""),
            body.get("event_id") or event.get("event_ts", ""),
        )
    )


def _photo(body, event, context, thread_ts: str | None = None):
    return context["jxc"].answer_photo(
        event.get("user", ""),
        event["channel"],
        event.get("text", ""),
        images(event),
        body.get("event_id") or event.get("event_ts", ""),
        thread_ts=thread_ts,
    )


def register(app) -> None:
    app.event("app_mention")(on_mention)
    app.event("message")(on_message)
