"""Quantities and money as `Decimal`, with the design's rules of precision.

Quantities have at most 3 decimals and are whole for counted units; a line over 1,000,000 is
refused. Money is rounded to 0.01 half-up per line; unit costs keep up to 6 decimals.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from domain.errors import InvalidAmount, InvalidQuantity, JxcError

COUNTED_UNITS = frozenset(
    {"pcs", "pc", "pair", "roll", "box", "set", "个", "双", "卷", "台", "箱", "件", "只", "套"}
)
MAX_LINE_QTY = Decimal("1000000")
CENT = Decimal("0.01")
QTY_PLACES = 3
COST_PLACES = 6


# Digits, with a comma only between groups of three (`1,500`), and a decimal point. Anything
# else (`1,5`, `2e3`, `Infinity`, `0x10`) is not read: never a guess, never a fragment kept.
_NUMBER = re.compile(r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)")
_ECHO = 40


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= _ECHO else text[: _ECHO - 1] + "…"


def to_decimal(
    value: object, what: str = "value", *, error: type[JxcError] = InvalidQuantity
) -> Decimal:
    """Read a string, int or Decimal as an exact Decimal (floats are refused: they are not
    exact). A string is digits with an optional point; a comma only as a thousands separator
    (`1,500`); `1,5`, an exponent (`2e3`) or anything else is refused with `error`."""
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, bool) or isinstance(value, float):
        raise error(f"{what} must be given as a decimal string, not {_shown(value)}")
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, str):
        d = parse_number(value, what, error)
    else:
        raise error(f"{what} {_shown(value)!r} is not a number")
    if not d.is_finite():
        raise error(f"{what} {_shown(value)!r} is not a number")
    return d


def parse_number(text: str, what: str = "value", error: type[JxcError] = InvalidQuantity):
    """A number as people and files write it (see `to_decimal`), or `error` saying why not."""
    raw = unicodedata.normalize("NFKC", text).strip()
    if _NUMBER.fullmatch(raw):
        return Decimal(raw.replace(",", ""))
    shown = _shown(text)
    if re.fullmatch(r"[+-]?[0-9.,]*[0-9][0-9.,]*", raw) and "," in raw:
        raise error(
            f"{what} {shown!r} is not a number: a comma separates thousands only (1,500); "
            "write decimals with a point (1.5)",
            zh=f"{what} “{shown}” 不是数字：逗号只用作千位分隔（1,500），小数请用小数点（1.5）",
        )
    if re.fullmatch(r"[+-]?[0-9.]+[eE][+-]?[0-9]+", raw):
        raise error(
            f"{what} {shown!r} is not a number: write it in plain digits, without an exponent",
            zh=f"{what} “{shown}” 不是数字：请直接写出数字，不用指数",
        )
    raise error(f"{what} {shown!r} is not a number", zh=f"{what} “{shown}” 不是数字")


def quantity(value: object, uom: str = "pcs", *, allow_zero: bool = False) -> Decimal:
    """Validate a line quantity: positive (or zero for a count), at most 3 decimals, whole for
    counted units, not over 1,000,000."""
    q = to_decimal(value, "quantity")
    if q < 0 or (q == 0 and not allow_zero):
        raise InvalidQuantity(
            f"quantity must be {'zero or more' if allow_zero else 'more than zero'}, got {_shown(q)}",
            zh=f"数量必须{'不小于' if allow_zero else '大于'}零，收到 {_shown(q)}",
        )
    if q > MAX_LINE_QTY:
        raise InvalidQuantity(
            f"quantity {_shown(q)} is over the limit of 1,000,000 per line",
            zh=f"数量 {_shown(q)} 超过每行 1,000,000 的上限",
        )
    if q != q.quantize(Decimal(1).scaleb(-QTY_PLACES), rounding=ROUND_HALF_UP):
        raise InvalidQuantity(
            f"quantity {_shown(q)} has more than 3 decimals", zh=f"数量 {_shown(q)} 超过 3 位小数"
        )
    if uom in COUNTED_UNITS and q != q.to_integral_value():
        raise InvalidQuantity(
            f"quantity {_shown(q)} must be whole for items counted in {uom}",
            zh=f"以“{uom}”计的物品数量必须是整数，收到 {_shown(q)}",
        )
    return normalize(q)


def amount(value: object, what: str = "amount", *, places: int = 2) -> Decimal:
    """Validate a money value or unit cost: zero or more, at most `places` decimals."""
    a = to_decimal(value, what, error=InvalidAmount)
    if a < 0:
        raise InvalidAmount(
            f"{what} must not be negative, got {_shown(a)}", zh=f"金额不能为负：{_shown(a)}"
        )
    if a > Decimal("1000000000"):
        raise InvalidAmount(f"{what} {_shown(a)} is implausibly large", zh=f"金额 {_shown(a)} 过大")
    if a != a.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):
        raise InvalidAmount(
            f"{what} {_shown(a)} has more than {places} decimals",
            zh=f"{what} {_shown(a)} 超过 {places} 位小数",
        )
    return a


def unit_cost(value: object) -> Decimal:
    """A unit cost or price: up to 6 decimals, kept as given."""
    return amount(value, "unit cost", places=COST_PLACES)


def money(value: Decimal) -> Decimal:
    """Round to 0.01, half-up (the design's rule for each line and move value)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def normalize(d: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation (`20.000` → `20`)."""
    n = d.normalize()
    if n == n.to_integral_value():
        return n.quantize(Decimal(1))
    return n


def qty_str(d: Decimal) -> str:
    """A quantity as the JSON string the design shows (`"20"`, `"1.5"`)."""
    return format(normalize(d), "f")


def money_str(d: Decimal) -> str:
    """Money as a string with two decimals (`"5.00"`)."""
    return format(money(d), "f")


def cost_str(d: Decimal | None) -> str | None:
    """An average cost shown to 4 decimals, or None."""
    if d is None:
        return None
    return format(d.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP), "f")


def price_str(d: Decimal) -> str:
    """A unit price or cost: at least 2 decimals, up to 6, no trailing zeros beyond 2."""
    q = d.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    text = format(q, "f").rstrip("0")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


# -- numbers for people ----------------------------------------------------------------------
# Text replies, reports, `jxc stock`, forecasts and digests show numbers through these; JSON keeps
# the exact strings above (`qty_str`, `money_str`) and statistics as numbers.


def is_counted(uom: str | None) -> bool:
    """Whether a unit is counted in whole units (pcs, box, 个…) rather than measured (kg, m)."""
    return (uom or "").strip().lower() in COUNTED_UNITS


def _exact(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return to_decimal(value)


def _grouped(d: Decimal, places: int | None = None) -> str:
    """`d` with thousands separators; `places` fixes the decimals, None keeps them (trimmed)."""
    if places is None:
        d = normalize(d)
        whole, _, frac = format(abs(d), "f").partition(".")
        text = f"{int(whole):,}" + (f".{frac}" if frac else "")
        return ("-" if d < 0 else "") + text
    return format(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), f",.{places}f")


def qty_display(q: object, uom: str | None = None, *, up: bool = False) -> str:
    """A quantity for people: whole for counted units, at most 3 decimals otherwise, with
    thousands separators (`1,615`, `12.5`).

    Rounding is half-up; with `up=True` it is upward, for the levels one orders or keeps stock
    against — a reorder point, safety stock or EOQ of counted units rounds UP to the next whole
    unit (121.312 → 122, 795.2 → 796), since 121 would already be below the point. With no unit
    the quantity is shown as stored (at most 3 decimals).
    """
    d = _exact(q)
    places = 0 if is_counted(uom) else QTY_PLACES
    rounding = ROUND_CEILING if up else ROUND_HALF_UP
    d = d.quantize(Decimal(1).scaleb(-places), rounding=rounding)
    return _grouped(d)


def forecast_display(q: object, uom: str | None = None) -> str:
    """A forecast quantity rounded to what the unit allows: whole for counted units (half-up),
    at most 3 decimals for measured ones (`12.346` kg), with thousands separators."""
    return qty_display(q, uom)


def money_display(x: object) -> str:
    """Money for people: two decimals, half-up, thousands separators (`398,999,601.00`)."""
    return _grouped(_exact(x), 2)


def cost_display(x: object) -> str:
    """A unit cost or average cost for people: 4 decimals with thousands separators."""
    return _grouped(_exact(x), 4)


def pct_display(share: object, places: int = 1) -> str:
    """A share (a fraction 0–1) as a percentage for people: `0.125` → `12.5 %`."""
    return f"{_grouped(_exact(share) * 100, places)} %"
