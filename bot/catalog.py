"""The entity catalog: items, partners and warehouses, and how text names them.

Resolution is exact on a normalised form of the text, never fuzzy: SKU or code, English name,
Chinese name or alias, case-, width- (NFKC) and simplified/traditional- (OpenCC t2s) insensitive,
with the singular and plural of the last English word (`bolts` -> `bolt`). Besides the full names,
each entity has distinctive parts, the way people shorten names (`bot.names`: a warehouse
without its generic word, a partner without its company suffix, an item by its head noun and
the everyday word for it). A part names an entity only when no full name is the same; a part shared by several entities is
ambiguous, never a guess. Inside a sentence `Catalog.scan` finds every mention with an
Aho-Corasick automaton over all names and parts, leftmost first and the longest name winning
(`m6 nut` beats `m6`). A name that is only part of several names (`M`, `bolt`) is
`ambiguous_name`; a name that matches nothing is `unknown_item` / `unknown_partner` /
`unknown_warehouse`. rapidfuzz only ranks suggestions.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import ahocorasick
from rapidfuzz import fuzz, process

from bot.names import fold, key_of, name_parts, normalise, singular, variants
from domain.ledger.gtin import forms as gtin_forms

__all__ = [  # the name forms, read from here before they had a module of their own
    "Catalog",
    "CatalogItem",
    "CatalogPartner",
    "CatalogWarehouse",
    "Entity",
    "Mention",
    "ResolveError",
    "fold",
    "key_of",
    "normalise",
]


@dataclass(frozen=True)
class CatalogItem:
    sku: str
    name: str
    name_zh: str = ""
    uom: str = "pcs"
    aliases: tuple[str, ...] = ()
    barcode: str = ""
    unit_price: Decimal | None = None


@dataclass(frozen=True)
class CatalogPartner:
    code: str
    name: str
    name_zh: str = ""
    kind: str = "customer"  # or "supplier"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class CatalogWarehouse:
    code: str
    name: str
    name_zh: str = ""


Entity = CatalogItem | CatalogPartner | CatalogWarehouse
KINDS = {CatalogItem: "item", CatalogPartner: "partner", CatalogWarehouse: "warehouse"}
_UNKNOWN = {"item": "unknown_item", "partner": "unknown_partner", "warehouse": "unknown_warehouse"}


class ResolveError(Exception):
    """A name that resolves to no entity, to several, or to a partner of the wrong kind."""

    def __init__(self, code: str, message: str, suggestions: Iterable[str] = ()):
        super().__init__(message)
        self.code = code
        self.message = message
        self.suggestions = list(suggestions)


@dataclass(frozen=True)
class Mention:
    """A catalog name found in a text: [start, end) in the normalised text."""

    start: int
    end: int
    kind: str
    entities: tuple[Entity, ...]
    text: str = field(default="", compare=False)
    part: bool = field(default=False, compare=False)  # a distinctive part, not a full name


def _code(entity: Entity) -> str:
    return entity.sku if isinstance(entity, CatalogItem) else entity.code


def _names(entity: Entity) -> tuple[list[str], list[str]]:
    """(codes, names) of an entity: codes are matched as typed, names also singular/plural."""
    names = [entity.name, entity.name_zh, *getattr(entity, "aliases", ())]
    codes = [_code(entity)]
    if isinstance(entity, CatalogItem) and entity.barcode:
        # Typed as printed: a UPC-A, its EAN-13 with a leading 0, or its GTIN-14.
        codes.extend(gtin_forms(entity.barcode) or [entity.barcode])
    return codes, [n for n in names if n]


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class Catalog:
    """The names the parser can resolve; indexes are built once, here."""

    def __init__(
        self,
        items: Iterable[CatalogItem],
        partners: Iterable[CatalogPartner],
        warehouses: Iterable[CatalogWarehouse],
    ):
        self.items = tuple(items)
        self.partners = tuple(partners)
        warehouses = list(warehouses)
        if not any(w.code.upper() == "MAIN" for w in warehouses):
            warehouses.insert(0, CatalogWarehouse("MAIN", "Main warehouse", "总仓"))
        self.warehouses = tuple(warehouses)
        self._index: dict[str, list[Entity]] = {}
        self._labels: dict[str, list[str]] = {"item": [], "partner": [], "warehouse": []}
        self._label_owner: dict[str, dict[str, str]] = {k: {} for k in self._labels}
        for entity in (*self.items, *self.partners, *self.warehouses):
            kind = KINDS[type(entity)]
            codes, names = _names(entity)
            keys = {v for c in codes for v in variants(key_of(c), name=False)}
            keys |= {v for n in names for v in variants(key_of(n), name=True)}
            for key in keys:
                bucket = self._index.setdefault(key, [])
                if entity not in bucket:
                    bucket.append(entity)
            for label in (*codes[:1], *names):
                self._labels[kind].append(key_of(label))
                self._label_owner[kind][key_of(label)] = _code(entity)
        self._parts: dict[str, list[Entity]] = {}
        for entity in (*self.items, *self.partners, *self.warehouses):
            for key in name_parts(KINDS[type(entity)], _names(entity)[1]):
                if key in self._index:
                    continue  # a full name always wins over a part
                bucket = self._parts.setdefault(key, [])
                if entity not in bucket:
                    bucket.append(entity)
        self._suggest_cache: dict[tuple[str, str, int], tuple[str, ...]] = {}
        self._automaton = ahocorasick.Automaton()
        for key in (*self._index, *self._parts):
            self._automaton.add_word(key, len(key))
        if len(self._automaton):
            self._automaton.make_automaton()

    @classmethod
    def from_csv_dir(cls, path: str | Path) -> Catalog:
        """Read items.csv, partners.csv and warehouses.csv (the import formats of the design)."""
        path = Path(path)
        items = [
            CatalogItem(
                sku=r["sku"].strip(),
                name=r.get("name", "").strip(),
                name_zh=(r.get("name_zh") or "").strip(),
                uom=(r.get("uom") or "pcs").strip(),
                aliases=_split_aliases(r.get("aliases")),
                barcode=(r.get("barcode") or "").strip(),
                unit_price=_decimal_or_none(r.get("unit_price")),
            )
            for r in _read_csv(path / "items.csv")
        ]
        partners = [
            CatalogPartner(
                code=r["code"].strip(),
                name=r.get("name", "").strip(),
                name_zh=(r.get("name_zh") or "").strip(),
                kind=(r.get("kind") or "customer").strip().lower(),
                aliases=_split_aliases(r.get("aliases")),
            )
            for r in _read_csv(path / "partners.csv")
        ]
        warehouses = [
            CatalogWarehouse(r["code"].strip(), r.get("name", "").strip(), r.get("name_zh") or "")
            for r in _read_csv(path / "warehouses.csv")
        ]
        return cls(items, partners, warehouses)

    # -- scanning a sentence ---------------------------------------------------------------
    def scan(self, folded: str) -> list[Mention]:
        """Every catalog name in a folded, normalised text, leftmost first, longest winning."""
        if not len(self._automaton):
            return []
        n = len(folded)
        found = []
        for end_idx, length in self._automaton.iter(folded):
            end = end_idx + 1
            start = end - length
            if _is_word(folded[start]) and start > 0 and _is_word_before(folded, start):
                continue
            if _is_word(folded[end - 1]) and end < n and _is_word(folded[end]):
                continue
            found.append((start, -length))
        found.sort()
        out: list[Mention] = []
        pos = 0
        for start, neg in found:
            if start < pos:
                continue
            end = start - neg
            key = folded[start:end]
            full = self._index.get(key)
            out.append(_mention(start, end, full or self._parts[key], key, part=not full))
            pos = end
        return out

    # -- resolving one name ------------------------------------------------------------------
    def resolve_item(self, text: str) -> CatalogItem:
        return self._resolve(text, "item")  # type: ignore[return-value]

    def resolve_partner(self, text: str, kind: str | None = None) -> CatalogPartner:
        partner: CatalogPartner = self._resolve(text, "partner")  # type: ignore[assignment]
        if kind and partner.kind != kind:
            raise ResolveError(
                "wrong_partner_kind",
                f"{partner.code} is a {partner.kind}, not a {kind}",
                [p.code for p in self.partners if p.kind == kind][:5],
            )
        return partner

    def resolve_warehouse(self, text: str) -> CatalogWarehouse:
        return self._resolve(text, "warehouse")  # type: ignore[return-value]

    def partial_items(self, text: str) -> list[str]:
        """Codes of items whose names contain this text (a name being typed out in full)."""
        key = key_of(text).strip()
        return self._partial(key, "item") if key else []

    def suggest_items(self, text: str, limit: int = 5) -> list[str]:
        return self.suggest(text, "item", limit)

    def suggest(self, text: str, kind: str, limit: int = 5) -> list[str]:
        """Codes of the closest names (rapidfuzz), best first, without repeats."""
        return _suggest(self, key_of(text), kind, limit)

    def _resolve(self, text: str, kind: str) -> Entity:
        key = key_of(text).strip()
        hits = [e for e in self._index.get(key, ()) if KINDS[type(e)] == kind]
        if not hits:
            hits = [e for e in self._parts.get(key, ()) if KINDS[type(e)] == kind]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise ResolveError("ambiguous_name", f"'{text}' matches several", map(_code, hits))
        partial = self._partial(key, kind) if key else []
        if not partial and key and key != singular(key):
            partial = self._partial(singular(key), kind)
        if len(partial) > 1:
            raise ResolveError("ambiguous_name", f"'{text}' matches several", partial[:5])
        suggestions = partial or self.suggest(text, kind)
        raise ResolveError(_UNKNOWN[kind], f"unknown {kind} '{text}'", suggestions)

    def _partial(self, key: str, kind: str) -> list[str]:
        """Codes whose names contain the key as a word prefix (ASCII) or a substring (CJK)."""
        pattern = re.compile(rf"(?<![a-z0-9]){re.escape(key)}" if key.isascii() else re.escape(key))
        seen: dict[str, None] = {}
        for label in self._labels[kind]:
            if pattern.search(label):
                seen[self._label_owner[kind][label]] = None
        return list(seen)


def _is_word_before(text: str, i: int) -> bool:
    # A digit may precede a letter ("20m6"), a letter may not ("sm6").
    prev = text[i - 1]
    return _is_word(prev) and (prev.isalpha() or text[i].isdigit()) or prev == "."


def _mention(start: int, end: int, hit: list[Entity], text: str, part: bool = False) -> Mention:
    kinds = {KINDS[type(e)] for e in hit}
    # A name shared by entities of different kinds keeps the item reading first.
    kind = next(k for k in ("item", "partner", "warehouse") if k in kinds)
    entities = tuple(e for e in hit if KINDS[type(e)] == kind)
    return Mention(start, end, kind, entities, text, part)


def _suggest(catalog: Catalog, key: str, kind: str, limit: int) -> list[str]:
    if not key:
        return []
    cache = catalog._suggest_cache
    hit = cache.get((key, kind, limit))
    if hit is None:
        labels, owner = catalog._labels[kind], catalog._label_owner[kind]
        found = process.extract(key, labels, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=50)
        hit = tuple(dict.fromkeys(owner[label] for label, _s, _i in found))[:limit]
        if len(cache) < 4096:
            cache[(key, kind, limit)] = hit
    return list(hit)


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return [r for r in csv.DictReader(fh) if any((v or "").strip() for v in r.values())]


def _split_aliases(raw: str | None) -> tuple[str, ...]:
    return tuple(a.strip() for a in (raw or "").split(";") if a.strip())


def _decimal_or_none(raw: str | None) -> Decimal | None:
    try:
        return Decimal(raw.strip()) if raw and raw.strip() else None
    except InvalidOperation:
        return None
