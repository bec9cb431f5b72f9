"""The unit of work: one database transaction per command.

The bootstrap hands in an SQLAlchemy engine; this module never creates one. A write unit asks the
engine for an exclusive transaction (`BEGIN IMMEDIATE` on SQLite, set up by the engine's
listeners); a read unit takes a plain one. Leaving the `with` block without `commit()` rolls back.

Database errors are translated here, once, into the product's errors: a SQLite database locked
by other writers is retried with backoff when the transaction begins (nothing has happened yet),
then refused as `Busy`; a database that cannot be opened, reached or written is
`DatabaseUnavailable`. Both mean nothing changed. Anything else stays what it is (a bug).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import random
import time
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import unquote

from sqlalchemy import Connection, Engine, bindparam, insert, select, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.sql import ClauseElement

from domain.clock import Clock
from domain.errors import Busy, DatabaseUnavailable, JxcError
from domain.events import Event
from domain.model import AUDIT_KEYED, Audit, Outbox

log = logging.getLogger(__name__)

WRITE_FLAG = "jxc_write"
LOCK_RETRIES = 4
"""How often a transaction that finds the SQLite database locked is begun again."""
LOCK_BACKOFF = 0.05
"""Seconds before the first retry; doubled (with jitter) before each next one."""

outbox_t = Outbox.__table__
audit_t = Audit.__table__
# The literal predicate lets SQLite use the partial unique index on keyed rows.


class Prepared:
    """A fixed statement of the write path, run through the driver's own cursor.

    Compiled once per database; each parameter is converted by its column's type exactly as
    SQLAlchemy converts it, and returned rows are converted back (as named tuples). A driver
    error is wrapped as SQLAlchemy wraps it, then translated like any other. For the few
    statements every write command runs, where SQLAlchemy's per-execution machinery costs
    several times what the database does."""

    def __init__(self, stmt, keys: tuple[str, ...] | None = None):
        """`stmt`: a statement; or, for one that each database writes its own way (an upsert),
        a function of that database's `insert` that builds it. `keys`: for an INSERT, the
        columns given (the others take their defaults)."""
        self.stmt = stmt
        self.keys = list(keys) if keys else None
        self._plans: dict[str, list] = {}

    def _statement(self, dialect):
        if isinstance(self.stmt, ClauseElement):
            return self.stmt
        return self.stmt(importlib.import_module(f"sqlalchemy.dialects.{dialect.name}").insert)

    def _plan(self, dialect) -> list:
        stmt = self._statement(dialect)
        compiled = stmt.compile(dialect=dialect, column_keys=self.keys)
        names = list(compiled.positiontup) if compiled.positional else list(compiled.binds)
        # Each parameter: its name, its conversion, whether the caller gives it, and else the
        # value (converted once, here) of a constant the statement carries (`status =
        # 'confirmed'`) or of a column the INSERT leaves to its default.
        defaults = {}
        for column in getattr(compiled, "insert_prefetch", ()):
            if not column.default.is_scalar:
                raise TypeError(f"{column} has a computed default: give it")
            defaults[column.key] = column.default.arg
        to_db = []
        for n in names:
            bind = compiled.binds[n]
            convert = _converter(bind.type, dialect)
            if bind.required:
                to_db.append((n, convert, True, None))
            else:
                value = defaults.get(n, bind.value)
                to_db.append((n, convert, False, convert(value) if convert else value))
        to_db = tuple(to_db)
        columns = list(stmt.exported_columns)
        row = namedtuple("Row", [c.key for c in columns]) if columns else None  # noqa: PYI024
        plan = [compiled.string, compiled.positional, to_db, row, None, columns]
        self._plans[dialect.name] = plan
        return plan

    def _from_db(self, dialect, plan: list, description) -> tuple:
        # Result conversions need the driver's type codes (PostgreSQL's numerics do).
        convert = tuple(
            c.type.dialect_impl(dialect).result_processor(dialect, d[1])
            for c, d in zip(plan[5], description, strict=True)
        )
        plan[4] = convert if any(convert) else ()  # (): the values come as they are
        return plan[4]

    def run(self, uow, params: dict) -> list:
        """Execute in `uow`'s transaction; the returned rows (none for a plain write)."""
        dialect = uow.engine.dialect
        plan = self._plans.get(dialect.name) or self._plan(dialect)
        sql, positional, to_db, row, from_db, _ = plan
        if positional:
            args = [(f(params[n]) if f else params[n]) if given else c for n, f, given, c in to_db]
        else:
            args = {
                n: (f(params[n]) if f else params[n]) if given else c for n, f, given, c in to_db
            }
        error = dialect.loaded_dbapi.Error
        cursor = uow.conn.connection.driver_connection.cursor()
        try:
            cursor.execute(sql, args)
            raw = cursor.fetchall() if row is not None else ()
            if row is not None and from_db is None:
                from_db = self._from_db(dialect, plan, cursor.description)
        except error as exc:
            wrapped = DBAPIError.instance(
                sql, args, exc, error, hide_parameters=uow.engine.hide_parameters, dialect=dialect
            )
            raise (db_error(wrapped, uow.engine) or wrapped) from exc
        finally:
            cursor.close()
        if not from_db:
            return [row._make(r) for r in raw]
        return [row._make([f(v) if f else v for f, v in zip(from_db, r, strict=True)]) for r in raw]

    def first(self, uow, params: dict):
        """The first row `run` returns, or None."""
        rows = self.run(uow, params)
        return rows[0] if rows else None


def _converter(type_, dialect):
    return type_.dialect_impl(dialect).bind_processor(dialect)


_FIND_KEY = Prepared(
    select(
        audit_t.c.key, audit_t.c.user_name, audit_t.c.command_hash, audit_t.c.ok, audit_t.c.result
    ).where(audit_t.c.key.in_([bindparam("key"), bindparam("mine")]) & text(AUDIT_KEYED))
)
KEY_COLUMN = 200
"""Characters of the audit row's key column."""


def user_key(key: str, user: str) -> str:
    """The form a key takes in the audit row when another user recorded the same key first:
    qualified by the user (the separator is refused in keys people give), hashed when that would
    not fit the column."""
    mine = f"{user}\x1f{key}"
    if len(mine) > KEY_COLUMN:
        mine = f"{user}\x1f#{hashlib.sha256(key.encode('utf-8', 'surrogatepass')).hexdigest()}"
    return mine


_AUDIT = insert(audit_t)
_RECORD_COLUMNS = ("at", "user_name", "intent", "key", "detail", "command_hash", "ok", "result")
_RECORD = Prepared(
    lambda insert: insert(audit_t).on_conflict_do_nothing().returning(audit_t.c.id),
    _RECORD_COLUMNS,
)
_OUTBOX = insert(outbox_t)
_OUTBOX_ONE = Prepared(_OUTBOX, ("at", "event", "payload"))


class UnitOfWork:
    """A transaction on one connection, plus the events it collects for the outbox."""

    def __init__(self, engine: Engine, clock: Clock, *, write: bool = True):
        self.engine = engine
        self.clock = clock
        self.write = write
        self.conn: Connection | None = None
        self.events: list[Event] = []
        # Balances as this unit of work left them (item id, warehouse id) -> BalanceRow.
        self.balances: dict = {}
        # The stored settings, once `domain.settings` has read them in this transaction.
        self.settings: dict[str, str] | None = None
        self._tx = None

    def __enter__(self) -> UnitOfWork:
        for attempt in range(LOCK_RETRIES + 1):
            try:
                with self.translated():
                    self._begin()
                break
            except Busy:
                if attempt == LOCK_RETRIES:
                    raise
                delay = LOCK_BACKOFF * 2**attempt * (1 + random.random())
                log.info("database locked; retry %d in %.2f s", attempt + 1, delay)
                time.sleep(delay)
        self.now: datetime = self.clock.now()
        return self

    def _begin(self) -> None:
        conn = self.engine.connect()
        try:
            conn.info[WRITE_FLAG] = self.write
            self._tx = conn.begin()
        except BaseException:
            conn.close()
            raise
        self.conn = conn

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if self._tx is not None and self._tx.is_active:
                self._tx.rollback()
        except SQLAlchemyError:
            if exc_type is None:
                with self.translated():
                    raise
            # The error already leaving the block says more than a failed rollback.
            log.debug("rollback failed after %s", exc_type.__name__, exc_info=True)
        finally:
            self.conn.close()
            self.conn = None
            self._tx = None

    @contextmanager
    def translated(self) -> Iterator[None]:
        """Re-raise a database error as the product's error (`Busy`, `DatabaseUnavailable`);
        others pass unchanged."""
        try:
            yield
        except SQLAlchemyError as exc:
            ours = db_error(exc, self.engine)
            if ours is None:
                raise
            raise ours from exc

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def execute(self, stmt, params=None):
        """Run a statement in this transaction."""
        # `translated()` written out: this runs for every statement.
        try:
            if params is None:
                return self.conn.execute(stmt)
            return self.conn.execute(stmt, params)
        except SQLAlchemyError as exc:
            ours = db_error(exc, self.engine)
            if ours is None:
                raise
            raise ours from exc

    def emit(self, event: Event) -> None:
        """Record a domain event; it reaches the outbox when the unit commits."""
        if not isinstance(event, Event):
            raise TypeError(f"not a domain event: {event!r}")
        self.events.append(event)

    def commit(self) -> None:
        """Write the collected events to the outbox and commit everything at once."""
        with self.translated():
            self._commit()

    def _commit(self) -> None:
        if self.events:
            rows = [
                {
                    "at": self.now,
                    "event": e.name,
                    "payload": json.dumps(e.data(), ensure_ascii=False),
                }
                for e in self.events
            ]
            if len(rows) == 1:
                _OUTBOX_ONE.run(self, rows[0])
            else:
                self.conn.execute(_OUTBOX, rows)
            self.events.clear()
        self._tx.commit()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Run a block whose writes are always undone (a dry run): a SAVEPOINT rolled back at
        the end, with the events and cached balances the block added dropped too; the rest of
        the transaction goes on."""
        events, balances = list(self.events), dict(self.balances)
        stored = dict(self.settings) if self.settings is not None else None
        with self.translated():
            nested = self.conn.begin_nested()
        try:
            yield
        finally:
            self.events[:], self.balances, self.settings = events, balances, stored
            if nested.is_active:
                with self.translated():
                    nested.rollback()

    def rollback(self) -> None:
        self.events.clear()
        self.balances.clear()
        self.settings = None
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()

    # -- idempotency and audit --------------------------------------------------------------

    def find_key(self, key: str, user: str) -> tuple:
        """`user`'s idempotency record of a key (`command_hash`, `ok`, `result`), or None, and the
        form the key is recorded in for `user`. Keys belong to the user who sent them: a key
        is recorded as given, unless another user recorded it first; then it is recorded
        qualified by the user (`user_key`), so another user's record is never returned."""
        mine = user_key(key, user)
        rows = _FIND_KEY.run(self, {"key": key, "mine": mine})
        own = next((r for r in rows if r.user_name == user), None)
        if own is not None:
            return own, own.key
        taken = any(r.key == key for r in rows)
        return None, mine if taken else key

    def record(
        self,
        user: str,
        intent: str,
        key: str,
        detail: dict,
        command_hash: str,
        ok: bool,
        result: str,
    ) -> bool:
        """Add the audit row of a keyed command, which is also the key's idempotency record
        (its fingerprint and first result); False when another transaction recorded the key
        first (on PostgreSQL the insert waits for that transaction, then does nothing)."""
        rows = _RECORD.run(
            self,
            {
                "at": self.now,
                "user_name": user,
                "intent": intent,
                "key": key,
                "detail": json.dumps(detail, ensure_ascii=False, default=str),
                "command_hash": command_hash,
                "ok": ok,
                "result": result,
            },
        )
        # RETURNING, not rowcount: psycopg reports -1 for this insert.
        return bool(rows)

    def audit(self, user: str, intent: str, key: str, detail: dict) -> None:
        """Add a row to the audit trail (a keyed command's row is written by `record`)."""
        self.execute(
            _AUDIT,
            {
                "at": self.now,
                "user_name": user,
                "intent": intent,
                "key": key,
                "detail": json.dumps(detail, ensure_ascii=False, default=str),
            },
        )


UowFactory = Callable[..., UnitOfWork]

_LOCKED = (
    "database is locked",
    "database table is locked",
    "deadlock detected",
    "could not serialize access",
)
_UNUSABLE = (
    "unable to open database",
    "disk i/o error",
    "file is not a database",
    "database disk image is malformed",
    "database or disk is full",
)
_NO_SCHEMA = ("no such table", "no such column", "undefinedtable", "undefinedcolumn")


def db_error(exc: SQLAlchemyError, engine: Engine) -> JxcError | None:
    """The product's error for a database error, or None when it is not about the database
    being there (a constraint, a bug): those stay as they are."""
    where = unquote(engine.url.render_as_string(hide_password=True)).replace("+psycopg", "")
    text = f"{type(getattr(exc, 'orig', None)).__name__} {exc}".lower()
    if any(s in text for s in _LOCKED):
        return Busy(
            "the database is busy with other writers; nothing changed, try again",
            zh="数据库正忙（其他写入正在进行）；未做任何更改，请重试",
        )
    if "readonly database" in text:
        return DatabaseUnavailable(
            f"the database {where} is read-only; nothing changed",
            zh=f"数据库 {where} 只读；未做任何更改",
        )
    if any(s in text for s in _UNUSABLE):
        return DatabaseUnavailable(
            f"cannot open the database {where}; nothing changed",
            zh=f"无法打开数据库 {where}；未做任何更改",
        )
    if any(s in text for s in _NO_SCHEMA):
        return DatabaseUnavailable(
            f"the database {where} has no JXC tables or an older schema: run `jxc init`",
            zh=f"数据库 {where} 尚未初始化或版本较旧：请运行 `jxc init`",
        )
    lost = isinstance(exc, DBAPIError) and exc.connection_invalidated
    if lost or (engine.dialect.name != "sqlite" and type(exc).__name__ == "OperationalError"):
        return DatabaseUnavailable(
            f"cannot reach the database {where}; nothing changed",
            zh=f"无法连接数据库 {where}；未做任何更改",
        )
    return None
