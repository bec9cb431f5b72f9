"""Named thresholds and switches (data, editable at run time with `jxc rules set`)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from domain.errors import BadRequest, InvalidAmount, UnknownSetting, UnknownWarehouse
from domain.ledger.lookup import close_matches
from domain.messages.commands import check_text
from domain.model import Setting, Warehouse
from domain.numbers import parse_number
from domain.uow import Prepared

setting_t = Setting.__table__

# name -> (default, kind); kind: "money", "pct", "int", "bool", "prob", "hours", "sigma", "text"
DEFAULTS: dict[str, tuple[str, str]] = {
    "approval.purchase_total": ("10000", "money"),
    "approval.credit_check": ("on", "bool"),
    "approval.sales_discount_pct": ("10", "pct"),
    "approval.count_value": ("1000", "money"),
    "approval.count_pct": ("2", "pct"),
    "approval.remind_hours": ("24", "hours"),
    "approval.escalate_hours": ("48", "hours"),
    "anomaly.price_pct": ("20", "pct"),
    "anomaly.sigma": ("3", "sigma"),
    "reorder.service_level": ("0.95", "prob"),
    "reorder.history_days": ("90", "int"),
    "reorder.order_cost": ("200", "money"),
    "reorder.holding_pct": ("25", "pct"),
    "stock.allow_negative": ("off", "bool"),
    # The company's name in the headings of PDFs (statements, delivery notes); empty: none.
    "company.name": ("", "text"),
    "company.name_zh": ("", "text"),
}
TEXT_LIMIT = 200  # characters of a text setting (the column's length)
# The design's ranges (low, high, whole number?): by setting first, then by kind.
_D = Decimal
RANGES: dict[str, tuple[Decimal, Decimal, bool]] = {
    "money": (_D(0), _D(10) ** 12, False),
    "pct": (_D(0), _D(100), False),
    "hours": (_D(1), _D(720), True),
    "sigma": (_D(1), _D(10), False),
    "prob": (_D("0.5"), _D("0.999"), False),
    "reorder.history_days": (_D(14), _D(1095), True),
    "reorder.holding_pct": (_D("0.1"), _D(100), False),
}
_BOOL = {
    "on": "on",
    "off": "off",
    "true": "on",
    "false": "off",
    "yes": "on",
    "no": "off",
    "1": "on",
    "0": "off",
}


def _kind_of(name: str) -> str:
    if name in DEFAULTS:
        return DEFAULTS[name][1]
    if name.startswith("stock.allow_negative."):
        return "bool"
    near = close_matches(name, DEFAULTS)
    hint = f"did you mean {', '.join(near)}? " if near else ""
    raise UnknownSetting(
        f"unknown setting {name!r}; {hint}known: {', '.join(DEFAULTS)} and "
        "stock.allow_negative.<WAREHOUSE>",
        zh=f"未知的设置 {name!r}" + (f"；您是不是要 {'、'.join(near)}？" if near else ""),
        suggestions=near,
    )


def validate(name: str, value: str) -> str:
    """Check a new value for a named setting against its range and return it normalised."""
    kind = _kind_of(name)
    if kind == "text":
        return _text(name, value)
    v = value.strip().lower()
    if kind == "bool":
        if v not in _BOOL:
            raise InvalidAmount(
                f"{name} takes on or off, not {_cut(value)!r}", zh=f"{name} 只能是 on 或 off"
            )
        return _BOOL[v]
    d = parse_number(v, name, InvalidAmount)
    low, high, whole = RANGES.get(name) or RANGES[kind]
    span = f"{_plain(low)} and {_plain(high)}"
    if d < 0 and low == 0:
        raise InvalidAmount(f"{name} must be a number ≥ 0", zh=f"{name} 必须是非负数")
    if not low <= d <= high:
        raise InvalidAmount(
            f"{name} must be between {span}, not {_cut(value)}",
            zh=f"{name} 必须在 {_plain(low)} 到 {_plain(high)} 之间，收到 {_cut(value)}",
        )
    if whole and d != d.to_integral_value():
        raise InvalidAmount(
            f"{name} takes a whole number between {span}",
            zh=f"{name} 必须是整数（{_plain(low)} 到 {_plain(high)}）",
        )
    return str(int(d)) if whole else _plain(d)


def _text(name: str, value: str) -> str:
    """A text setting: one line of printable text (spaces at its ends dropped), at most
    `TEXT_LIMIT` characters; else `bad_request`."""
    check_text(name, value, TEXT_LIMIT)
    text = value.strip()
    if not text.isprintable():
        raise BadRequest(
            f"{name} takes one line of printable text (no line breaks or control characters)",
            zh=f"{name} 只能是一行可打印的文字（不能含换行或控制字符）",
        )
    return text


def _plain(d: Decimal) -> str:
    n = d.normalize()
    return format(n.quantize(Decimal(1)) if n == n.to_integral_value() else n, "f")


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def canonical_name(uow, name: str) -> str:
    """The stored name of a setting: a per-warehouse one names a warehouse that exists, by its
    code (`stock.allow_negative.sh` → `stock.allow_negative.SH`); else `unknown_warehouse`."""
    prefix = "stock.allow_negative."
    if not name.startswith(prefix):
        return name
    code = name[len(prefix) :].strip()
    wh = Warehouse.__table__
    found = uow.execute(select(wh.c.code).where(func.upper(wh.c.code) == code.upper())).scalar()
    if found is None:
        codes = [r.code for r in uow.execute(select(wh.c.code).order_by(wh.c.code))]
        raise UnknownWarehouse(
            f"no warehouse {_cut(code)!r} for {prefix}<WAREHOUSE>; warehouses: {', '.join(codes)}",
            zh=f"没有仓库 {_cut(code)!r}；现有仓库：{'、'.join(codes)}",
            suggestions=close_matches(code, codes),
        )
    return prefix + found


_ALL = Prepared(select(setting_t.c.name, setting_t.c.value))


def _stored(uow) -> dict[str, str]:
    """The stored settings, read once per unit of work (a command asks for several)."""
    if uow.settings is None:
        uow.settings = {row.name: row.value for row in _ALL.run(uow, {})}
    return uow.settings


def get(uow, name: str) -> str:
    """The current value of a setting (its default when never set); a per-warehouse setting
    (`stock.allow_negative.SH`) falls back to its general one."""
    stored = _stored(uow)
    if name in stored:
        return stored[name]
    general = "stock.allow_negative" if name.startswith("stock.allow_negative.") else name
    return stored.get(general, DEFAULTS[general][0])


def get_decimal(uow, name: str) -> Decimal:
    """A numeric setting as Decimal."""
    return Decimal(get(uow, name))


def is_on(uow, name: str) -> bool:
    """A switch setting."""
    return get(uow, name) == "on"


def set_value(uow, name: str, value: str) -> str:
    """Validate and store a setting; returns the stored value."""
    v = validate(name, value)
    store(uow, canonical_name(uow, name), v)
    return v


def store(uow, name: str, value: str) -> None:
    """Store a value under a name as it is (validated by the caller)."""
    if uow.execute(select(setting_t.c.name).where(setting_t.c.name == name)).first():
        uow.execute(setting_t.update().where(setting_t.c.name == name).values(value=value))
    else:
        uow.execute(setting_t.insert().values(name=name, value=value))
    if uow.settings is not None:
        uow.settings[name] = value


def all_settings(uow) -> dict[str, str]:
    """Every named setting with its current value (per-warehouse overrides included)."""
    return {**{name: default for name, (default, _) in DEFAULTS.items()}, **_stored(uow)}
