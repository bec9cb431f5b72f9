"""The layout of a declared type, read once from its dataclass fields, and the walks over it:
`encode`, `decode` (as a `Reading` says), `vet` (a stranger's JSON), `check` (a built value)."""

from __future__ import annotations

import dataclasses
import functools
import keyword
import typing
from typing import Any

from domain.messages.codec.kinds import Kind, Nested, kind_of

_NEVER = object()


# -- declaring fields ----------------------------------------------------------------------------


def omitted(json=None, *, when: Any = None, default: Any = ...):
    """A field left out of the JSON while it is `when` (None unless said), its default `when`
    unless `default` says otherwise; `json`: its key when not its name (or how it is written)."""
    default = when if default is ... else default
    return dataclasses.field(default=default, metadata={"omit": True, "when": when, "json": json})


def renamed(json: str, **kwargs):
    """A field whose JSON key is not its name (`from`)."""
    return dataclasses.field(metadata={"json": json}, **kwargs)


class _Derived(property):
    before: str | None = None


def derived(before: str | None = None):
    """A read-only property written into the JSON before the field `before` (last without it)
    and ignored when read back: a figure a payload carries for its readers."""

    def wrap(fn):
        prop = _Derived(fn)
        prop.before = before
        return prop

    return wrap


# -- how a payload is read ---------------------------------------------------------------------


class Reading:
    """How a payload is read. This one trusts it (results read the answers they stored):
    values as they are, tuples and nested records rebuilt, keys it does not know ignored."""

    strict = False  # refuse a value of the wrong JSON type, and a missing required field
    coerce = False  # turn what a command's JSON holds into its slot's type
    none_is_absent = False  # a null is no value (commands), not a null value
    base = 0  # the first index of a list, as refusals name it

    def __init__(self, root: str = ""):
        self.root = root

    def where(self, path: tuple) -> str:
        """A path (`("lines", 0, "qty")`) as refusals name it (`Root.lines[0].qty`)."""
        out = self.root
        for p in path:
            if isinstance(p, int):
                out += f"[{p + self.base}]"
            else:
                out += f".{p}" if out else p
        return out

    def refuse(self, path: tuple, kind: Kind, raw: Any) -> Exception:
        return TypeError(f"{self.where(path) or 'the payload'} is not {kind.noun}")

    def missing(self, path: tuple, key: str) -> Exception:
        return TypeError(f"{self.where(path) or 'the payload'}: missing {key}")

    def unknown(self, cls: type, path: tuple, keys: list) -> Exception:
        return TypeError(f"{self.where(path) or cls.__name__} has no field {keys[0]!r}")

    def enter(self, cls: type, data: dict, path: tuple) -> None:
        """Before the fields of a record are read (a command checks its envelope here)."""


TRUST = Reading()


# -- the layout of a type ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Slot:
    """One field as JSON has it."""

    name: str
    key: str
    kind: Kind
    required: bool  # no default: a payload must have it (where the reading asks)


@dataclasses.dataclass(frozen=True)
class Layout:
    slots: tuple[Slot, ...]
    writes: tuple[tuple[str, str, Any, Any], ...]  # name, key, how written, left out while
    checks: tuple[tuple[str, Kind], ...]


@functools.cache
def _layout(cls: type) -> Layout:
    hints = typing.get_type_hints(cls, include_extras=True)
    limits = getattr(cls, "TEXT_LIMITS", None) or {}
    rule = getattr(cls, "JSON_LEAVES_OUT", "marked")
    slots, writes = [], []
    for f in dataclasses.fields(cls):
        md = f.metadata
        json = md.get("json")
        if isinstance(json, str):
            key = json
        elif f.name.endswith("_") and keyword.iskeyword(f.name[:-1]):
            key = f.name[:-1]
        else:
            key = f.name
        kind = kind_of(hints[f.name], limits.get(f.name))
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if md.get("omit"):
            when = md.get("when")
        elif rule == "none" or (rule == "none_default" and f.default is None):
            when = None
        else:
            when = _NEVER
        slots.append(Slot(f.name, key, kind, required))
        writes.append((f.name, key, json if callable(json) else kind.write, when))
    for klass in reversed(cls.__mro__):
        for name, attr in vars(klass).items():
            if isinstance(attr, _Derived):
                at = [w[0] for w in writes].index(attr.before) if attr.before else len(writes)
                writes.insert(at, (name, name, None, _NEVER))
    checks = tuple((s.name, s.kind) for s in slots)
    return Layout(tuple(slots), tuple(writes), checks)


def slots(cls: type) -> tuple[Slot, ...]:
    """The fields of a declared type as JSON has them, in order."""
    return _layout(cls).slots


# -- both directions -----------------------------------------------------------------------------


def encode(obj: Any, out: dict | None = None) -> dict:
    """A declared value's JSON object (added to `out` when given: a command's intent first)."""
    out = {} if out is None else out
    for name, key, write, when in _layout(type(obj)).writes:
        value = getattr(obj, name)
        if value is when or (when is not _NEVER and when is not None and value == when):
            continue
        out[key] = value if write is None else write(value)
    return out


def decode(cls: type, data: Any, reading: Reading = TRUST, path: tuple = ()) -> Any:
    """The value of type `cls` whose JSON object is `data`, read as `reading` says."""
    if not isinstance(data, dict):
        raise reading.refuse(path, Nested(cls), data)
    reading.enter(cls, data, path)
    values = {}
    for s in _layout(cls).slots:
        raw = data.get(s.key, _NEVER)
        if raw is _NEVER or (raw is None and reading.none_is_absent):
            if s.required and reading.strict:
                raise reading.missing(path, s.key)
            continue
        if raw is None and not reading.strict:
            values[s.name] = None
        else:
            values[s.name] = s.kind.read(raw, reading, (*path, s.key))
    return cls(**values)


def vet(cls: type, data: dict, reading: Reading, path: tuple = (), extra: tuple = ()) -> None:
    """A stranger's JSON object for `cls` checked before it is read: no key the type lacks
    (beyond `extra`), every value of its field's JSON type."""
    layout = _layout(cls)
    keys = {s.key for s in layout.slots}
    unknown = [k for k in data if k not in keys and k not in extra]
    if unknown:
        raise reading.unknown(cls, path, unknown)
    for s in layout.slots:
        raw = data.get(s.key)
        if raw is not None:
            s.kind.vet(raw, reading, (*path, s.key))


def check(obj: Any, prefix: str = "") -> None:
    """Every field of a built value checked by its kind, normalised where its kind says."""
    for name, kind in _layout(type(obj)).checks:
        value = getattr(obj, name)
        new = kind.check(prefix + name, value)
        if new is not value:
            object.__setattr__(obj, name, new)
