"""Numbers in chat text: digits, Chinese numerals (via cn2an), quantities with measure words,
unit prices, money amounts and discounts. Everything is `Decimal`; nothing is a float."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import cn2an

CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUM = rf"[{CN_DIGITS}十百千万]+"
# A Chinese numeral followed by one of these is a word, not a number (一下, 一共, 一起 ...).
_DIGIT = dict(zip(CN_DIGITS, "00122345678" + "9", strict=True))
_CN_NOT_NUMBER = "下共起些点般直样定会边次切半"
DIGITS = r"\d+(?:\.\d+)?"
NUM = rf"(?:{DIGITS}\s*[万千]?|{CN_NUM}(?![{_CN_NOT_NUMBER}]))"
_LEFT = r"(?<![a-z0-9.\-])"

MEASURES_CJK = "个只件双卷台箱套米公斤千克盒包条把瓶桶顶副张根支捆块袋片斤罐打"
MEASURE_EN = (
    r"pcs|pc|pieces?|rolls?|pairs?|boxes|box|sets?|units?|kgs?|kilos?|kilograms?|"
    r"meters?|metres?|m|cartons?|packs?|bags?|bottles?|ea"
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
    """Read digits (with 万/千 suffix) or a Chinese numeral into a Decimal."""
    raw = raw.replace(" ", "")
    if not raw:
        raise BadNumber(raw)
    mult = 1
    if raw[-1] in "万千" and raw[:-1] and raw[0].isdigit():
        mult = 10000 if raw[-1] == "万" else 1000
        raw = raw[:-1]
    if raw[0].isdigit():
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:
            raise BadNumber(raw) from exc
        return _integral(value * mult) if mult != 1 else value
    return _chinese(raw)


def _chinese(raw: str) -> Decimal:
    if all(c in _DIGIT for c in raw) and len(raw) > 1:
        # 八五 (in 八五折) and 一二三 read digit by digit
        return Decimal("".join(_DIGIT[c] for c in raw))
    try:
        value = cn2an.cn2an(raw, "smart")
    except (ValueError, KeyError, IndexError) as exc:
        raise BadNumber(raw) from exc
    return _integral(Decimal(str(value)))


def _integral(value: Decimal) -> Decimal:
    return Decimal(int(value)) if value == value.to_integral_value() else value.normalize()


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
