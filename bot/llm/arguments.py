"""A tool call's arguments read back into a command of the vocabulary, as carefully as the
parser reads a sentence.

Shape first: an unknown or missing parameter, a value of the wrong type or a number that is not
written in digits is `BadArguments` (the model is asked again, once). Numbers are accepted as
strings or as JSON numbers; a number is turned into its decimal text before the command is read,
so `0.1` is 0.1, never a float. Names are resolved as the parser resolves them (SKU, code, name,
Chinese name or alias): an unknown or ambiguous one is the product's refusal with suggestions,
never a guess. Order and request numbers are written as the parser writes them (`so-7` ->
`SO-0007`, `a12` -> `A-12`). The command is then built by `command_from_dict`, which checks
every value as it does for the CLI and the parser.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from bot.catalog import Catalog, ResolveError
from bot.llm.tools import DECIMAL_KINDS, Slot, Tool
from bot.parse.messages import message
from domain.errors import (
    AmbiguousName,
    JxcError,
    UnknownItem,
    UnknownPartner,
    UnknownWarehouse,
    WrongPartnerKind,
)
from domain.messages.commands import Command, command_from_dict, echo
from domain.numbers import parse_number


class BadArguments(Exception):
    """Arguments that do not fit the tool; the message tells the model what to fix."""


_ORDER = re.compile(r"(SO|PO)[\s\-_#]*0*(\d{1,9})", re.IGNORECASE)
_REQUEST = re.compile(r"A?[\s\-_#]*0*(\d{1,9})", re.IGNORECASE)
_BOOLS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
_REFUSALS = {
    "unknown_item": UnknownItem,
    "unknown_partner": UnknownPartner,
    "unknown_warehouse": UnknownWarehouse,
    "ambiguous_name": AmbiguousName,
    "wrong_partner_kind": WrongPartnerKind,
}
_PARTNER_KINDS = {"customer": "customer", "supplier": "supplier"}


def command_of(tool: Tool, args: object, catalog: Catalog) -> Command:
    """The command a call of an intent's tool stands for (`BadArguments`, or a `JxcError`
    such as `unknown_item` with suggestions)."""
    data = {"intent": tool.intent, **slots_of(tool, args, catalog)}
    return command_from_dict(data)


def slots_of(tool: Tool, args: object, catalog: Catalog) -> dict:
    """The arguments of any tool, checked and read (names resolved to SKU / code)."""
    if not isinstance(args, dict):
        raise BadArguments("the arguments must be a JSON object")
    unknown = [k for k in args if k not in tool.slots]
    if unknown:
        known = ", ".join(tool.slots) or "none"
        raise BadArguments(f"unknown parameter {echo(unknown[0], 40)!r}; the parameters: {known}")
    out = {}
    for name, slot in tool.slots.items():
        value = args.get(name)
        if value is None or value == "" or value == []:
            if slot.required:
                raise BadArguments(f"{name} is required")
            continue
        out[name] = _read(name, slot, value, catalog)
    return out


def _read(name: str, slot: Slot, value, catalog: Catalog):
    kind = slot.kind
    if kind in DECIMAL_KINDS:
        return decimal_text(name, value)
    if kind == "lines":
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise BadArguments(f"{name} must be a list of objects")
        return [_line(name, slot, line, catalog) for line in value]
    if kind == "items":
        if not isinstance(value, list):
            raise BadArguments(f"{name} must be a list of item names")
        return [resolve(catalog, "item", _text(name, v)) for v in value]
    if kind in ("days", "number"):
        return _whole(name, value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _BOOLS:
            return _BOOLS[value.strip().lower()]
        raise BadArguments(f"{name} must be true or false")
    if kind == "alert":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return _text(name, value)
    text = _text(name, value)
    if kind == "choice":
        choice = text.lower()
        if choice not in slot.choices:
            raise BadArguments(f"{name} must be one of: {', '.join(slot.choices)}")
        return choice
    if kind in ("item", "customer", "supplier", "partner", "warehouse"):
        return resolve(catalog, kind, text)
    if kind == "order":
        m = _ORDER.fullmatch(text)
        return f"{m.group(1).upper()}-{int(m.group(2)):04d}" if m else text
    if kind == "request":
        m = _REQUEST.fullmatch(text)
        return f"A-{int(m.group(1))}" if m else text
    return text


def _line(name: str, slot: Slot, line: dict, catalog: Catalog) -> dict:
    unknown = [k for k in line if k not in slot.parts]
    if unknown:
        raise BadArguments(
            f"unknown part {echo(unknown[0], 40)!r} of a line; the parts: {', '.join(slot.parts)}"
        )
    out = {}
    for part in slot.parts:
        value = line.get(part)
        if value is None or value == "":
            if part == "qty" or (part == "item" and not slot.item_optional):
                raise BadArguments(f"each of {name} needs {part}")
            continue
        if part == "item":
            out[part] = resolve(catalog, "item", _text(f"{name}.item", value))
        else:
            out[part] = decimal_text(f"{name}.{part}", value)
    return out


def _text(name: str, value) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadArguments(f"{name} must be a string")
    return str(value).strip()


def _whole(name: str, value) -> int:
    if isinstance(value, bool):
        raise BadArguments(f"{name} must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 9:
        return int(value.strip())
    raise BadArguments(f"{name} must be a whole number")


def decimal_text(name: str, value) -> str:
    """A number as decimal text: a string as written (if it reads as a number), an integer in
    digits, a JSON number that arrived as a float by its shortest exact spelling (`0.1` is
    "0.1"). Anything else is `BadArguments`."""
    if isinstance(value, bool):
        raise BadArguments(f"{name} must be a number")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BadArguments(f"{name} must be a finite number")
        # repr() is the shortest text that reads back as the same float: the model's digits.
        return format(Decimal(repr(value)), "f")
    if isinstance(value, str):
        try:
            parse_number(value, name)
        except JxcError:
            raise BadArguments(
                f'{name} {echo(value, 30)!r} is not a number: write it in digits, e.g. "20"'
            ) from None
        return value.strip()
    raise BadArguments(f"{name} must be a number")


def resolve(catalog: Catalog, kind: str, text: str) -> str:
    """A name of an item, partner or warehouse resolved to its SKU or code, or the refusal the
    parser gives (`unknown_item`, `ambiguous_name`, `wrong_partner_kind`…) with suggestions."""
    try:
        if kind == "item":
            return catalog.resolve_item(text).sku
        if kind == "warehouse":
            return catalog.resolve_warehouse(text).code
        return catalog.resolve_partner(text, _PARTNER_KINDS.get(kind)).code
    except ResolveError as err:
        raise refusal(err, kind, text) from None


def refusal(err: ResolveError, kind: str, text: str) -> JxcError:
    """The product's error for a name that did not resolve, in both languages."""
    words = {"name": echo(text)}
    if err.code == "wrong_partner_kind":
        other = "supplier" if kind == "customer" else "customer"
        words.update(actual=other, wanted=kind)
    en, zh = (message(err.code, lang, err.suggestions, **words) for lang in ("en", "zh"))
    return _REFUSALS.get(err.code, UnknownItem)(en, zh=zh, suggestions=err.suggestions)
