"""The database at the edge: the engine and its migrations (here), the unit of work that runs
the domain's statements on it (`adapters.db.uow`), and the one translation of database errors
into the product's errors (`adapters.db.errors`).

SQLite (the embedded default) runs in WAL mode with `synchronous=NORMAL`, a busy timeout, and
write transactions opened with `BEGIN IMMEDIATE`, so concurrent writers queue instead of failing
half-way. A writer waits `BUSY_TIMEOUT` seconds for the lock (`?timeout=N` in the URL changes it);
the unit of work then begins again a few times with backoff before it answers `busy`.
PostgreSQL is used as is (row locks in the ledger); an unreachable server fails within
`CONNECT_TIMEOUT` seconds.

A SQLite database file is made only by `migrate` (`jxc init`): every other open finds it or says
there is none. The file's identity (device and inode) is recorded when it is first opened, and
each unit of work first checks it (`check_database_file`): a file removed or replaced under a
running process is `DatabaseUnavailable`, never writes into the void. Failed statements are
logged without their parameters (`hide_parameters`).
"""

from __future__ import annotations

import os
import sqlite3
import weakref
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from adapters.db.errors import db_error
from adapters.db.uow import WRITE_FLAG, SqlUnitOfWork
from domain.errors import DatabaseUnavailable

__all__ = [
    "SqlUnitOfWork",
    "check_database_file",
    "db_error",
    "make_engine",
    "migrate",
    "sqlite_file",
]

MIGRATIONS = Path(__file__).parent.parent / "migrations"

BUSY_TIMEOUT = 6.0
CONNECT_TIMEOUT = 10

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    # 16 MB of page cache (the default is 2 MB): bulk imports into indexed tables of a few
    # hundred thousand rows otherwise read index pages back from the file over and over.
    "PRAGMA cache_size=-16000",
)


def make_engine(url: str) -> Engine:
    """Create the engine for a database URL, with the product's SQLite pragmas."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if not url.startswith("sqlite"):
        return create_engine(
            url,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=5,
            hide_parameters=True,
            connect_args={"connect_timeout": CONNECT_TIMEOUT},
        )
    timeout = float(make_url(url).query.get("timeout", BUSY_TIMEOUT))
    engine = create_engine(
        url,
        hide_parameters=True,
        connect_args={"timeout": timeout, "check_same_thread": False},
    )
    pragmas = (*SQLITE_PRAGMAS, f"PRAGMA busy_timeout={int(timeout * 1000)}")
    path = sqlite_file(engine)
    if path is not None:
        _watch_file(engine, path)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's begin event, not pysqlite, open transactions.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in pragmas:
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Straight to the driver (this opens every transaction, and SQLAlchemy's statement
        # machinery costs more than the BEGIN); a failure is wrapped as SQLAlchemy wraps it,
        # so a locked database is still an OperationalError the unit of work retries.
        sql = "BEGIN IMMEDIATE" if conn.info.get(WRITE_FLAG, True) else "BEGIN"
        try:
            conn.connection.driver_connection.execute(sql)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(sql, (), exc, sqlite3.Error, dialect=engine.dialect) from exc

    return engine


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite database given by path (None for PostgreSQL, memory, or a `file:`
    URI, which SQLite opens as it says)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or url.query.get("uri"):
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


_IDENTITY: weakref.WeakKeyDictionary[Engine, tuple[int, int]] = weakref.WeakKeyDictionary()
"""Each SQLite engine's database file identity (st_dev, st_ino), recorded at its first open."""


def _watch_file(engine: Engine, path: Path) -> None:
    @event.listens_for(engine, "do_connect")
    def _open_existing(_dialect, _record, _cargs, cparams):
        # Read-write, never create: a read of a database that is not there makes nothing.
        uri = f"file:{quote(str(path.absolute()))}?mode=rw"
        try:
            conn = sqlite3.connect(uri, uri=True, **cparams)
        except sqlite3.OperationalError:
            if not path.exists():
                check_database_file(engine)  # removed under this process: says so
                raise _no_database(engine, path) from None
            raise
        if engine not in _IDENTITY:
            st = os.stat(path)
            _IDENTITY[engine] = (st.st_dev, st.st_ino)
        return conn

    @event.listens_for(engine, "engine_connect")
    def _each_unit_of_work(_conn):
        check_database_file(engine)


def check_database_file(engine: Engine) -> None:
    """Refuse (`DatabaseUnavailable`) when the SQLite database file this engine opened was
    removed or replaced since (another file at the same path is another database). Cheap (one
    stat): called as each unit of work begins; a long-running process (`jxc serve`) can call it
    on its own, and should stop on the error. Nothing to check for PostgreSQL."""
    recorded = _IDENTITY.get(engine)
    path = sqlite_file(engine)
    if recorded is None or path is None:
        return
    try:
        st = os.stat(path)
    except FileNotFoundError:
        what = "was removed"
    else:
        if (st.st_dev, st.st_ino) == recorded:
            return
        what = "was replaced by another file"
    engine.dispose()  # the open connections belong to the old file
    raise DatabaseUnavailable(
        f"the database file {path} {what} while JXC was running; nothing changed. Restart "
        "with the database in place (`jxc init` makes a new one)",
        zh=f"运行期间数据库文件 {path} 已被删除或替换；未做任何更改。请在数据库就位后重新启动"
        "（`jxc init` 可新建）",
    )


def _no_database(engine: Engine, path: Path) -> DatabaseUnavailable:
    where = engine.url.render_as_string(hide_password=True)
    return DatabaseUnavailable(
        f"there is no database at {path} ({where}); make one with `jxc init`",
        zh=f"{path} 没有数据库；请用 `jxc init` 创建",
    )


def alembic_config(engine: Engine, timezone: str = "Asia/Shanghai"):
    """Alembic's configuration for our migrations on `engine` (imported late: it is slow);
    `timezone` dates the documents a migration makes of earlier data."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    cfg.attributes["timezone"] = timezone
    return cfg


def migrate(engine: Engine, timezone: str = "Asia/Shanghai") -> None:
    """Bring the schema to the newest migration (`DatabaseUnavailable` when the database cannot
    be opened, reached or written); `timezone` (`JXC_TIMEZONE`) gives the local dates of the
    documents a migration makes of earlier data (invoices of past shipments)."""
    from alembic import command

    path = sqlite_file(engine)
    if path is not None and not path.exists():
        # The one place a SQLite database file is made.
        if not path.parent.is_dir():
            raise DatabaseUnavailable(
                f"cannot make the database {path}: the directory {path.parent} does not exist",
                zh=f"无法创建数据库 {path}：目录 {path.parent} 不存在",
            )
        try:
            sqlite3.connect(path).close()
        except sqlite3.Error as exc:
            raise DatabaseUnavailable(
                f"cannot make the database {path}: {exc}", zh=f"无法创建数据库 {path}：{exc}"
            ) from exc
    try:
        command.upgrade(alembic_config(engine, timezone), "head")
    except SQLAlchemyError as exc:
        ours = db_error(exc, engine)
        if ours is None:
            raise
        raise ours from exc
