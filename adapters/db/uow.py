"""The SQLAlchemy unit of work: one database transaction per command on one connection.

The bootstrap hands in an SQLAlchemy engine; this module never creates one. A write unit asks the
engine for an exclusive transaction (`BEGIN IMMEDIATE` on SQLite, set up by the engine's
listeners); a read unit takes a plain one. Leaving the `with` block without `commit()` rolls back.

Database errors are translated here (`adapters.db.errors`): a SQLite database locked by other
writers is retried with backoff when the transaction begins (nothing has happened yet), then
refused as `Busy`; a database that cannot be opened, reached or written is
`DatabaseUnavailable`. Anything else stays what it is (a bug).
"""

from __future__ import annotations

import importlib
import json
import logging
import random
from collections import namedtuple
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Connection, Engine, Table, insert
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.sql import ClauseElement

from adapters.db.errors import db_error
from domain.clock import Clock
from domain.errors import Busy
from domain.messages.events import Event
from domain.model import Outbox
from domain.uow import Prepared, UnitOfWork

log = logging.getLogger(__name__)

WRITE_FLAG = "jxc_write"
LOCK_RETRIES = 4
"""How often a transaction that finds the SQLite database locked is begun again."""
LOCK_BACKOFF = 0.05
"""Seconds before the first retry; doubled (with jitter) before each next one."""

outbox_t = Outbox.__table__
_OUTBOX = insert(outbox_t)
_OUTBOX_ONE = Prepared(_OUTBOX, ("at", "event", "payload"))

_PLANS: dict[str, dict[Prepared, list]] = {}
"""Each database's compiled plans of prepared statements (by dialect name)."""
_IGNORING: dict[tuple[str, Table], object] = {}


class SqlUnitOfWork(UnitOfWork):
    """A transaction on one connection of an SQLAlchemy engine."""

    def __init__(self, engine: Engine, clock: Clock, *, write: bool = True):
        self.engine = engine
        self.clock = clock
        self.write = write
        self.conn: Connection | None = None
        self.events: list[Event] = []
        self.balances: dict = {}
        self.settings: dict[str, str] | None = None
        self._tx = None
        self.dialect = engine.dialect.name
        self._plans = _PLANS.setdefault(self.dialect, {})

    def __enter__(self) -> SqlUnitOfWork:
        try:
            with self.translated():
                self._begin()
        except Busy as busy:
            self._begin_retrying(busy)
        self.now: datetime = self.clock.now()
        return self

    def _begin_retrying(self, busy: Busy | None) -> None:
        """Begin again while the database stays locked, with backoff, then give up (`Busy`).
        Tenacity is imported here, on the first lock, not on every start-up."""
        from tenacity import Retrying, before_sleep_log, retry_if_exception_type, stop_after_attempt

        for attempt in Retrying(
            stop=stop_after_attempt(LOCK_RETRIES + 1),
            wait=_lock_backoff,
            retry=retry_if_exception_type(Busy),
            before_sleep=before_sleep_log(log, logging.INFO),
            reraise=True,
        ):
            with attempt:
                if busy is not None:  # the first attempt, made before tenacity was needed
                    first, busy = busy, None
                    raise first
                with self.translated():
                    self._begin()

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

    def run(self, prepared: Prepared, params: dict) -> list:
        """Run a prepared statement through the driver's own cursor. Each parameter is
        converted by its column's type exactly as SQLAlchemy converts it, and returned rows are
        converted back (as named tuples). A driver error is wrapped as SQLAlchemy wraps it,
        then translated like any other."""
        plan = self._plans.get(prepared) or self._plan(prepared)
        sql, positional, to_db, row, from_db, _ = plan
        if positional:
            args = [(f(params[n]) if f else params[n]) if given else c for n, f, given, c in to_db]
        else:
            args = {
                n: (f(params[n]) if f else params[n]) if given else c for n, f, given, c in to_db
            }
        dialect = self.engine.dialect
        error = dialect.loaded_dbapi.Error
        cursor = self.conn.connection.driver_connection.cursor()
        try:
            cursor.execute(sql, args)
            raw = cursor.fetchall() if row is not None else ()
            if row is not None and from_db is None:
                from_db = _from_db(dialect, plan, cursor.description)
        except error as exc:
            wrapped = DBAPIError.instance(
                sql, args, exc, error, hide_parameters=self.engine.hide_parameters, dialect=dialect
            )
            raise (db_error(wrapped, self.engine) or wrapped) from exc
        finally:
            cursor.close()
        if not from_db:
            return [row._make(r) for r in raw]
        return [row._make([f(v) if f else v for f, v in zip(from_db, r, strict=True)]) for r in raw]

    def _plan(self, prepared: Prepared) -> list:
        dialect = self.engine.dialect
        stmt = prepared.stmt
        if not isinstance(stmt, ClauseElement):
            stmt = stmt(importlib.import_module(f"sqlalchemy.dialects.{dialect.name}").insert)
        compiled = stmt.compile(dialect=dialect, column_keys=prepared.keys)
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
        self._plans[prepared] = plan
        return plan

    def insert_ignore(self, table: Table):
        """INSERT … ON CONFLICT DO NOTHING into `table`, as this database writes it."""
        stmt = _IGNORING.get((self.dialect, table))
        if stmt is None:
            module = importlib.import_module(f"sqlalchemy.dialects.{self.dialect}")
            stmt = _IGNORING[self.dialect, table] = module.insert(table).on_conflict_do_nothing()
        return stmt

    def to_db(self, type_) -> Callable:
        """The function turning a value into what the driver is given for a column of this
        type (as a statement through SQLAlchemy would)."""
        return _converter(type_, self.engine.dialect) or (lambda v: v)

    def insert_stored(self, table: Table, keys: Sequence[str], rows: list[tuple]) -> None:
        """Insert many rows already in the driver's form, in one `executemany`."""
        sql = insert(table).compile(dialect=self.engine.dialect, column_keys=list(keys))
        if not sql.positional:
            rows = [dict(zip(keys, r, strict=True)) for r in rows]
        with self.translated():
            self.conn.exec_driver_sql(sql.string, rows)

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
                self.run(_OUTBOX_ONE, rows[0])
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


def _lock_backoff(state) -> float:
    """Seconds before the next begin: `LOCK_BACKOFF` doubled after each attempt, with jitter."""
    return LOCK_BACKOFF * 2 ** (state.attempt_number - 1) * (1 + random.random())


def _converter(type_, dialect):
    return type_.dialect_impl(dialect).bind_processor(dialect)


def _from_db(dialect, plan: list, description) -> tuple:
    # Result conversions need the driver's type codes (PostgreSQL's numerics do).
    convert = tuple(
        c.type.dialect_impl(dialect).result_processor(dialect, d[1])
        for c, d in zip(plan[5], description, strict=True)
    )
    plan[4] = convert if any(convert) else ()  # (): the values come as they are
    return plan[4]
