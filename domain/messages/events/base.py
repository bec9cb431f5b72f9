"""The base of every event and of the records inside events, and how a payload is read back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from domain.messages import codec


class MalformedEvent(ValueError):
    """An outbox row that is not an event this code declares: an unknown name, a payload that
    is not a JSON object, a field missing or of the wrong type."""


class EventReading(codec.Reading):
    """A payload read strictly: a field missing or of the wrong JSON type is `MalformedEvent`,
    named by where it is (`SalesOrderShipped.lines[0]: missing name`); keys beyond the fields
    are ignored (a newer writer, a derived figure)."""

    strict = True

    def refuse(self, path, kind, raw) -> Exception:
        where = self.where(path)
        if isinstance(kind, codec.Nested):
            return MalformedEvent(f"{where}: payload is not a JSON object")
        return MalformedEvent(f"{where} is not {kind.noun}")

    def missing(self, path, key) -> Exception:
        return MalformedEvent(f"{self.where(path)}: missing {key}")


@dataclass(frozen=True)
class Record:
    """Named fields written as a JSON object in field order; a field whose default is None is
    left out while it is None (payloads written before it existed lack it too). Quantities and
    money are strings already; a Decimal field may name how it is written in its metadata
    (`field(metadata={"json": float})`)."""

    JSON_LEAVES_OUT: ClassVar[str] = "none_default"

    def data(self) -> dict:
        """The JSON-ready payload."""
        return codec.encode(self)

    @classmethod
    def from_data(cls, data: Any, where: str | None = None):
        """Rebuild from a payload; `MalformedEvent` names what is wrong."""
        return codec.decode(cls, data, EventReading(where or cls.__name__))


@dataclass(frozen=True)
class Event(Record):
    """Something that happened. `name` (the class name) is the outbox row's `event`."""

    name: ClassVar[str] = "Event"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.name = cls.__name__
