"""Filling an intent's slots from a scanned text, or saying which one is missing or wrong."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from bot.catalog import Catalog, CatalogItem, CatalogPartner, Mention, ResolveError
from bot.parse import numbers as nums
from bot.parse import residue
from bot.parse.reports import find_report
from bot.parse.scan import MASK, Number, Scan

MAX_LINE_QTY = Decimal(1_000_000)
# A warehouse named but not known: "入火星仓", "into Mars warehouse".
_NAMED_WAREHOUSE = re.compile(
    rf"(?:入|到|在|从|去|往)(?P<name>[^\s{MASK}\d,，。个只件双卷台箱套米入到在从去往货]{{1,6}})(?:仓库|仓)"
    rf"|\b(?:into|in|at|from|to) (?:the )?(?P<name2>[a-z]+) (?:warehouse|wh)\b"
)


_DEST = re.compile(rf"{residue.DESTINATION}\s*(?:the |their |our )?$")


class SlotError(Exception):
    """A slot that is missing, names nothing known, or holds an impossible value."""

    def __init__(self, code: str, suggestions=(), slot: str | None = None, **kw: str):
        super().__init__(code)
        self.code = code
        self.suggestions = list(suggestions)
        self.slot = slot
        self.kw = kw


def _code(m: Mention) -> str:
    e = m.entities[0]
    return e.sku if isinstance(e, CatalogItem) else e.code


def _one(m: Mention) -> Mention:
    if len(m.entities) > 1:
        raise SlotError("ambiguous_name", [_code(Mention(0, 0, m.kind, (e,))) for e in m.entities],
                        m.kind, name=m.text)  # fmt: skip
    return m


def _adjacent(text: str, a: Mention, b: Mention) -> bool:
    gap = text[a.end : b.start]
    return gap == "" or (gap == " " and text[a.end - 1].isascii() and text[b.start].isascii())


def _words_after(raw: str) -> bool:
    """Two or more Chinese characters: words of the sentence, not the rest of a name."""
    return len(raw) >= 2 and all("\u3400" <= c <= "\u9fff" for c in raw[:2])


def _raise_resolve(err: ResolveError, name: str, slot: str) -> None:
    raise SlotError(err.code, err.suggestions, slot, name=name)


class Filler:
    """The slots of one text, read on demand by the intent builders."""

    def __init__(self, s: Scan, catalog: Catalog):
        self.s = s
        self.catalog = catalog
        self._chunks: list[tuple[int, str]] | None = None

    @property
    def chunks(self) -> list[tuple[int, str]]:
        if self._chunks is None:
            self._chunks = residue.chunks(self.s)
        return self._chunks

    # -- entities --------------------------------------------------------------------------
    def items(self) -> list[Mention]:
        mentions = self.s.of_kind("item")
        for i, m in enumerate(mentions):
            nxt = mentions[i + 1] if i + 1 < len(mentions) else None
            if nxt is not None and (m.part or nxt.part) and _adjacent(self.s.text, m, nxt):
                # "M6螺钉", "M6 screws": a name and a part side by side are one unknown name
                self._unknown_name(m, self.s.base[m.start : nxt.end])
            self._longer_name(m)
        return [_one(m) for m in mentions]

    def _longer_name(self, m: Mention) -> None:
        """`M6螺钉` is not `M6`: an unexplained word glued to a name makes an unknown name.
        Other Chinese words right after a name (`胶带实有30卷`, `扳手质量有问题`) are not."""
        for start, raw in self.chunks:
            end = start + len(raw)
            glued_after = start == m.end or (start == m.end + 1 and self.s.text[m.end] == " ")
            if not (glued_after or end == m.start):
                continue
            name = self.s.base[min(start, m.start) : max(end, m.end)]
            partial = self.catalog.partial_items(name)
            if partial == [_code(m)] and len(m.entities) == 1:
                continue  # "PVC水管": more of the same item's name
            if glued_after and _words_after(raw) and not partial:
                continue
            self._unknown_name(m, name)

    def _unknown_name(self, m: Mention, name: str) -> None:
        try:
            self.catalog.resolve_item(name)
        except ResolveError as err:
            suggestions = err.suggestions or [_code(m)]
            if len(m.entities) == 1 and _code(m) not in suggestions:
                suggestions = [_code(m), *suggestions][:5]
            raise SlotError(err.code, suggestions, "item", name=name) from err

    def unknown_item(self, required: bool) -> None:
        """Raise for a name that should be an item, or for a missing one when required."""
        partner_text = residue.partner_chunk(self.s, self.chunks)
        for start, raw in self.chunks:
            if partner_text and start == partner_text[0] and self.s.of_kind("partner") == []:
                continue
            try:
                self.catalog.resolve_item(raw)
            except ResolveError as err:
                _raise_resolve(err, raw, "item")
        if required:
            raise SlotError("missing_slot", slot="item")

    def item(self, required: bool = True) -> str | None:
        found = self.items()
        if found:
            return _code(found[0])
        self.unknown_item(required)
        return None

    def partner(self, kind: str | None, slot: str, required: bool = True) -> str | None:
        found = [_one(m) for m in self.s.of_kind("partner")]
        if found:
            partner: CatalogPartner = found[0].entities[0]  # type: ignore[assignment]
            if kind and partner.kind != kind:
                others = [p.code for p in self.catalog.partners if p.kind == kind][:5]
                raise SlotError("wrong_partner_kind", others, slot, name=partner.code,
                                actual=partner.kind, wanted=kind)  # fmt: skip
            return partner.code
        chunk = residue.partner_chunk(self.s, self.chunks)
        if chunk is None and self.s.of_kind("item") and self.chunks and self.chunks[0][0] == 0:
            chunk = self.chunks[0]  # "XYZ要20个M6": the subject is the customer
        if chunk is not None:
            try:
                self.catalog.resolve_partner(chunk[1], kind)
            except ResolveError as err:
                _raise_resolve(err, chunk[1], slot)
        if required:
            raise SlotError("missing_slot", slot=slot)
        return None

    def warehouses(self) -> list[Mention]:
        return [_one(m) for m in self.s.of_kind("warehouse")]

    def warehouse(self, outgoing: bool = False) -> str | None:
        """The warehouse named; for goods going out (`outgoing`), a place they are sent to
        ("送到上海仓") is the customer's, not ours."""
        found = [
            m for m in self.warehouses() if not (outgoing and _DEST.search(self.s.text[: m.start]))
        ]
        if found:
            return _code(found[0])
        named = _NAMED_WAREHOUSE.search(self.s.masked)
        if named and outgoing and _DEST.search(self.s.text[: named.start() + 1]):
            named = None  # "送到上海仓": where the goods go
        if named:
            group = "name" if named.group("name") else "name2"
            raw = self.s.base[named.start(group) : named.end(group)]
            try:
                return self.catalog.resolve_warehouse(raw).code
            except ResolveError as err:
                _raise_resolve(err, raw, "warehouse")
        return None

    def order(self, *prefixes: str, required: bool = True) -> str | None:
        found = self.s.ids_with(*prefixes)
        if found:
            return found[0]
        if required:
            raise SlotError("missing_slot", slot="order")
        return None

    # -- numbers ---------------------------------------------------------------------------
    def qty(self, number: Number, item: Mention | None, *, zero_ok: bool = False) -> str:
        value = number.value
        shown = ("-" if number.negative else "") + nums.fmt(value)
        why = None
        if number.negative or value < 0:
            why = "negative"
        elif value == 0 and not zero_ok:
            why = "zero"
        elif value > MAX_LINE_QTY:
            why = "too_large"
        elif item is not None and not nums.measure_fits(number.unit, item.entities[0].uom):
            why = "unit"  # `2m` of hammers: metres of an item not counted in metres
            shown += number.unit or ""
        elif value != value.to_integral_value():
            counted = nums.measure_is_counted(number.unit)
            if item is not None:
                counted = counted or nums.is_counted(item.entities[0].uom)
            if counted:
                why = "fraction"
            elif -value.as_tuple().exponent > 3:
                why = "decimals"
        if why:
            raise SlotError("invalid_quantity", slot="qty", value=shown, why=why)
        return nums.fmt(value)

    def money(self, number: Number, slot: str) -> str:
        if number.negative or number.value <= 0:
            shown = ("-" if number.negative else "") + nums.fmt(number.value)
            raise SlotError("invalid_amount", slot=slot, value=shown,
                            why="negative" if number.negative else "zero")  # fmt: skip
        return nums.fmt(number.value)

    def discount(self, number: Number) -> str:
        if number.value <= 0 or number.value >= 100:
            raise SlotError("invalid_amount", slot="discount", value=nums.fmt(number.value),
                            why="percent")  # fmt: skip
        return nums.fmt(number.value)

    def amount(self) -> str:
        pool = self.s.money or self.s.prices or self.s.qtys
        if not pool:
            raise SlotError("missing_slot", slot="amount")
        return self.money(pool[0], "amount")

    # -- order lines -----------------------------------------------------------------------
    def lines(self, *, prices: bool = True, discount: bool = False, required: bool = True):
        """[{item, qty, price?, discount?}], pairing each item with the numbers of its part of
        the text (split at commas, `and`, `和`), or in order when the text has no such parts."""
        items = self.items()
        if not items:
            self.unknown_item(required)
            return []
        s = self.s
        qtys = list(s.qtys)
        price_pool = list(s.prices) + ([] if len(items) > 1 else list(s.money))
        groups = _group(s, items, {"qty": qtys, "price": price_pool, "discount": s.discounts})
        whole = _whole_order_discount(s, items) if discount else None
        if whole is not None:
            for got in groups:
                got["discount"] = [whole]
        out = []
        for m, got in zip(items, groups, strict=True):
            if not got["qty"]:
                raise SlotError("missing_slot", slot="qty", name=m.text)
            line = {"item": _code(m), "qty": self.qty(got["qty"][0], m)}
            if prices and got["price"]:
                line["price"] = self.money(got["price"][0], "price")
            if discount and got["discount"]:
                line["discount"] = self.discount(got["discount"][0])
            out.append(line)
        return out


def _whole_order_discount(s: Scan, items: list[Mention]) -> Number | None:
    """One discount said in a clause of its own after every line ("…and 50 pliers, 5% off",
    "…和 10 个 M8，九折") is the whole order's, not the last line's."""
    if len(items) < 2 or len(s.discounts) != 1:
        return None
    d = s.discounts[0]
    seg = s.segment_of(d.start)
    if d.start < max(m.start for m in items) or seg in {s.segment_of(m.start) for m in items}:
        return None
    return d


def group_numbers(s: Scan, items: list[Mention], pools: dict[str, list[Number]]):
    """Give each item the numbers that belong to it (quantities, prices, discounts)."""
    return _group(s, items, pools)


def _group(s: Scan, items: list[Mention], pools: dict[str, list[Number]]):
    """Give each item the numbers that belong to it."""
    groups: list[dict[str, list[Number]]] = [{k: [] for k in pools} for _ in items]
    if len(items) == 1:
        for k, pool in pools.items():
            groups[0][k] = list(pool)
        return groups
    segs = [s.segment_of(m.start) for m in items]
    by_segment = len(set(segs)) == len(segs)
    for k, pool in pools.items():
        if not by_segment or (k == "qty" and len(pool) == len(items) and not _segmented(s, pool)):
            for i, n in enumerate(pool[: len(items)]):
                groups[i][k].append(n)
            continue
        for n in pool:
            seg = s.segment_of(n.start)
            owner = _owner(segs, seg, items, n)
            groups[owner][k].append(n)
    return groups


def _segmented(s: Scan, pool: list[Number]) -> bool:
    return len({s.segment_of(n.start) for n in pool}) == len(pool)


def _owner(segs: list[int], seg: int, items: list[Mention], n: Number) -> int:
    if seg in segs:
        return segs.index(seg)
    before = [i for i, m in enumerate(items) if m.start < n.start]
    return before[-1] if before else 0


def decision(s: Scan) -> str | None:
    from bot.parse.cues import APPROVE, REJECT

    if REJECT.search(s.masked):
        return "reject"
    if APPROVE.search(s.masked):
        return "approve"
    return None


_DECIDE_WORDS = re.compile(
    r"^(?:\s|[,，:：]|\bapprove[ds]?\b|\breject(?:ed)?\b|\bdecline[ds]?\b|\bdeny\b|\bbecause(?![a-z])|"
    r"\bok\b|批准|驳回|拒绝|否决|同意|不同意|通过|不通过|原因|理由|因为|是)+"
)


def decision_reason(s: Scan) -> str | None:
    found = residue.reason(s)
    if found:
        return _DECIDE_WORDS.sub("", found).strip() or None
    ident = next((e for _st, e, v in s.ids if v.startswith("A-")), None)
    if ident is None:
        return None
    rest = s.base[ident:]
    rest = _DECIDE_WORDS.sub("", rest).strip(" ,，.。!！-—")
    return rest or None


def report_name(s: Scan) -> str:
    found = find_report(s.masked)
    if not found:
        raise SlotError("missing_slot", slot="name")
    return found[0]


def strip_mask(text: str) -> str:
    return text.replace(MASK, "")


Builder = Callable[[Filler], dict]
"""An intent's builder: the command's slots from a text (raises `SlotError`)."""


def put(cmd: dict, key: str, value) -> dict:
    """`cmd` with the optional slot `key` set when it has a value (left out when None)."""
    if value is not None:
        cmd[key] = value
    return cmd
