"""Numbers in chat text: digits, Chinese numerals (via cn2an), quantities with measure words,
unit prices, money amounts and discounts. Everything is `Decimal`; nothing is a float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import cn2an

CN_DIGITS = "零〇一二两三四五六七八九"
# Financial numerals (壹佰 = 100, 贰拾 = 20), as on cheques and invoices.
CN_FINANCIAL = "壹贰叁肆伍陆柒捌玖拾佰仟"
CN_NUM = rf"[{CN_DIGITS}{CN_FINANCIAL}十百千万亿]+"
# A Chinese numeral followed by one of these is a word, not a number (一下, 一共, 一起 ...).
_DIGIT = dict(zip(CN_DIGITS, "00122345678" + "9", strict=True))
_CN_NOT_NUMBER = "下共起些点般直样定会边次切半"
DIGITS = r"\d+(?:\.\d+)?"
# Digits with a multiplier as people type them: 5k, 2w, 3百, 1万2, 2百5, 1万2千.
_DIGITS_MULT = r"\d+(?:\.\d+)?(?:\s*[万千百](?:\d+[万千百]?)*|[kw](?![a-z]))"
_EN_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_SCALES = {"hundred": 100, "thousand": 1000}
_EN_WORD = "|".join(sorted(_EN_UNITS, key=len, reverse=True))
_EN_SCALE = "|".join(_EN_SCALES)
_EN_TOKEN = rf"(?:{_EN_WORD}|{_EN_SCALE})"
# "twenty", "two hundred", "twenty-five", "a hundred and fifty", "a thousand"
EN_NUM = (
    rf"\b(?:(?:{_EN_WORD})|a(?=\s+(?:{_EN_SCALE}|dozen)\b))"
    rf"(?:(?:\s+and\s+|[\s-]+)(?:{_EN_TOKEN}))*\b"
)
# 半打: half a dozen, read whole (半 alone is not a number: 一半, 半天).
HALF_DOZEN = "半打"
NUM = rf"(?:{HALF_DOZEN}|{_DIGITS_MULT}|{DIGITS}|{CN_NUM}(?![{_CN_NOT_NUMBER}])|{EN_NUM})"
_LEFT = r"(?<![a-z0-9.\-])"
# What may not follow a quantity: it would leave a fragment (5kk, 三百多, 十几, 1万25万), and
# letters glued to digits that are no unit (2e3, 5q, 2mm; `5x` is "five times", a count).
CONTINUES = re.compile(
    rf"[0-9{CN_DIGITS}{CN_FINANCIAL}十百千万亿多余几kw]|(?<=[0-9])[a-wyz]|(?<=[a-z])[a-z]"
)
DOZEN = {"打", "dozen", "dozens", "doz", "dz"}
# A number written so it could be read two ways (`1,5`: after the text is normalised a comma
# between digits is never a thousands separator) or with an exponent (`2e3`, `1e309`): asked
# about, never read in part.
BAD_NUMBER = re.compile(
    r"(?<![a-z0-9.\-])\d+(?:\.\d+)?(?:(?:,\d+(?:\.\d+)?)+|e[+-]?\d+)(?![a-z0-9])"
)

MEASURES_CJK = "个只件双卷台箱套米公斤千克盒包条把瓶桶顶副张根支捆块袋片斤罐打"
MEASURE_EN = (
    r"pcs|pc|pieces?|rolls?|pairs?|boxes|box|sets?|units?|kgs?|kilos?|kilograms?|"
    r"meters?|metres?|m|cartons?|packs?|bags?|bottles?|ea|dozens?|doz|dz|litres?|liters?|l"
)
MEASURE = rf"(?:公斤|千克|[{MEASURES_CJK}]|(?:{MEASURE_EN})\b)"
COUNTED_UOMS = {"pcs", "pc", "pair", "roll", "box", "set", "个", "双", "卷", "台", "箱", "只", "件"}
_COUNTED_MEASURES = {
    "个", "只", "件", "双", "卷", "台", "箱", "套", "盒", "顶", "副", "张", "把", "瓶", "桶",
    "pcs", "pc", "piece", "pieces", "roll", "rolls", "pair", "pairs", "box", "boxes", "set",
    "sets", "unit", "units", "carton", "cartons", "ea",
}  # fmt: skip

CURRENCY = r"(?:元钱|元|块钱|块|yuan|rmb|cny|¥|\$)"
PER_UNIT = (
    rf"(?:each|apiece|a piece|per (?:piece|unit|pc|roll|box|pair|set|kg|m)|"
    rf"/\s*(?:{MEASURE_EN}|[{MEASURES_CJK}]|公斤))"
)
# "0.22元一个": only after a currency, or 一百万零一个 would read as a price
PER_ONE = rf"一(?:[{MEASURES_CJK}]|公斤)"
_PRICE_LEAD = (
    r"(?:@|\bat\b|\bunit price\b|\bunit cost\b|\bprice\b|\bpriced at\b|\bcost\b|\bcosting\b|"
    rf"单价|价格|价钱|售价|进价|成本价?|报价|每(?:[{MEASURES_CJK}]|公斤)?)"
)
PRICE_RE = re.compile(
    rf"{_PRICE_LEAD}\s*(?:is|of|是|为|:)?\s*(?:¥|\$|rmb|cny)?\s*(?P<neg>-)?(?P<num>{NUM})\s*"
    rf"{CURRENCY}?(?:\s*(?:{PER_UNIT}|{PER_ONE}))?"
    rf"|(?:¥|\$)?{_LEFT}(?P<neg2>-)?(?P<num2>{NUM})\s*(?:{CURRENCY}?\s*{PER_UNIT}|{CURRENCY}\s*{PER_ONE})"
)
DISCOUNT_RE = re.compile(
    rf"(?:discount|折扣|优惠|让利|less|off)\s*(?:of\s*)?(?P<pct>{DIGITS})\s*%"
    rf"|(?P<pct2>{DIGITS})\s*%\s*(?:off|discount|折扣|优惠)?"
    rf"|打?\s*(?P<zhe>\d+(?:\.\d+)?|[{CN_DIGITS}]+(?:点[{CN_DIGITS}])?)\s*折(?!扣)"
)
MONEY_RE = re.compile(
    rf"(?:¥|\$|rmb|cny)\s*(?P<num>{DIGITS}\s*[万千]?)|{_LEFT}(?P<neg>-|负)?(?P<num2>{NUM})\s*"
    rf"(?:{CURRENCY}(?!\s*(?:{PER_UNIT}|{PER_ONE})))"
)
QTY_RE = re.compile(
    rf"(?:(?<![a-z0-9])[x×*]\s*)?{_LEFT}(?P<neg>-|负)?(?P<num>{NUM})\s*(?P<unit>{MEASURE})?"
)


class BadNumber(ValueError):
    """A numeral that cannot be read."""


def to_decimal(raw: str) -> Decimal:
    """Read digits (with a k/w/万/千/百 multiplier, or mixed as 1万2), a Chinese numeral
    (financial ones too) or English number words into a Decimal."""
    raw = raw.replace(" ", "") if not raw[:1].isalpha() else raw.strip()
    if not raw:
        raise BadNumber(raw)
    if raw == HALF_DOZEN:
        return Decimal(6)
    if raw[0].isascii() and raw[0].isalpha():
        return _english(raw)
    if raw[-1] in "kw" and raw[0].isdigit():
        return _integral(_plain(raw[:-1]) * (1000 if raw[-1] == "k" else 10000))
    if raw[0].isdigit() and any(c in "万千百" for c in raw):
        head = re.match(DIGITS, raw).group(0)
        if raw[len(head)] in "万千" and raw[len(head) + 1 :] == "" and "." in head:
            return _integral(_plain(head) * (10000 if raw[-1] == "万" else 1000))
        return _chinese(raw)
    if raw[0].isdigit():
        return _plain(raw)
    return _chinese(raw)


def _plain(raw: str) -> Decimal:
    try:
        return Decimal(raw)
    except InvalidOperation as exc:
        raise BadNumber(raw) from exc


def _english(raw: str) -> Decimal:
    total = current = 0
    for word in re.split(r"[\s-]+", raw.lower()):
        if word == "and":
            continue
        if word == "a":
            current = 1
        elif word in _EN_UNITS:
            current += _EN_UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            raise BadNumber(raw)
    return Decimal(total + current)


def _chinese(raw: str) -> Decimal:
    if all(c in _DIGIT for c in raw) and len(raw) > 1:
        # 八五 (in 八五折) and 一二三 read digit by digit
        return Decimal("".join(_DIGIT[c] for c in raw))
    try:
        value = cn2an.cn2an(raw, "smart")
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise BadNumber(raw) from exc
    return _integral(Decimal(str(value)))


def _integral(value: Decimal) -> Decimal:
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


def dozens(value: Decimal) -> Decimal:
    """A number of dozens as a count (`2 doz` → 24, `1.5打` → 18)."""
    return _integral(value * 12)


METRES = {"m", "meter", "meters", "metre", "metres", "米"}
KILOS = {"kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "公斤", "千克"}
LITRES = {"l", "litre", "litres", "liter", "liters"}
_MEASURED = {"m": METRES, "kg": KILOS, "l": LITRES}


def measure_fits(unit: str | None, uom: str | None) -> bool:
    """Whether a measured unit written after a number (`2m`, `3kg`, `5l`) is the item's own:
    `2m` of an item counted in m is 2 metres; of hammers it is asked about."""
    if not unit:
        return True
    unit = unit.lower()
    wanted = next((k for k, words in _MEASURED.items() if unit in words), None)
    if wanted is None:
        return True
    own = (uom or "").strip().lower()
    return own in _MEASURED[wanted] or own == wanted


def fmt(value: Decimal) -> str:
    """A Decimal as the design's JSON string: no exponent, as typed."""
    return format(value, "f")


def discount_from(match: re.Match) -> Decimal:
    """Percent off: `10% off` -> 10, `九折` -> 10, `八五折` -> 15, `9.5折` -> 5."""
    pct = match.group("pct") or match.group("pct2")
    if pct:
        return Decimal(pct)
    raw = match.group("zhe")
    if "点" in raw:
        whole, _, frac = raw.partition("点")
        pay = to_decimal(whole) + to_decimal(frac) / 10
    else:
        pay = to_decimal(raw)
    pay_pct = pay * 10 if pay < 10 else pay
    return _integral(Decimal(100) - pay_pct)


def is_counted(uom: str) -> bool:
    return uom.lower() in COUNTED_UOMS


def measure_is_counted(unit: str | None) -> bool:
    return bool(unit) and unit.lower() in _COUNTED_MEASURES
