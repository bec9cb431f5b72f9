"""Master data and sales history from CSV rows: validated whole, then written in one
transaction. Bad rows are reported as `line N: …` (the header is line 1); nothing is
half-imported. Re-importing updates by code; sales history appends (or replaces a date range).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, insert, select, update

from domain.codes import owner_of
from domain.csv_rows import (
    COLUMNS,
    KEYS,
    OPTIONAL,
    ImportRejected,
    cut,
    header_problems,
    parse_csv,
)
from domain.errors import InvalidState, JxcError
from domain.gtin import gtin14, valid_gtin
from domain.model import Balance, Item, Partner, SalesHistory, User, Warehouse
from domain.numbers import amount, quantity, unit_cost
from domain.roles import ROLES

_UNIQUE = {"items": ("barcode",), "users": ("slack_id", "telegram_id")}


def import_csv(uow, kind: str, raw: bytes, *, today: date, replace: bool = False) -> int:
    """Check a whole CSV file (header, every row's shape, every value), then write it all;
    every bad line is reported at once (`ImportRejected`) and nothing is written."""
    header, rows, problems = parse_csv(raw)
    wrong = [] if problems[:1] and problems[0].startswith("line 1:") else None
    wrong = header_problems(kind, header) if wrong is None else wrong
    if wrong or not header:
        raise ImportRejected(wrong + problems)
    return import_rows(
        uow, kind, rows, today=today, replace=replace, header=header, problems=problems
    )


def _lookup(uow, table, column) -> dict[str, int]:
    return {k.upper(): v for k, v in uow.execute(select(column, table.c.id))}


def import_rows(
    uow,
    kind: str,
    rows: Iterable[tuple[int, dict]],
    *,
    today: date,
    replace: bool = False,
    header: list[str] | None = None,
    problems: Iterable[str] = (),
) -> int:
    """Validate every row, then write them all; returns the number of rows written.

    `header` names the columns the file has (all when None): an existing row gets only those
    updated, a new one must have every required column. `problems` are lines already found bad
    (by `parse_csv`); they are reported with the rest, in line order."""
    ctx = _Context(uow, today)
    problems = list(problems)
    if kind == "sales_history":
        return _import_history(ctx, rows, replace, problems)
    validate = {
        "warehouses": _warehouse,
        "items": _item,
        "partners": _partner,
        "users": _user,
    }[kind]
    rows = list(rows)
    cols = set(header if header is not None else COLUMNS[kind] + OPTIONAL.get(kind, []))
    key = KEYS[kind]
    lacking = [c for c in COLUMNS[kind] if c not in cols]
    existing = ctx.existing(kind)
    good, bad = [], []
    for line, row in rows:
        try:
            name = (row.get(key) or "").strip()
            old = existing.get(name.upper()) if name else None
            if old is not None:
                row = {**old, **row}
            elif lacking and name:
                raise ValueError(
                    f"{cut(name)} is new, so the file needs the column(s) {', '.join(lacking)}"
                )
            good.append((line, validate(ctx, row), old is not None))
        except (JxcError, ValueError) as exc:
            bad.append((line, getattr(exc, "message", str(exc))))
    if kind == "users":
        bad += _users_problems(ctx, good)
    if bad or problems:
        raise ImportRejected(_in_line_order(problems, bad))
    if kind == "users":
        _keep_an_admin(ctx, [r for _, r, _ in good])
    if not good:
        return 0
    _write(uow, kind, [r for _, r, _ in good], replace, cols)
    return len(good)


def _in_line_order(problems: list[str], bad: list[tuple[int, str]]) -> list[str]:
    found = [(int(p.split(":")[0].split()[1]), p) for p in problems]
    found += [(n, f"line {n}: {text}") for n, text in bad]
    return [p for _, p in sorted(found, key=lambda x: x[0])]


class _Context:
    def __init__(self, uow, today: date):
        self.uow = uow
        self.today = today
        self.seen: set[str] = set()
        self.barcodes: set[str] = set()
        self._items = self._partners = None
        self._existing: dict[str, dict] = {}

    @property
    def items(self):
        if self._items is None:
            self._items = {
                r.sku.upper(): r
                for r in self.uow.execute(
                    select(Item.__table__.c.id, Item.__table__.c.sku, Item.__table__.c.uom)
                )
            }
        return self._items

    @property
    def partners(self):
        if self._partners is None:
            t = Partner.__table__
            self._partners = {
                r.code.upper(): r for r in self.uow.execute(select(t.c.id, t.c.code, t.c.kind))
            }
        return self._partners

    def existing(self, kind: str) -> dict[str, dict[str, str]]:
        """The stored rows of a kind of master data by upper-cased key, each value as the text
        a CSV cell would hold (so a row naming only some columns can be checked whole)."""
        if kind not in self._existing:
            table = _TABLES[kind]
            key = KEYS[kind]
            names = COLUMNS[kind] + OPTIONAL.get(kind, [])
            self._existing[kind] = {
                r[key].upper(): {c: _cell(r[c]) for c in names}
                for r in self.uow.execute(select(*(table.c[c] for c in names))).mappings()
            }
        return self._existing[kind]

    def unique(self, key: str, what: str, limit: int) -> str:
        key = key.strip()
        if not key:
            raise ValueError(f"{what} is empty")
        if len(key) > limit:
            raise ValueError(f"{what} {cut(key)!r} is longer than {limit} characters")
        if key.upper() in self.seen:
            raise ValueError(f"{what} {key!r} appears twice in the file")
        self.seen.add(key.upper())
        return key


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


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


def _warehouse(ctx, row) -> dict:
    return {
        "code": ctx.unique(row.get("code") or "", "code", 32).upper(),
        "name": _text(row, "name"),
        "name_zh": _text(row, "name_zh"),
    }


def _item(ctx, row) -> dict:
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


def _partner(ctx, row) -> dict:
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


def _user(ctx, row) -> dict:
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


def _users_problems(ctx, good: list[tuple[int, dict, bool]]) -> list[tuple[int, str]]:
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


def _keep_an_admin(ctx, good: list[dict]) -> None:
    """Refuse an import after which no user is an admin: every command would be refused."""
    roles = {name: row["role"] for name, row in ctx.existing("users").items()}
    roles.update({row["name"].upper(): row["role"] for row in good})
    if roles and "admin" not in roles.values():
        raise InvalidState(
            "nothing imported: after this file no user would be an admin, and every command "
            "would be refused; keep at least one user with the role admin",
            zh="未导入：导入后将没有任何管理员，所有命令都会被拒绝；请至少保留一个角色为 admin 的用户",
        )


def _day(ctx, raw: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"date {cut(raw)!r} is not YYYY-MM-DD") from None
    if day > ctx.today:
        raise ValueError(f"date {day} is in the future")
    return day


_HISTORY = ("day", "item_id", "qty", "partner_id", "unit_price")


def _import_history(
    ctx, rows: Iterable[tuple[int, dict]], replace: bool, problems: list[str]
) -> int:
    """Sales history, which comes in hundreds of thousands of rows repeating the same few dates,
    SKUs, customers, quantities and prices: each distinct cell is checked and converted to the
    column's stored form once, and the rows go to the driver in one `executemany`."""
    uow = ctx.uow
    t = SalesHistory.__table__
    stored = {c: uow.to_db(t.c[c].type) for c in _HISTORY}
    days: dict[str, tuple] = {}
    who: dict[tuple[str, str], tuple] = {}
    qtys: dict[tuple[str, str], object] = {}
    prices: dict[str, object] = {None: None}
    good, bad = [], []
    for line, row in rows:
        try:
            raw = (row.get("date") or "").strip()
            day = days.get(raw)
            if day is None:
                parsed = _day(ctx, raw)
                day = days[raw] = (parsed, stored["day"](parsed))
            sku, cust = (row.get("sku") or "").strip(), (row.get("customer") or "").strip()
            names = who.get((sku, cust))
            if names is None:
                names = who[sku, cust] = _history_names(ctx, sku, cust)
            item_id, uom, partner_id = names
            raw = (row.get("qty") or "").strip()
            qty = qtys.get((uom, raw))
            if qty is None:
                qty = qtys[uom, raw] = stored["qty"](quantity(raw, uom))
            raw = (row.get("unit_price") or "").strip() or None
            price = prices.get(raw, prices)
            if price is prices:
                price = prices[raw] = stored["unit_price"](unit_cost(raw))
            good.append((day[1], item_id, qty, partner_id, price))
        except (JxcError, ValueError) as exc:
            bad.append((line, getattr(exc, "message", str(exc))))
    if bad or problems:
        raise ImportRejected(_in_line_order(problems, bad))
    if not good:
        return 0
    if replace:
        seen = [d for d, _ in days.values()]
        lo, hi = min(seen), max(seen)
        uow.execute(delete(t).where((t.c.day >= lo) & (t.c.day <= hi)))
    uow.insert_stored(t, _HISTORY, good)
    return len(good)


def _history_names(ctx, sku: str, cust: str) -> tuple[int, str, int]:
    """(item id, unit of measure, customer id) of a history row's SKU and customer."""
    item = ctx.items.get(sku.upper())
    if item is None:
        raise ValueError(f"unknown SKU {cut(sku)!r}")
    partner = ctx.partners.get(cust.upper())
    if partner is None:
        raise ValueError(f"unknown customer {cut(cust)!r}")
    if partner.kind != "customer":
        raise ValueError(f"{cust} is a supplier, not a customer")
    return item.id, item.uom, partner.id


_TABLES = {
    "warehouses": Warehouse.__table__,
    "items": Item.__table__,
    "partners": Partner.__table__,
    "users": User.__table__,
}


def _write(uow, kind: str, good: list[dict], replace: bool, cols: set[str]) -> None:
    """Insert new rows whole; update existing ones in the columns the file names only."""
    table, key = _TABLES[kind], KEYS[kind]
    existing = _lookup(uow, table, table.c[key])
    new = [r for r in good if r[key].upper() not in existing]
    old = [r for r in good if r[key].upper() in existing]
    named = [c for c in COLUMNS[kind] + OPTIONAL.get(kind, []) if c in cols and c != key]
    unique = [c for c in _UNIQUE.get(kind, ()) if c in named]
    if unique and old:
        # An id may move from one row to another within the file: free them all first.
        ids = [existing[r[key].upper()] for r in old]
        uow.execute(update(table).where(table.c.id.in_(ids)).values(**dict.fromkeys(unique)))
    for r in old if named else ():
        values = {c: r[c] for c in named}
        uow.execute(update(table).where(table.c.id == existing[r[key].upper()]).values(**values))
    if new:
        uow.execute(insert(table), new)
