"""The checks bad input meets where a command is built: text a column cannot hold alike on every
database (too long, a NUL byte, a lone surrogate), a number no quantity or amount can be."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from domain.errors import BadRequest, InvalidAmount, InvalidQuantity

TEXT_LIMIT = 200
"""Characters a text slot may have (the length of the columns it is compared with or stored
in); a slot's type names a longer limit (`Text(500)`), or its command's `TEXT_LIMITS`."""
ECHO_LIMIT = 60
"""Characters of a user's text an error message repeats."""
DECIMAL_DIGITS = 15
"""Digits before the point a number may have (the largest amount is 10^12)."""
DECIMAL_PLACES = 12
"""Decimal places a non-zero number may have (quantities have 3, unit costs 6)."""


def echo(text: object, limit: int = ECHO_LIMIT) -> str:
    """A user's text as an error message repeats it: cut to `limit` characters (and "…"), with
    characters that cannot be printed escaped."""
    text = str(text)
    cut = text[:limit]
    if not cut.isprintable() or not _encodable(cut):
        cut = cut.encode("utf-8", "backslashreplace").decode("utf-8")
        cut = "".join(c if c.isprintable() else repr(c)[1:-1] for c in cut)
    return cut + "…" if len(text) > limit else cut


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(name: str, value: str, limit: int = TEXT_LIMIT) -> None:
    """Refuse text a column cannot hold alike on every database (`BadRequest`)."""
    if value.isascii() and len(value) <= limit and "\x00" not in value:
        return
    if "\x00" in value:
        raise BadRequest(f"{name} contains a NUL byte", zh=f"{name} 含有 NUL 字符")
    if not _encodable(value):
        raise BadRequest(
            f"{name} is not valid text (it holds a lone surrogate)",
            zh=f"{name} 不是有效的文本（含有孤立的代理字符）",
        )
    if len(value) > limit:
        raise BadRequest(
            f"{name} is {len(value)} characters long; at most {limit}: {echo(value)}",
            zh=f"{name} 长 {len(value)} 个字符，最多 {limit} 个：{echo(value)}",
        )


def number_error(name: str, error: type | None = None) -> type:
    """The error a bad number is: its slot's (`error`), else by its name (a quantity's
    `InvalidQuantity`, a price's, cost's or discount's `InvalidAmount`)."""
    return error or (InvalidQuantity if "qty" in name else InvalidAmount)


def check_decimal(name: str, value: Decimal, error: type | None = None) -> None:
    """Refuse a number no quantity or amount can be (`number_error`)."""
    if not value.is_finite() or (
        value and not -DECIMAL_PLACES <= value.adjusted() < DECIMAL_DIGITS
    ):
        shown = echo(value, 30)
        raise number_error(name, error)(
            f"{name} {shown} is out of range (at most {DECIMAL_DIGITS} digits before the point "
            f"and {DECIMAL_PLACES} after it)",
            zh=f"{name} {shown} 超出范围",
        )


def check_value(name: str, value: Any, limit: int = TEXT_LIMIT, error: type | None = None):
    """Check one value by what it is (text, number, declared record, or a list or mapping of
    them); the value back."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        check_text(name, value, limit)
    elif isinstance(value, Decimal):
        check_decimal(name, value, error)
    elif isinstance(value, list | tuple):
        for v in value:
            check_value(name, v, limit, error)
    elif isinstance(value, dict):
        for k, v in value.items():
            check_value(f"{name}.{echo(k, 30)}", k, limit)
            check_value(f"{name}.{echo(k, 30)}", v, limit)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):  # an order line: its item, quantity, price…
            check_value(f"{name}.{f.name}", getattr(value, f.name), limit, error)
    return value
