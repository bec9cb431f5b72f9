"""Master data rows of an import checked, one at a time, into the values to store: warehouses,
items (with their barcodes), partners and users, and the checks across the users of a file
(chat ids held once, an admin kept). A bad value raises `ValueError` (or a `JxcError`) with the
line's problem."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import func, select

from domain.errors import InvalidState
from domain.ledger.codes import owner_of
from domain.ledger.csv_rows import cut
from domain.ledger.gtin import gtin14, valid_gtin
from domain.model import Balance, Item
from domain.numbers import amount, quantity, unit_cost
from domain.roles import ROLES

_WHOLE = re.compile(r"[0-9]{1,6}")


def _whole(row, col: str, default: str, top: int) -> int:
    """A whole number column (days) from 0 to `top`."""
    raw = _text(row, col) or default
    if not _WHOLE.fullmatch(raw) or int(raw) > top:
        raise ValueError(f"{col} must be a whole number of days from 0 to {top}, not {cut(raw)!r}")
    return int(raw)


def _text(row, col, limit=200) -> str:
    value = (row.get(col) or "").strip()
    if "\x00" in value:
        raise ValueError(f"{col} holds a NUL byte")
    if len(value) > limit:
        raise ValueError(f"{col} is longer than {limit} characters")
    return value


def warehouse_row(ctx, row) -> dict:
    return {
        "code": ctx.unique(row.get("code") or "", "code", 32).upper(),
        "name": _text(row, "name"),
        "name_zh": _text(row, "name_zh"),
    }


def item_row(ctx, row) -> dict:
    sku = ctx.unique(row.get("sku") or "", "sku", 64)
    uom = _text(row, "uom", 16) or "pcs"
    costing = (_text(row, "costing") or "average").lower()
    if costing not in ("average", "fifo"):
        raise ValueError(f"costing must be average or fifo, not {cut(costing)!r}")
    barcode = _text(row, "barcode", 32) or None
    if barcode:
        if not valid_gtin(barcode):
            raise ValueError(f"barcode {barcode} has a wrong check digit or length")
        # Unique as a GTIN: an EAN-13 and its UPC-A or GTIN-14 cannot name two items.
        if gtin14(barcode) in ctx.barcodes:
            raise ValueError(f"barcode {barcode} appears twice in the file")
        ctx.barcodes.add(gtin14(barcode))
        other = owner_of(ctx.uow, barcode, sku)
        if other:
            raise ValueError(f"barcode {barcode} already belongs to {other}")
    lead = _whole(row, "lead_time_days", "0", 3650)
    moq = _text(row, "moq") or "0"
    existing = ctx.items.get(sku.upper())
    if existing is not None:
        t = Balance.__table__
        stocked = ctx.uow.execute(
            select(func.count())
            .select_from(t)
            .where((t.c.item_id == existing.id) & (t.c.on_hand != Decimal(0)))
        ).scalar()
        it = Item.__table__
        old = ctx.uow.execute(select(it.c.costing).where(it.c.id == existing.id)).scalar()
        if stocked and old != costing:
            raise ValueError(f"{sku} has stock; its costing cannot change from {old} to {costing}")
    return {
        "sku": sku,
        "name": _text(row, "name"),
        "name_zh": _text(row, "name_zh"),
        "uom": uom,
        "category": _text(row, "category", 64),
        "unit_price": unit_cost(_text(row, "unit_price") or "0"),
        "unit_cost": unit_cost(_text(row, "unit_cost") or "0"),
        "lead_time_days": lead,
        "moq": quantity(moq, uom, allow_zero=True),
        "aliases": _text(row, "aliases", 1000),
        "costing": costing,
        "barcode": barcode,
    }


def partner_row(ctx, row) -> dict:
    code = ctx.unique(row.get("code") or "", "code", 32).upper()
    kind = _text(row, "kind").lower()
    if kind not in ("customer", "supplier"):
        raise ValueError(f"kind must be customer or supplier, not {cut(kind)!r}")
    days = _whole(row, "payment_days", "30", 3650)
    return {
        "code": code,
        "name": _text(row, "name"),
        "name_zh": _text(row, "name_zh"),
        "kind": kind,
        "credit_limit": amount(_text(row, "credit_limit") or "0", "credit_limit"),
        "aliases": _text(row, "aliases", 1000),
        "payment_days": days,
    }


def user_row(ctx, row) -> dict:
    name = ctx.unique(row.get("name") or "", "name", 64)
    role = _text(row, "role").lower()
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {cut(role)!r}")
    lang = _text(row, "lang").lower() or "en"
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be en or zh, not {cut(lang)!r}")
    return {
        "name": name,
        "role": role,
        "slack_id": _text(row, "slack_id", 64) or None,
        "telegram_id": _text(row, "telegram_id", 64) or None,
        "lang": lang,
    }


def users_problems(ctx, good: list[tuple[int, dict, bool]]) -> list[tuple[int, str]]:
    """A Slack or Telegram id held by two users once the file is in: a bad line each time."""
    final = {name: {"line": None, **row} for name, row in ctx.existing("users").items()}
    for line, row, _ in good:
        final[row["name"].upper()] = {"line": line, **row}
    bad = []
    for col in ("slack_id", "telegram_id"):
        holders: dict[str, list[dict]] = {}
        for row in final.values():
            if row[col]:
                holders.setdefault(row[col], []).append(row)
        for value, rows in holders.items():
            if len(rows) < 2:
                continue
            for row in rows:
                if row["line"] is not None:
                    others = ", ".join(r["name"] for r in rows if r is not row)
                    bad.append((row["line"], f"{col} {cut(value)} also belongs to {others}"))
    return bad


def keep_an_admin(ctx, good: list[dict]) -> None:
    """Refuse an import after which no user is an admin: every command would be refused."""
    roles = {name: row["role"] for name, row in ctx.existing("users").items()}
    roles.update({row["name"].upper(): row["role"] for row in good})
    if roles and "admin" not in roles.values():
        raise InvalidState(
            "nothing imported: after this file no user would be an admin, and every command "
            "would be refused; keep at least one user with the role admin",
            zh="未导入：导入后将没有任何管理员，所有命令都会被拒绝；请至少保留一个角色为 admin 的用户",
        )
