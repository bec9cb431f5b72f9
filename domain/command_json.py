"""Reading a command from JSON written by someone else (a script on `jxc run`, a tool call).

`read_command(data)` tells input that is not a command at all — not an object, no or an unknown
intent, a field the intent does not have, a value of the wrong JSON type — (`BadRequest`) from a
command that lacks a required slot (`MissingSlot`, from `command_from_dict`) and from a value of
the right type that is wrong (`InvalidQuantity`, `InvalidAmount`, … from the services).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from domain.commands import (
    COMMANDS,
    INTENTS,
    PENDING_INTENTS,
    Command,
    check_text,
    command_from_dict,
    echo,
)
from domain.errors import BadRequest, InvalidAmount, InvalidQuantity
from domain.lookup import close_matches
from domain.numbers import to_decimal

ENVELOPE = ("key",)
"""Fields every line may carry beside the command's slots (the idempotency key)."""
DECIMALS = ("qty", "counted_qty", "unit_cost")
LINE_FIELDS = ("item", "qty", "price", "discount")
LINE_DECIMALS = ("qty", "price", "discount")


def slot_names(cls: type[Command]) -> list[str]:
    """The JSON names of a command's slots (`from` for `from_`)."""
    return ["from" if f.name == "from_" else f.name for f in dataclasses.fields(cls)]


def read_command(data: Any) -> Command:
    """Build a typed command from a decoded JSON value, refusing what is not a command with
    `BadRequest` (with the close intent names as suggestions for a misspelt intent)."""
    if not isinstance(data, dict):
        raise BadRequest(
            f"a command is a JSON object, not {_json_type(data)}",
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
        _text(intent, "key", key)
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
    slots = slot_names(cls)
    unknown = [k for k in data if k != "intent" and k not in slots and k not in ENVELOPE]
    if unknown:
        have = ", ".join(slots) or "no fields"
        names = ", ".join(repr(echo(k, 30)) for k in unknown[:5])
        raise BadRequest(
            f"{intent} has no field {names}; its fields: {have}",
            zh=f"{intent} 没有字段 {names}；可用字段：{have}",
        )
    for name in slots:
        value = data.get(name)
        if value is not None:
            _check(intent, name, value)
    return command_from_dict(data)


def _check(intent: str, name: str, value: Any) -> None:
    if name in DECIMALS:
        _decimal(intent, name, value)
    elif name == "lines":
        if not isinstance(value, list):
            _wrong(intent, name, value, "a list of {item, qty, price?, discount?}")
        for i, line in enumerate(value, start=1):
            where = f"lines[{i}]"
            if not isinstance(line, dict):
                _wrong(intent, where, line, "an object {item, qty, price?, discount?}")
            extra = [k for k in line if k not in LINE_FIELDS]
            if extra:
                names = ", ".join(repr(echo(k, 30)) for k in extra[:5])
                raise BadRequest(
                    f"{intent} {where} has no field {names}; a line has {', '.join(LINE_FIELDS)}",
                    zh=f"{intent} {where} 没有字段 {names}",
                )
            for key in LINE_DECIMALS:
                if line.get(key) is not None:
                    _decimal(intent, f"{where}.{key}", line[key])
            if line.get("item") is not None:
                _text(intent, f"{where}.item", line["item"])
    elif name == "days":
        if isinstance(value, bool) or not (
            isinstance(value, int) or isinstance(value, str) and value.strip().isdigit()
        ):
            _wrong(intent, name, value, "a whole number of days")
    elif name == "shipment":
        if isinstance(value, bool) or not isinstance(value, int | str):
            _wrong(intent, name, value, "a shipment's number (1 for the first)")
    elif name == "mine":
        if not isinstance(value, bool):
            _wrong(intent, name, value, "true or false")
    else:
        _text(intent, name, value)


def _decimal(intent: str, name: str, value: Any) -> None:
    # JSON numbers with a fraction are floats, which are not exact: decimals travel as strings.
    if isinstance(value, bool) or not isinstance(value, str | int):
        _wrong(intent, name, value, 'a decimal string such as "12.50"')
    if isinstance(value, str) and value.strip():
        # `1,5`, `2e3`: a number written so it could be read two ways is refused, never guessed
        # (a quantity `invalid_quantity`, a price, cost or discount `invalid_amount`).
        to_decimal(value, name, error=InvalidQuantity if "qty" in name else InvalidAmount)


def _text(intent: str, name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        _wrong(intent, name, value, "a string")


def _wrong(intent: str, name: str, value: Any, expected: str) -> None:
    raise BadRequest(
        f"{intent}: {name} must be {expected}, not {_json_type(value)}",
        zh=f"{intent}：{name} 的类型不对（{_json_type(value)}）",
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {echo(value, 30)}"
    if isinstance(value, str):
        return f"the string {echo(value, 20)!r}" if len(value) <= 20 else "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
