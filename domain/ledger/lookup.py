"""Exact lookups of master data by SKU or code (case-insensitive), inside a unit of work.

Names and aliases are the parser's job (`bot.catalog`); here an unknown code is an error that
names the closest codes — only codes that are really close (`close_matches`), never the least
unlike of unrelated ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, utils
from sqlalchemy import bindparam, func, select

from domain.errors import UnknownItem, UnknownPartner, UnknownWarehouse, WrongPartnerKind
from domain.model import Item, Partner, User, Warehouse
from domain.uow import Prepared

item_t = Item.__table__
partner_t = Partner.__table__
wh_t = Warehouse.__table__
user_t = User.__table__
# Exact SKU first (uses the unique index), any case only when that misses.
# Prepared: every command looks up several of these (see `domain.uow.Prepared`).
_ITEM_EXACT = Prepared(select(item_t).where(item_t.c.sku == bindparam("sku")))
_ITEM_ANY_CASE = Prepared(select(item_t).where(func.upper(item_t.c.sku) == bindparam("sku")))
# Warehouse codes are stored upper-case by the import.
_WH = Prepared(select(wh_t).where(wh_t.c.code == bindparam("code")))
_PARTNER = Prepared(select(partner_t).where(func.upper(partner_t.c.code) == bindparam("code")))
_USER = Prepared(select(user_t).where(func.lower(user_t.c.name) == bindparam("name")))

CLOSE_SCORE = 75
"""The least similarity (0–100) of a suggestion: `M6-2` → M6-20 (89), `kpis` → kpi (86);
`NOPE` → PLIERS (40) is no suggestion."""
PREFIX_SCORE = 90
"""A name the text begins (`DRILL` → DRILL-18V, `M6` → M6-20 and M6-NUT) counts as this close."""


def close_matches(
    text: str, choices: Iterable[str], *, limit: int = 5, cutoff: float = CLOSE_SCORE
) -> list[str]:
    """The choices close to `text`, best first, case- and punctuation-insensitively; none when
    nothing is close (an unrelated name is never suggested just for being the least unlike).
    Close means a similar whole (rapidfuzz's ratio) or a name the text begins."""
    key = utils.default_process(text)
    scored = []
    for choice in dict.fromkeys(choices):
        other = utils.default_process(choice)
        score = fuzz.QRatio(key, other)
        if len(key) >= 2 and other.startswith(key):
            score = max(score, PREFIX_SCORE)
        if score >= cutoff:
            scored.append((-score, choice))
    return [choice for _score, choice in sorted(scored)[:limit]]


def _closest(uow, column, text: str) -> list[str]:
    return close_matches(text, (r[0] for r in uow.execute(select(column))))


def item(uow, sku: str):
    """The item with this SKU (case-insensitive), or `UnknownItem` naming the closest SKUs."""
    sku = sku.strip()
    row = _ITEM_EXACT.first(uow, {"sku": sku}) or _ITEM_ANY_CASE.first(uow, {"sku": sku.upper()})
    if row is None:
        near = _closest(uow, item_t.c.sku, sku)
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UnknownItem(f"unknown item {sku!r}{hint}", zh=f"没有物品 “{sku}”", suggestions=near)
    return row


def warehouse(uow, code: str | None):
    """The warehouse with this code (default `MAIN`)."""
    code = (code or "MAIN").strip()
    row = _WH.first(uow, {"code": code.upper()})
    if row is None:
        near = _closest(uow, wh_t.c.code, code)
        raise UnknownWarehouse(
            f"unknown warehouse {code!r}" + (f"; known: {', '.join(near)}" if near else ""),
            zh=f"没有仓库 “{code}”",
            suggestions=near,
        )
    return row


def partner(uow, code: str, kind: str | None = None):
    """The partner with this code; `WrongPartnerKind` when it is not of `kind`."""
    row = _PARTNER.first(uow, {"code": code.strip().upper()})
    if row is None:
        near = _closest(uow, partner_t.c.code, code)
        raise UnknownPartner(
            f"unknown partner {code!r}" + (f"; did you mean {', '.join(near)}?" if near else ""),
            zh=f"没有往来单位 “{code}”",
            suggestions=near,
        )
    if kind and row.kind != kind:
        raise WrongPartnerKind(
            f"{row.code} is a {row.kind}, not a {kind}",
            zh=f"{row.code} 是{'供应商' if row.kind == 'supplier' else '客户'}，"
            f"不是{'供应商' if kind == 'supplier' else '客户'}",
        )
    return row


def user_by_name(uow, name: str):
    """A registered user by name, or None."""
    return _USER.first(uow, {"name": name.lower()})


def first_admin(uow):
    """The first admin user, or None."""
    return uow.execute(
        select(user_t).where(user_t.c.role == "admin").order_by(user_t.c.id).limit(1)
    ).first()


def warehouse_code(uow, wh_id: int) -> str:
    """The code of a warehouse by id."""
    return uow.execute(select(wh_t.c.code).where(wh_t.c.id == wh_id)).scalar_one()


def user_by_chat_id(uow, field: str, value: str):
    """A user by `slack_id` or `telegram_id`, or None."""
    column = {"slack_id": user_t.c.slack_id, "telegram_id": user_t.c.telegram_id}[field]
    return uow.execute(select(user_t).where(column == str(value))).first()


def user_by_slack_id(uow, slack_id: str):
    """A registered user by Slack member id (`U0MARY`), or None."""
    return user_by_chat_id(uow, "slack_id", slack_id)


def user_by_telegram_id(uow, telegram_id: int | str):
    """The user whose `telegram_id` is the sender's Telegram id, or None."""
    return user_by_chat_id(uow, "telegram_id", str(telegram_id))
