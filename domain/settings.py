"""Named thresholds and switches (data, editable at run time with `jxc rules set`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from domain.errors import InvalidAmount, UnknownSetting
from domain.lookup import close_matches
from domain.model import Setting
from domain.uow import Prepared

setting_t = Setting.__table__

# name -> (default, kind); kind: "money", "pct", "int", "bool", "prob"
DEFAULTS: dict[str, tuple[str, str]] = {
    "approval.purchase_total": ("10000", "money"),
    "approval.credit_check": ("on", "bool"),
    "approval.sales_discount_pct": ("10", "pct"),
    "approval.count_value": ("1000", "money"),
    "approval.count_pct": ("2", "pct"),
    "approval.remind_hours": ("24", "int"),
    "approval.escalate_hours": ("48", "int"),
    "anomaly.price_pct": ("20", "pct"),
    "anomaly.sigma": ("3", "money"),
    "reorder.service_level": ("0.95", "prob"),
    "reorder.history_days": ("90", "int"),
    "reorder.order_cost": ("200", "money"),
    "reorder.holding_pct": ("25", "pct"),
    "stock.allow_negative": ("off", "bool"),
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
    """Check a new value for a named setting and return it normalised."""
    kind = _kind_of(name)
    v = value.strip().lower()
    if kind == "bool":
        if v not in _BOOL:
            raise InvalidAmount(
                f"{name} takes on or off, not {value!r}", zh=f"{name} 只能是 on 或 off"
            )
        return _BOOL[v]
    try:
        d = Decimal(v)
    except InvalidOperation:
        raise InvalidAmount(
            f"{name} takes a number, not {value!r}", zh=f"{name} 需要数字"
        ) from None
    if not d.is_finite() or d < 0:
        raise InvalidAmount(f"{name} must be a number ≥ 0", zh=f"{name} 必须是非负数")
    if kind == "int" and d != d.to_integral_value():
        raise InvalidAmount(f"{name} takes a whole number", zh=f"{name} 必须是整数")
    if kind == "pct" and d > 100:
        raise InvalidAmount(f"{name} is a percentage (0–100)", zh=f"{name} 是百分比（0–100）")
    if kind == "prob" and not (Decimal("0.5") <= d < 1):
        raise InvalidAmount(f"{name} must be between 0.5 and 1", zh=f"{name} 必须在 0.5 与 1 之间")
    return format(d.normalize(), "f") if kind != "int" else str(int(d))


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
    store(uow, name, v)
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
