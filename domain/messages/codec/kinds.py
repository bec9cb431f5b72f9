"""Kinds: how the values of a field go to JSON and back, and what a built one is checked for. A
field's kind comes from its type hint (`kind_of`); `Annotated[T, kind]` names one outright."""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from domain.messages.codec import core
from domain.messages.codec.checks import TEXT_LIMIT, check_value, number_error
from domain.numbers import qty_str, to_decimal


class Kind:
    """How the values of one field go to JSON and back, and what a built one is checked for.
    This one is raw JSON: written as it is (records in it as their JSON), read as it is."""

    noun = "a JSON value"  # what the JSON must hold, short (an event's refusal)
    noun_zh = "JSON 值"
    expected = "a JSON value"  # the same, as a command's refusal says it

    def write(self, value: Any) -> Any:
        """A value as JSON (a kind whose values are JSON already sets `write = None`)."""
        return _raw(value)

    def read(self, raw: Any, reading: core.Reading, path: tuple) -> Any:
        return raw

    def vet(self, raw: Any, reading: core.Reading, path: tuple) -> None:
        """Refuse JSON of the wrong type for this kind (`reading.refuse`), before it is read."""

    def check(self, name: str, value: Any) -> Any:
        """Refuse a built value that is bad input; the value back (normalised, for some)."""
        return check_value(name, value)


def _raw(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_raw(v) for v in value]
    if isinstance(value, dict):
        return {k: _raw(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return core.encode(value)
    return value


RAW = Kind()


class Text(Kind):
    """Text of at most `limit` characters, no NUL byte, no lone surrogate. A command's JSON may
    give it as a number (an order or SKU of digits)."""

    noun = expected = "a string"
    noun_zh = "文本"
    write = None

    def __init__(self, limit: int = TEXT_LIMIT):
        self.limit = limit

    def read(self, raw, reading, path):
        if reading.coerce:
            return str(raw)
        if reading.strict and not isinstance(raw, str):
            raise reading.refuse(path, self, raw)
        return raw

    def vet(self, raw, reading, path):
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise reading.refuse(path, self, raw)

    def check(self, name, value):
        return check_value(name, value, self.limit)


class Number(Kind):
    """An exact decimal: written as a string (`qty_str`, or the `write` given), read from a
    string or a whole number (an event's also from a JSON number), in range; a bad one is
    `error` (by default by its name: a quantity's `InvalidQuantity`, else `InvalidAmount`)."""

    noun = "a number"
    noun_zh = "数字"
    expected = 'a decimal string such as "12.50"'

    def __init__(self, error: type | None = None, write=qty_str):
        self.error = error
        self.write = write

    def read(self, raw, reading, path):
        if reading.coerce:
            return to_decimal(raw, str(path[-1]), error=number_error(str(path[-1]), self.error))
        if not reading.strict:
            return raw if isinstance(raw, Decimal) else Decimal(str(raw))
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise reading.refuse(path, self, raw)
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            raise reading.refuse(path, self, raw) from None
        if not number.is_finite():
            raise reading.refuse(path, self, raw)
        return number

    def vet(self, raw, reading, path):
        # JSON numbers with a fraction are floats, which are not exact: decimals travel as
        # strings. `1,5`, `2e3`: a number written so it could be read two ways is refused,
        # never guessed.
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise reading.refuse(path, self, raw)
        if isinstance(raw, str) and raw.strip():
            name = reading.where(path)
            to_decimal(raw, name, error=number_error(name, self.error))

    def check(self, name, value):
        return check_value(name, value, error=self.error)


class Whole(Kind):
    """A whole number; a command's JSON may give it as a string of digits."""

    noun = "a whole number"
    noun_zh = "整数"
    write = None

    def __init__(self, expected: str = "a whole number"):
        self.expected = expected

    def read(self, raw, reading, path):
        if reading.coerce:
            return int(raw)
        if reading.strict and (isinstance(raw, bool) or not isinstance(raw, int)):
            raise reading.refuse(path, self, raw)
        return raw

    def vet(self, raw, reading, path):
        if isinstance(raw, bool) or not (
            isinstance(raw, int) or isinstance(raw, str) and raw.strip().isdigit()
        ):
            raise reading.refuse(path, self, raw)


class Flag(Kind):
    """True or false."""

    noun = expected = "true or false"
    noun_zh = "true 或 false"
    write = None

    def read(self, raw, reading, path):
        if reading.coerce:
            return bool(raw)
        if reading.strict and not isinstance(raw, bool):
            raise reading.refuse(path, self, raw)
        return raw

    def vet(self, raw, reading, path):
        if not isinstance(raw, bool):
            raise reading.refuse(path, self, raw)


class Seq(Kind):
    """A tuple of one kind, a JSON list."""

    noun = "a list"
    noun_zh = "列表"

    def __init__(self, inner: Kind):
        self.inner = inner

    @property
    def expected(self) -> str:
        return f"a list of {getattr(self.inner, 'shape', self.inner.noun)}"

    def write(self, value):
        w = self.inner.write
        if w is None or not isinstance(value, tuple | list):
            return list(value) if isinstance(value, tuple) else value
        return [w(v) for v in value]

    def read(self, raw, reading, path):
        if (reading.strict or reading.coerce) and not isinstance(raw, list):
            raise reading.refuse(path, self, raw)
        read = self.inner.read
        return tuple(read(v, reading, (*path, i)) for i, v in enumerate(raw))

    def vet(self, raw, reading, path):
        if not isinstance(raw, list):
            raise reading.refuse(path, self, raw)
        for i, v in enumerate(raw):
            self.inner.vet(v, reading, (*path, i))

    def check(self, name, value):
        if not isinstance(value, tuple | list):
            return check_value(name, value)
        for v in value:
            self.inner.check(name, v)
        return value


class Opt(Kind):
    """A kind or None."""

    def __init__(self, inner: Kind):
        self.inner = inner
        w = inner.write
        self.write = None if w is None else (lambda v: None if v is None else w(v))

    noun = property(lambda self: self.inner.noun)
    noun_zh = property(lambda self: self.inner.noun_zh)
    expected = property(lambda self: self.inner.expected)
    shape = property(lambda self: getattr(self.inner, "shape", self.inner.noun))

    def read(self, raw, reading, path):
        return None if raw is None else self.inner.read(raw, reading, path)

    def vet(self, raw, reading, path):
        if raw is not None:
            self.inner.vet(raw, reading, path)

    def check(self, name, value):
        return value if value is None else self.inner.check(name, value)


class Nested(Kind):
    """A declared record inside another (an order line, a stock row), a JSON object."""

    noun = "a JSON object"
    noun_zh = "JSON 对象"

    def __init__(self, cls: type):
        self.cls = cls

    @functools.cached_property
    def shape(self) -> str:
        keys = [s.key + ("" if s.required else "?") for s in core.slots(self.cls)]
        return "{" + ", ".join(keys) + "}"

    @property
    def expected(self) -> str:
        return f"an object {self.shape}"

    def write(self, value):
        return core.encode(value) if isinstance(value, self.cls) else _raw(value)

    def read(self, raw, reading, path):
        return core.decode(self.cls, raw, reading, path)

    def vet(self, raw, reading, path):
        if not isinstance(raw, dict):
            raise reading.refuse(path, self, raw)
        core.vet(self.cls, raw, reading, path)

    def check(self, name, value):
        if isinstance(value, self.cls):
            core.check(value, f"{name}.")
            return value
        return check_value(name, value)


_KINDS: dict[type, Kind] = {}


def register(tp: type, kind: Kind) -> None:
    """Read and write every field of type `tp` as `kind` (unless its hint names another)."""
    _KINDS[tp] = kind
    core._layout.cache_clear()


def kind_of(hint: Any, limit: int | None = None) -> Kind:
    """The kind a type hint declares (`limit`: the text limit its command gives the field)."""
    if typing.get_origin(hint) is Annotated:
        base, *extras = typing.get_args(hint)
        for extra in extras:
            if isinstance(extra, Kind):
                return extra
        hint = base
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        inner = kind_of(args[0], limit) if len(args) == 1 else RAW
        return Opt(inner) if len(args) < len(typing.get_args(hint)) else inner
    if origin is tuple:
        return Seq(kind_of(typing.get_args(hint)[0], limit))
    if hint in _KINDS:
        return _KINDS[hint]
    if not isinstance(hint, type):
        return RAW
    if issubclass(hint, str):
        return Text(limit or TEXT_LIMIT)
    if issubclass(hint, Decimal):
        return Number()
    if issubclass(hint, bool):
        return Flag()
    if issubclass(hint, int):
        return Whole()
    if dataclasses.is_dataclass(hint):
        return Nested(hint)
    return RAW
