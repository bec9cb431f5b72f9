"""`labels`: "print labels for M6 and M8", "打印 M6 标签", "labels for M6", "打标签 M6". The word
"labels" can itself be an item's alias (shipping labels); where it is the thing asked for, it
names no item."""

from __future__ import annotations

from bot.catalog import ResolveError
from bot.parse.cues import LABEL_WORD
from bot.parse.slots import Filler, SlotError, _code, _raise_resolve


def labels(f: Filler) -> dict:
    words = [m.span() for m in LABEL_WORD.finditer(f.s.text)]
    found = [m for m in f.items() if not any(a <= m.start and m.end <= b for a, b in words)]
    # Whatever is left is a name the catalogue does not know ("labels for M6, M7"), even after
    # "for", which elsewhere marks a customer: never a sheet with an item silently left out.
    for _start, raw in f.chunks:
        try:
            f.catalog.resolve_item(raw)
        except ResolveError as err:
            _raise_resolve(err, raw, "item")
    if not found:
        raise SlotError("missing_slot", slot="items")
    return {"items": list(dict.fromkeys(_code(m) for m in found))}
