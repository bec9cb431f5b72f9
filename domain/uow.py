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

import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from urllib.parse import unquote

from sqlalchemy import Connection, Engine, bindparam, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

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
_FIND_KEY = select(audit_t.c.command_hash, audit_t.c.ok, audit_t.c.result).where(
    (audit_t.c.key == bindparam("key")) & text(AUDIT_KEYED)
)
_AUDIT = insert(audit_t)
_RECORD = {
    name: dialect.insert(audit_t).on_conflict_do_nothing().returning(audit_t.c.id)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}
_OUTBOX = insert(outbox_t)


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
            self.conn.execute(
                _OUTBOX,
                [
                    {
                        "at": self.now,
                        "event": e.name,
                        "payload": json.dumps(e.data(), ensure_ascii=False),
                    }
                    for e in self.events
                ],
            )
            self.events.clear()
        self._tx.commit()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Run a block whose writes are always undone (a dry run): a SAVEPOINT rolled back at
        the end, with the events and cached balances the block added dropped too; the rest of
        the transaction goes on."""
        events, balances = list(self.events), dict(self.balances)
        with self.translated():
            nested = self.conn.begin_nested()
        try:
            yield
        finally:
            self.events[:], self.balances = events, balances
            if nested.is_active:
                with self.translated():
                    nested.rollback()

    def rollback(self) -> None:
        self.events.clear()
        self.balances.clear()
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()

    # -- idempotency and audit --------------------------------------------------------------

    def find_key(self, key: str):
        """The idempotency record of a key (`command_hash`, `ok`, `result`), or None."""
        return self.execute(_FIND_KEY, {"key": key}).first()

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
        res = self.execute(
            _RECORD[self.dialect],
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
        return res.first() is not None

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
