"""Reading a command from JSON written by someone else (a script on `jxc run`, a tool call).

`read_command(data)` tells input that is not a command at all — not an object, no or an unknown
intent, a field the intent does not have, a value of the wrong JSON type — (`BadRequest`) from a
command that lacks a required slot (`MissingSlot`) and from a value of the right type that is
wrong (`InvalidQuantity`, `InvalidAmount`, … from the slot's type or the services). The envelope
(the intent, the idempotency key) is read here; the slots by the one codec (`domain.messages.codec`).
"""

from __future__ import annotations

from typing import Any

from domain.errors import BadRequest
from domain.ledger.lookup import close_matches
from domain.messages import codec
from domain.messages.commands import (
    COMMANDS,
    INTENTS,
    PENDING_INTENTS,
    Command,
    CommandReading,
    check_text,
    command_from_dict,
    decode_command,
    echo,
    json_type,
)

ENVELOPE = ("key",)
"""Fields every line may carry beside the command's slots (the idempotency key)."""


def slot_names(cls: type[Command]) -> list[str]:
    """The JSON names of a command's slots (`from` for `from_`)."""
    return [s.key for s in codec.slots(cls)]


def read_command(data: Any) -> Command:
    """Build a typed command from a decoded JSON value, refusing what is not a command with
    `BadRequest` (with the close intent names as suggestions for a misspelt intent)."""
    if not isinstance(data, dict):
        raise BadRequest(
            f"a command is a JSON object, not {json_type(data)}",
            zh="指令必须是 JSON 对象",
        )
    intent = data.get("intent")
    if not isinstance(intent, str) or not intent.strip():
        raise BadRequest(
            'a command needs an "intent" (e.g. "stock.query")',
            zh='指令需要 "intent"（例如 "stock.query"）',
        )
    key = data.get("key")
    if key is not None:
        codec.Text().vet(key, CommandReading(intent, vetting=True), ("key",))
        check_text("key", str(key))
        if not str(key).isprintable():
            raise BadRequest(
                "key must be printable text (no control characters)",
                zh="请求编号不能含控制字符",
            )
    check_text("intent", intent, 64)
    if intent in PENDING_INTENTS:
        return command_from_dict(data)
    cls = COMMANDS.get(intent)
    if cls is None:
        near = close_matches(intent, INTENTS)
        hint = f"; did you mean {', '.join(near)}?" if near else f"; intents: {', '.join(INTENTS)}"
        shown = repr(echo(intent))
        raise BadRequest(
            f"unknown intent {shown}{hint}", zh=f"未知的指令 {shown}", suggestions=near
        )
    return decode_command(cls, data, vetting=True)
