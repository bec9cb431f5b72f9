"""The one translation of database errors into the product's errors, by the driver's exception
type and error code (SQLite's result code, PostgreSQL's SQLSTATE), never by message text.

A database busy with other writers is `Busy`; one that cannot be opened, reached or written,
or that has no JXC tables or an older schema, is `DatabaseUnavailable`. Both mean nothing
changed. Anything else (a constraint, a bug) stays what it is: `db_error` answers None.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote, unquote

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from domain.errors import Busy, DatabaseUnavailable, JxcError

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_ERROR = 1
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_NOTADB = 26
_SQLITE_UNUSABLE = {SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB}

# PostgreSQL's SQLSTATEs (and classes: the first two characters).
_PG_BUSY = {"40P01", "40001", "55P03"}  # deadlock, serialization failure, lock not available
_PG_READ_ONLY = {"25006"}
_PG_NO_SCHEMA = {"42P01", "42703"}  # undefined table, undefined column
_PG_UNREACHABLE = {"08", "53", "57", "3D", "28"}  # connection, resources, shutdown, no db, auth


def _busy() -> Busy:
    return Busy(
        "the database is busy with other writers; nothing changed, try again",
        zh="数据库正忙（其他写入正在进行）；未做任何更改，请重试",
    )


def db_error(exc: SQLAlchemyError, engine: Engine) -> JxcError | None:
    """The product's error for a database error, or None when it is not about the database
    being there (a constraint, a bug): those stay as they are."""
    where = unquote(engine.url.render_as_string(hide_password=True)).replace("+psycopg", "")
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        kind = code & 0xFF if code is not None else None
        if kind in (SQLITE_BUSY, SQLITE_LOCKED):
            return _busy()
        if kind == SQLITE_READONLY:
            return _read_only(where)
        if kind in _SQLITE_UNUSABLE:
            return _cannot_open(where)
        if (
            kind == SQLITE_ERROR
            and isinstance(orig, sqlite3.OperationalError)
            and _sqlite_schema_behind(engine)
        ):
            return _no_schema(where)
    else:
        state = getattr(orig, "sqlstate", None) or ""
        if state in _PG_BUSY:
            return _busy()
        if state in _PG_READ_ONLY:
            return _read_only(where)
        if state in _PG_NO_SCHEMA:
            return _no_schema(where)
        if state[:2] in _PG_UNREACHABLE:
            return _cannot_reach(where)
    lost = isinstance(exc, DBAPIError) and exc.connection_invalidated
    if lost or (engine.dialect.name != "sqlite" and type(exc).__name__ == "OperationalError"):
        return _cannot_reach(where)
    return None


def _read_only(where: str) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"the database {where} is read-only; nothing changed",
        zh=f"数据库 {where} 只读；未做任何更改",
    )


def _cannot_open(where: str) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"cannot open the database {where}; nothing changed",
        zh=f"无法打开数据库 {where}；未做任何更改",
    )


def _no_schema(where: str) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"the database {where} has no JXC tables or an older schema: run `jxc init`",
        zh=f"数据库 {where} 尚未初始化或版本较旧：请运行 `jxc init`",
    )


def _cannot_reach(where: str) -> DatabaseUnavailable:
    return DatabaseUnavailable(
        f"cannot reach the database {where}; nothing changed",
        zh=f"无法连接数据库 {where}；未做任何更改",
    )


def _sqlite_schema_behind(engine: Engine) -> bool:
    """Whether a SQLite database file lacks a table or column of the schema (SQLite reports a
    missing table with the same code as a syntax error: the file itself is asked, read-only)."""
    from domain.model import metadata

    url = engine.url
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or url.query.get("uri"):
        return False
    uri = f"file:{quote(str(Path(database).absolute()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error:
        return False
    try:
        for table in metadata.tables.values():
            have = {row[1] for row in conn.execute(f'PRAGMA table_info("{table.name}")')}
            if not have or any(c.name not in have for c in table.columns):
                return True
        return False
    except sqlite3.Error:
        return False
    finally:
        conn.close()
