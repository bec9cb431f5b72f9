"""The database engine and its migrations.

SQLite (the embedded default) runs in WAL mode with `synchronous=NORMAL`, a busy timeout, and
write transactions opened with `BEGIN IMMEDIATE`, so concurrent writers queue instead of failing
half-way. A writer waits `BUSY_TIMEOUT` seconds for the lock (`?timeout=N` in the URL changes it);
the unit of work then begins again a few times with backoff before it answers `busy`.
PostgreSQL is used as is (row locks in the ledger); an unreachable server fails within
`CONNECT_TIMEOUT` seconds.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from domain.uow import WRITE_FLAG, db_error

MIGRATIONS = Path(__file__).parent / "migrations"

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
            connect_args={"connect_timeout": CONNECT_TIMEOUT},
        )
    timeout = float(make_url(url).query.get("timeout", BUSY_TIMEOUT))
    engine = create_engine(url, connect_args={"timeout": timeout, "check_same_thread": False})
    pragmas = (*SQLITE_PRAGMAS, f"PRAGMA busy_timeout={int(timeout * 1000)}")

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


def alembic_config(engine: Engine):
    """Alembic's configuration for our migrations on `engine` (imported late: it is slow)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (`DatabaseUnavailable` when the database cannot
    be opened, reached or written)."""
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), "head")
    except SQLAlchemyError as exc:
        ours = db_error(exc, engine)
        if ours is None:
            raise
        raise ours from exc
