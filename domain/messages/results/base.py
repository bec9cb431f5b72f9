"""The base of every typed result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from domain.messages import codec
from domain.messages.codec import omitted, renamed

__all__ = ["Result", "omitted", "renamed"]


@dataclass(frozen=True, kw_only=True)
class Result:
    """The base of every typed result: its fields are its JSON shape's keys, in order; a field
    marked `omitted()` is left out while None, every other one is always there (null too)."""

    JSON_LEAVES_OUT: ClassVar[str] = "marked"

    def to_json(self) -> dict:
        """The design's JSON shape of this result."""
        return codec.encode(self)

    @classmethod
    def from_json(cls, data: dict):
        """The result whose JSON shape is `data` (keys it does not know are ignored)."""
        return codec.decode(cls, data)
