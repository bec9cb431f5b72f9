"""The unit of work: one database transaction per command, as the domain sees it.

This module declares what services may ask of a transaction (`UnitOfWork`) and the statements
they hand it; it opens nothing. The adapter (`adapters.db.SqlUnitOfWork`) runs them on a
connection and translates database errors, once, into the product's errors (`Busy`,
`DatabaseUnavailable`). Services get units of work only from the factory handed in
(`UowFactory`), never build one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Table, bindparam, insert, select, text

from domain.clock import Clock
from domain.messages.events import Event
from domain.model import AUDIT_KEYED, Audit

audit_t = Audit.__table__


class Prepared:
    """A fixed statement of the write path, described here and run by the unit of work on the
    driver's own cursor (`UnitOfWork.run`), compiled once per database: for the few statements
    every write command runs, where SQLAlchemy's per-execution machinery costs several times
    what the database does."""

    __slots__ = ("stmt", "keys")

    def __init__(self, stmt, keys: tuple[str, ...] | None = None):
        """`stmt`: a statement; or, for one that each database writes its own way (an upsert),
        a function of that database's `insert` that builds it. `keys`: for an INSERT, the
        columns given (the others take their defaults, which must be constants)."""
        self.stmt = stmt
        self.keys = list(keys) if keys else None

    def run(self, uow: UnitOfWork, params: dict) -> list:
        """Execute in `uow`'s transaction; the returned rows (none for a plain write)."""
        return uow.run(self, params)

    def first(self, uow: UnitOfWork, params: dict):
        """The first row `run` returns, or None."""
        rows = uow.run(self, params)
        return rows[0] if rows else None


_FIND_KEY = Prepared(
    select(
        audit_t.c.key, audit_t.c.user_name, audit_t.c.command_hash, audit_t.c.ok, audit_t.c.result
    ).where(audit_t.c.key.in_([bindparam("key"), bindparam("mine")]) & text(AUDIT_KEYED))
)
# The literal predicate lets SQLite use the partial unique index on keyed rows.
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


class UnitOfWork(Protocol):
    """A transaction, plus the events it collects for the outbox. A write unit holds the
    database's write lock (on SQLite) from its start; leaving the `with` block without
    `commit()` rolls back. Errors of the database being busy or unavailable come out as `Busy`
    or `DatabaseUnavailable`, and mean nothing changed.

    The adapter implements the transaction; the idempotency and audit records below are the
    domain's and come with it (implementations subclass this protocol)."""

    clock: Clock
    write: bool
    now: datetime
    dialect: str
    """The database's name: "sqlite" or "postgresql" (locking differs)."""
    events: list[Event]
    balances: dict
    """Balances as this unit of work left them (item id, warehouse id) -> BalanceRow."""
    settings: dict[str, str] | None
    """The stored settings, once `domain.settings` has read them in this transaction."""

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, exc_type, exc, tb) -> None: ...

    def execute(self, stmt, params=None) -> Any:
        """Run a statement in this transaction; SQLAlchemy's result."""
        ...

    def run(self, prepared: Prepared, params: dict) -> list:
        """Run a prepared statement; its rows (named tuples), none for a plain write."""
        ...

    def insert_ignore(self, table: Table):
        """INSERT … ON CONFLICT DO NOTHING into `table`, as this database writes it."""
        ...

    def to_db(self, type_) -> Callable[[Any], Any]:
        """The function turning a value into what the driver is given for a column of this
        type (as a statement through SQLAlchemy would)."""
        ...

    def insert_stored(self, table: Table, keys: Sequence[str], rows: list[tuple]) -> None:
        """Insert many rows already in the driver's form (`to_db`), in one batch."""
        ...

    def commit(self) -> None:
        """Write the collected events to the outbox and commit everything at once."""
        ...

    def rollback(self) -> None: ...

    def savepoint(self) -> AbstractContextManager[None]:
        """A block whose writes are always undone (a dry run), with the events and cached
        balances the block added dropped too; the rest of the transaction goes on."""
        ...

    def emit(self, event: Event) -> None:
        """Record a domain event; it reaches the outbox when the unit commits."""
        if not isinstance(event, Event):
            raise TypeError(f"not a domain event: {event!r}")
        self.events.append(event)

    # -- idempotency and audit --------------------------------------------------------------

    def find_key(self, key: str, user: str) -> tuple:
        """`user`'s idempotency record of a key (`command_hash`, `ok`, `result`), or None, and the
        form the key is recorded in for `user`. Keys belong to the user who sent them: a key
        is recorded as given, unless another user recorded it first; then it is recorded
        qualified by the user (`user_key`), so another user's record is never returned."""
        mine = user_key(key, user)
        rows = self.run(_FIND_KEY, {"key": key, "mine": mine})
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
        rows = self.run(
            _RECORD,
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
"""Makes a unit of work: `factory(write=True)`."""

__all__ = ["KEY_COLUMN", "Prepared", "UnitOfWork", "UowFactory", "user_key"]
