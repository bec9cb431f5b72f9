"""One pass over a text: catalog mentions, order and request ids, periods, horizons, prices,
discounts, money and quantities, each found once and masked so the next finder cannot reuse it.
Positions are those of the normalised text throughout (masking keeps lengths)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from bot.catalog import Catalog, Mention, fold, normalise
from bot.parse import numbers as nums
from bot.parse.periods import find_days, find_period

MASK = "\ue000"
_ID_RE = re.compile(
    r"(?<![a-z0-9])(?:(?P<p>po|so|inv|bill|cn)\s?[-#]?\s?(?P<n>\d{1,7})"
    r"|(?P<p2>a)[-#]?(?P<n2>\d{1,6}))(?![a-z0-9]|\.\d)"
)
_ID_PREFIX = {"po": "PO", "so": "SO", "inv": "INV", "bill": "BILL", "cn": "CN", "a": "A"}
# "5 boxes of nitrile gloves": the measure word reads as an item name but is not one.
_MEASURE_NAMES = {"box", "boxes", "roll", "rolls", "pair", "pairs", "set", "sets", "carton",
                  "cartons", "箱", "卷", "双", "套", "盒"}  # fmt: skip
_NUM_BEFORE = re.compile(rf"(?:\d|[{nums.CN_DIGITS}十百千万])\s*$")
SEPARATORS = re.compile(r"[,;\n、；]|\band\b|\bplus\b|\balso\b|以及|还有|另外|再要|再加|加上|和")


@dataclass
class Number:
    start: int
    end: int
    value: Decimal
    negative: bool = False
    unit: str | None = None


@dataclass
class Scan:
    base: str  # normalised, case kept
    text: str  # folded (ASCII lower-case), same length
    masked: str
    mentions: list[Mention]
    ids: list[tuple[int, int, str]] = field(default_factory=list)
    period: tuple[str, tuple[int, int]] | None = None
    days: tuple[int, tuple[int, int]] | None = None
    prices: list[Number] = field(default_factory=list)
    discounts: list[Number] = field(default_factory=list)
    money: list[Number] = field(default_factory=list)
    qtys: list[Number] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # numbers that could not be read whole

    def mask(self, start: int, end: int) -> None:
        self.masked = self.masked[:start] + MASK * (end - start) + self.masked[end:]

    def of_kind(self, kind: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind == kind]

    def ids_with(self, *prefixes: str) -> list[str]:
        return [v for _s, _e, v in self.ids if v.split("-")[0] in prefixes]

    def segment_of(self, pos: int) -> int:
        return sum(1 for m in SEPARATORS.finditer(self.masked, 0, pos))


def scan_text(raw: str, catalog: Catalog) -> Scan:
    base = normalise(raw)
    text = fold(base)
    mentions = _drop_measure_names(catalog.scan(text), text)
    masked = list(text)
    for m in mentions:
        masked[m.start : m.end] = MASK * (m.end - m.start)
    s = Scan(base, text, "".join(masked), mentions)
    for m in _ID_RE.finditer(s.masked):
        prefix = _ID_PREFIX[m.group("p") or m.group("p2")]
        number = m.group("n") or m.group("n2")
        ident = f"A-{int(number)}" if prefix == "A" else f"{prefix}-{int(number):04d}"
        s.ids.append((m.start(), m.end(), ident))
        s.mask(*m.span())
    s.period = find_period(s.masked)
    if s.period:
        s.mask(*s.period[1])
    s.days = find_days(s.masked)
    if s.days:
        s.mask(*s.days[1])
    _numbers(s)
    return s


def _drop_measure_names(mentions: list[Mention], text: str) -> list[Mention]:
    if sum(m.kind == "item" for m in mentions) < 2:
        return mentions
    out = []
    for i, m in enumerate(mentions):
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        after = text[m.end : nxt.start if nxt else len(text)]
        is_measure = (
            m.kind == "item"
            and m.text in _MEASURE_NAMES
            and _NUM_BEFORE.search(text[: m.start])
            and nxt is not None
            and nxt.kind == "item"
            and after.strip() in ("", "of", "的")
        )
        if not is_measure:
            out.append(m)
    return out


def _numbers(s: Scan) -> None:
    for m in list(nums.BAD_NUMBER.finditer(s.masked)):
        _unreadable(s, m.start(), m.end())  # `1,5`, `2e3`: asked about, never read in part
    for rx, bucket in (
        (nums.DISCOUNT_RE, s.discounts),
        (nums.PRICE_RE, s.prices),
        (nums.MONEY_RE, s.money),
        (nums.QTY_RE, s.qtys),
    ):
        for m in list(rx.finditer(s.masked)):
            if MASK in s.masked[m.start() : m.end()]:
                continue
            if rx is nums.QTY_RE and nums.CONTINUES.match(s.masked, _glued_end(m)):
                _unreadable(s, m.start(), m.end())
                continue
            try:
                number = _number(rx, m)
            except nums.BadNumber:
                _unreadable(s, m.start(), m.end())
                continue
            if number.unit in nums.DOZEN:
                number.value, number.unit = nums.dozens(number.value), None
            if number.unit == "m" and s.base[m.start("unit")] == "M":
                # "sell 20 M to ACME": a capital M is a name (to resolve), not metres
                number.unit, number.end = None, m.start("unit")
            bucket.append(number)
            s.mask(number.start, number.end)


def _glued_end(m: re.Match) -> int:
    return m.end("unit") if m.group("unit") else m.end("num")


def _unreadable(s: Scan, start: int, end: int) -> None:
    """Keep the whole run of number-like text (`5kk`, `三百多`) and mask it: never a fragment."""
    while end < len(s.masked) and (
        nums.CONTINUES.match(s.masked, end) or s.masked[end] in ".个只件双卷台箱套"
    ):
        end += 1
    s.unreadable.append(s.base[start:end].strip())
    s.mask(start, end)


def _number(rx: re.Pattern, m: re.Match) -> Number:
    if rx is nums.DISCOUNT_RE:
        return Number(m.start(), m.end(), nums.discount_from(m))
    groups = m.groupdict()
    raw = groups.get("num") or groups.get("num2")
    neg = bool(groups.get("neg") or groups.get("neg2"))
    unit = groups.get("unit")
    return Number(m.start(), m.end(), nums.to_decimal(raw), neg, unit.lower() if unit else None)
