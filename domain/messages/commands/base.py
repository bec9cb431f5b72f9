"""The base of every command, and how a command's JSON is read: coerced where the parser, a button
or a stored state holds it, vetted first where a stranger wrote it (`jxc run`, a tool call)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, ClassVar

from domain.errors import BadRequest, MissingSlot
from domain.messages import codec
from domain.messages.codec import echo


@dataclass(frozen=True)
class Command:
    """Base of all commands. `intent` is the design's name; `WRITE` says whether it changes data;
    `REQUIRED` names the slots (JSON names) it cannot run without (`missing_slot`)."""

    intent: ClassVar[str] = ""
    WRITE: ClassVar[bool] = True
    REQUIRED: ClassVar[tuple[str, ...]] = ()
    TEXT_LIMITS: ClassVar[dict[str, int]] = {}
    """Longer text limits by slot name (a slot's type may say it instead: `LongText`)."""
    JSON_LEAVES_OUT: ClassVar[str] = "none"

    def __post_init__(self):
        """Every slot checked once by its type, where the command is built, so each way in and
        each database answers the same bad input the same way: text over its length, a NUL byte
        or a lone surrogate is `bad_request`; a number too large or too fine to be a quantity or
        an amount is `invalid_quantity` / `invalid_amount`."""
        codec.check(self)

    def to_dict(self) -> dict:
        """The design's JSON shape: the intent first, absent optional slots left out, decimals
        as strings."""
        return codec.encode(self, {"intent": self.intent})

    def fingerprint(self, shape: dict | None = None) -> str:
        """A stable hash of the command, to tell a replay from a different command (`shape`:
        its `to_dict()` when the caller has it already)."""
        raw = json.dumps(shape or self.to_dict(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()


class CommandReading(codec.Reading):
    """How a command's JSON is read: each slot coerced to its type (text from a number, a
    decimal from its string), a null slot absent, a required one empty `missing_slot`. When
    `vetting` (JSON a stranger wrote), first a key the intent lacks or a value of the wrong JSON
    type is `bad_request`, a number written two ways `invalid_quantity` / `invalid_amount`."""

    coerce = True
    none_is_absent = True
    base = 1
    ENVELOPE = ("intent", "key")

    def __init__(self, intent: str, vetting: bool = False):
        super().__init__()
        self.intent = intent
        self.vetting = vetting

    def refuse(self, path, kind, raw) -> Exception:
        where = self.where(path)
        if self.vetting:
            shown = json_type(raw)
            return BadRequest(
                f"{self.intent}: {where} must be {kind.expected}, not {shown}",
                zh=f"{self.intent}：{where} 的类型不对（{shown}）",
            )
        return MissingSlot(f"{where} must be {kind.noun}", zh=f"{where} 必须是{kind.noun_zh}")

    def unknown(self, cls, path, keys) -> Exception:
        names = ", ".join(repr(echo(k, 30)) for k in keys[:5])
        have = ", ".join(s.key for s in codec.slots(cls))
        if path:
            where = self.where(path)
            return BadRequest(
                f"{self.intent} {where} has no field {names}; a {cls.__name__.lower()} has {have}",
                zh=f"{self.intent} {where} 没有字段 {names}",
            )
        have = have or "no fields"
        return BadRequest(
            f"{self.intent} has no field {names}; its fields: {have}",
            zh=f"{self.intent} 没有字段 {names}；可用字段：{have}",
        )

    def enter(self, cls, data, path) -> None:
        if path:
            return
        if self.vetting:
            codec.vet(cls, data, self, extra=self.ENVELOPE)
        for slot in cls.REQUIRED:
            if data.get(slot) in (None, "", []):
                raise MissingSlot(f"{self.intent} needs {slot}", zh=f"{self.intent} 缺少 {slot}")


def decode_command(cls: type[Command], data: dict, vetting: bool = False) -> Command:
    """The command of type `cls` whose JSON is `data` (`vetting`: a stranger's JSON)."""
    return codec.decode(cls, data, CommandReading(cls.intent, vetting))


def json_type(value: Any) -> str:
    """What a JSON value is, as a refusal names it."""
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
