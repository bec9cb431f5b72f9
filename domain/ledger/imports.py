"""Master data and sales history from CSV rows: validated whole, then written in one
transaction. Bad rows are reported as `line N: …` (the header is line 1); nothing is
half-imported. Re-importing updates by code; sales history appends (or replaces a date range).
Each kind of master data row is checked in `domain.ledger.master_rows`, sales history in
`domain.ledger.history_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import insert, select, update

from domain.errors import JxcError
from domain.ledger.csv_rows import (
    COLUMNS,
    KEYS,
    OPTIONAL,
    ImportRejected,
    cut,
    header_problems,
    in_line_order,
    parse_csv,
)
from domain.ledger.history_rows import import_history
from domain.ledger.master_rows import (
    item_row,
    keep_an_admin,
    partner_row,
    user_row,
    users_problems,
    warehouse_row,
)
from domain.model import Item, Partner, User, Warehouse

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
        return import_history(ctx, rows, replace, problems)
    validate = {
        "warehouses": warehouse_row,
        "items": item_row,
        "partners": partner_row,
        "users": user_row,
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
        bad += users_problems(ctx, good)
    if bad or problems:
        raise ImportRejected(in_line_order(problems, bad))
    if kind == "users":
        keep_an_admin(ctx, [r for _, r, _ in good])
    if not good:
        return 0
    _write(uow, kind, [r for _, r, _ in good], replace, cols)
    return len(good)


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
