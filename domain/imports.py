"""Master data and sales history from CSV rows: validated whole, then written in one
transaction. Bad rows are reported as `line N: …` (the header is line 1); nothing is
half-imported. Re-importing updates by code; sales history appends (or replaces a date range).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, func, insert, select, update

from domain.errors import InvalidState, JxcError
from domain.model import Balance, Item, Partner, SalesHistory, User, Warehouse
from domain.numbers import amount, quantity, unit_cost
from domain.roles import ROLES

KINDS = ("warehouses", "items", "partners", "users", "sales_history")
COLUMNS = {
    "warehouses": ["code", "name", "name_zh"],
    "items": [
        "sku",
        "name",
        "name_zh",
        "uom",
        "category",
        "unit_price",
        "unit_cost",
        "lead_time_days",
        "moq",
        "aliases",
    ],
    "partners": ["code", "name", "name_zh", "kind", "credit_limit", "aliases"],
    "users": ["name", "role", "slack_id", "telegram_id", "lang"],
    "sales_history": ["date", "sku", "qty", "customer", "unit_price"],
}
OPTIONAL = {"items": ["costing", "barcode"], "partners": ["payment_days"]}


class ImportRejected(InvalidState):
    """A CSV file has bad lines; `lines` lists them as `line N: …`."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        text = "\n".join(lines[:50]) + (
            f"\n… and {len(lines) - 50} more" if len(lines) > 50 else ""
        )
        super().__init__(text, zh=text)


def barcode_ok(code: str) -> bool:
    """Validate an EAN-13, EAN-8, UPC-A or GTIN-14 check digit."""
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in code]
    body, check = digits[:-1], digits[-1]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def check_header(kind: str, header: list[str]) -> None:
    """The header must hold the kind's columns (optional ones may follow)."""
    need = COLUMNS[kind]
    missing = [c for c in need if c not in header]
    unknown = [c for c in header if c not in need and c not in OPTIONAL.get(kind, [])]
    if missing or unknown:
        msg = "line 1: "
        if missing:
            msg += f"missing column(s) {', '.join(missing)}"
        if unknown:
            msg += ("; " if missing else "") + f"unknown column(s) {', '.join(unknown)}"
        raise ImportRejected([msg + f" (expected {','.join(need + OPTIONAL.get(kind, []))})"])


def _lookup(uow, table, column) -> dict[str, int]:
    return {k.upper(): v for k, v in uow.execute(select(column, table.c.id))}


def import_rows(
    uow, kind: str, rows: Iterable[tuple[int, dict]], *, today: date, replace: bool = False
) -> int:
    """Validate every row, then write them all; returns the number of rows written."""
    ctx = _Context(uow, today)
    if kind == "sales_history":
        return _import_history(ctx, rows, replace)
    validate = {
        "warehouses": _warehouse,
        "items": _item,
        "partners": _partner,
        "users": _user,
    }[kind]
    good, bad = [], []
    for line, row in rows:
        try:
            good.append(validate(ctx, row))
        except (JxcError, ValueError) as exc:
            bad.append(f"line {line}: {getattr(exc, 'message', str(exc))}")
    if bad:
        raise ImportRejected(bad)
    if not good:
        return 0
    _write(uow, kind, good, replace)
    return len(good)


class _Context:
    def __init__(self, uow, today: date):
        self.uow = uow
        self.today = today
        self.seen: set[str] = set()
        self.barcodes: set[str] = set()
        self._items = self._partners = None

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

    def unique(self, key: str, what: str) -> str:
        key = key.strip()
        if not key:
            raise ValueError(f"{what} is empty")
        if key.upper() in self.seen:
            raise ValueError(f"{what} {key!r} appears twice in the file")
        self.seen.add(key.upper())
        return key


def _text(row, col, limit=200) -> str:
    value = (row.get(col) or "").strip()
    if len(value) > limit:
        raise ValueError(f"{col} is longer than {limit} characters")
    return value


def _warehouse(ctx, row) -> dict:
    return {
        "code": ctx.unique(row.get("code") or "", "code").upper(),
        "name": _text(row, "name"),
        "name_zh": _text(row, "name_zh"),
    }


def _item(ctx, row) -> dict:
    sku = ctx.unique(row.get("sku") or "", "sku")
    uom = _text(row, "uom", 16) or "pcs"
    costing = (_text(row, "costing") or "average").lower()
    if costing not in ("average", "fifo"):
        raise ValueError(f"costing must be average or fifo, not {costing!r}")
    barcode = _text(row, "barcode", 32) or None
    if barcode:
        if not barcode_ok(barcode):
            raise ValueError(f"barcode {barcode} has a wrong check digit or length")
        if barcode in ctx.barcodes:
            raise ValueError(f"barcode {barcode} appears twice in the file")
        ctx.barcodes.add(barcode)
        t = Item.__table__
        other = ctx.uow.execute(
            select(t.c.sku).where((t.c.barcode == barcode) & (func.upper(t.c.sku) != sku.upper()))
        ).first()
        if other:
            raise ValueError(f"barcode {barcode} already belongs to {other.sku}")
    lead = _text(row, "lead_time_days") or "0"
    if not lead.isdigit() or int(lead) > 3650:
        raise ValueError(f"lead_time_days must be a whole number of days, not {lead!r}")
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
        "lead_time_days": int(lead),
        "moq": quantity(moq, uom, allow_zero=True),
        "aliases": _text(row, "aliases", 1000),
        "costing": costing,
        "barcode": barcode,
    }


def _partner(ctx, row) -> dict:
    code = ctx.unique(row.get("code") or "", "code").upper()
    kind = _text(row, "kind").lower()
    if kind not in ("customer", "supplier"):
        raise ValueError(f"kind must be customer or supplier, not {kind!r}")
    days = _text(row, "payment_days") or "30"
    if not days.isdigit():
        raise ValueError(f"payment_days must be a whole number, not {days!r}")
    return {
        "code": code,
        "name": _text(row, "name"),
        "name_zh": _text(row, "name_zh"),
        "kind": kind,
        "credit_limit": amount(_text(row, "credit_limit") or "0", "credit_limit"),
        "aliases": _text(row, "aliases", 1000),
        "payment_days": int(days),
    }


def _user(ctx, row) -> dict:
    name = ctx.unique(row.get("name") or "", "name")
    role = _text(row, "role").lower()
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    lang = _text(row, "lang").lower() or "en"
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be en or zh, not {lang!r}")
    return {
        "name": name,
        "role": role,
        "slack_id": _text(row, "slack_id", 64) or None,
        "telegram_id": _text(row, "telegram_id", 64) or None,
        "lang": lang,
    }


def _day(ctx, raw: str) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"date {raw!r} is not YYYY-MM-DD") from None
    if day > ctx.today:
        raise ValueError(f"date {day} is in the future")
    return day


_HISTORY = ("day", "item_id", "qty", "partner_id", "unit_price")


def _import_history(ctx, rows: Iterable[tuple[int, dict]], replace: bool) -> int:
    """Sales history, which comes in hundreds of thousands of rows repeating the same few dates,
    SKUs, customers, quantities and prices: each distinct cell is checked and converted to the
    column's stored form once, and the rows go to the driver in one `executemany`."""
    uow = ctx.uow
    t = SalesHistory.__table__
    dialect = uow.engine.dialect
    stored = {c: _to_db(t.c[c].type, dialect) for c in _HISTORY}
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
            bad.append(f"line {line}: {getattr(exc, 'message', str(exc))}")
    if bad:
        raise ImportRejected(bad)
    if not good:
        return 0
    if replace:
        seen = [d for d, _ in days.values()]
        lo, hi = min(seen), max(seen)
        uow.execute(delete(t).where((t.c.day >= lo) & (t.c.day <= hi)))
    sql = insert(t).compile(dialect=dialect, column_keys=list(_HISTORY))
    if not sql.positional:
        good = [dict(zip(_HISTORY, r, strict=True)) for r in good]
    with uow.translated():
        uow.conn.exec_driver_sql(sql.string, good)
    return len(good)


def _to_db(type_, dialect):
    """The function that turns a value into what the driver is given for a column of this
    type on this database (as a statement through SQLAlchemy would)."""
    return type_.dialect_impl(dialect).bind_processor(dialect) or (lambda v: v)


def _history_names(ctx, sku: str, cust: str) -> tuple[int, str, int]:
    """(item id, unit of measure, customer id) of a history row's SKU and customer."""
    item = ctx.items.get(sku.upper())
    if item is None:
        raise ValueError(f"unknown SKU {sku!r}")
    partner = ctx.partners.get(cust.upper())
    if partner is None:
        raise ValueError(f"unknown customer {cust!r}")
    if partner.kind != "customer":
        raise ValueError(f"{cust} is a supplier, not a customer")
    return item.id, item.uom, partner.id


def _write(uow, kind: str, good: list[dict], replace: bool) -> None:
    table, key = {
        "warehouses": (Warehouse.__table__, "code"),
        "items": (Item.__table__, "sku"),
        "partners": (Partner.__table__, "code"),
        "users": (User.__table__, "name"),
    }[kind]
    existing = _lookup(uow, table, table.c[key])
    new = [r for r in good if r[key].upper() not in existing]
    for r in good:
        if r[key].upper() in existing:
            uow.execute(update(table).where(table.c.id == existing[r[key].upper()]).values(**r))
    if new:
        uow.execute(insert(table), new)
