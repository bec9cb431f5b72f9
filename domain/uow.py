"""The unit of work: one database transaction per command.

The bootstrap hands in an SQLAlchemy engine; this module never creates one. A write unit asks the
engine for an exclusive transaction (`BEGIN IMMEDIATE` on SQLite, set up by the engine's
listeners); a read unit takes a plain one. Leaving the `with` block without `commit()` rolls back.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, Engine, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from domain.clock import Clock
from domain.events import Event
from domain.model import Audit, Outbox, RequestKey

WRITE_FLAG = "jxc_write"

outbox_t = Outbox.__table__
audit_t = Audit.__table__
keys_t = RequestKey.__table__
_FIND_KEY = select(keys_t).where(keys_t.c.key == bindparam("key"))
_AUDIT = insert(audit_t)
_STORE_KEY = {
    name: dialect.insert(keys_t).on_conflict_do_nothing().returning(keys_t.c.key)
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
        self.conn = self.engine.connect()
        self.conn.info[WRITE_FLAG] = self.write
        self._tx = self.conn.begin()
        self.now: datetime = self.clock.now()
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._tx is not None and self._tx.is_active:
                self._tx.rollback()
        finally:
            self.conn.close()
            self.conn = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def execute(self, stmt, params=None):
        """Run a statement in this transaction."""
        return self.conn.execute(stmt, params) if params is not None else self.conn.execute(stmt)

    def emit(self, name: str, **data) -> None:
        """Record a domain event; it reaches the outbox when the unit commits."""
        self.events.append(Event(name, data))

    def commit(self) -> None:
        """Write the collected events to the outbox and commit everything at once."""
        if self.events:
            self.conn.execute(
                _OUTBOX,
                [
                    {
                        "at": self.now,
                        "event": e.name,
                        "payload": json.dumps(e.data, ensure_ascii=False),
                    }
                    for e in self.events
                ],
            )
            self.events.clear()
        self._tx.commit()

    def rollback(self) -> None:
        self.events.clear()
        self.balances.clear()
        if self._tx is not None and self._tx.is_active:
            self._tx.rollback()

    # -- idempotency and audit --------------------------------------------------------------

    def find_key(self, key: str):
        """The stored row of an idempotency key, or None."""
        return self.conn.execute(_FIND_KEY, {"key": key}).first()

    def store_key(self, key: str, command_hash: str, user: str, ok: bool, result: str) -> bool:
        """Store the key with its result; False when another transaction stored it first
        (on PostgreSQL the insert waits for that transaction, then does nothing)."""
        res = self.conn.execute(
            _STORE_KEY[self.dialect],
            {
                "key": key,
                "command_hash": command_hash,
                "ok": ok,
                "result": result,
                "at": self.now,
                "user_name": user,
            },
        )
        # RETURNING, not rowcount: psycopg reports -1 for this insert.
        return res.first() is not None

    def audit(self, user: str, intent: str, key: str, detail: dict) -> None:
        """Add a row to the audit trail."""
        self.conn.execute(
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
