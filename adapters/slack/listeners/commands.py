"""The `/jxc` slash command: `/jxc 电钻还有多少` asks as a message would."""

from __future__ import annotations


async def on_jxc(ack, command, context) -> None:
    await ack()
    if not command.get("channel_id"):  # nowhere to answer
        return
    context["jxc"].spawn(
        context["jxc"].answer(
            command.get("user_id", ""),
            command["channel_id"],
            command.get("text", ""),
            f"command {command.get('trigger_id', '')}",
        )
    )


def register(app) -> None:
    app.command("/jxc")(on_jxc)
