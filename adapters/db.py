"""The database engine and its migrations.

SQLite (the embedded default) runs in WAL mode with `synchronous=NORMAL`, a busy timeout, and
write transactions opened with `BEGIN IMMEDIATE`, so concurrent writers queue instead of failing
half-way. PostgreSQL is used as is (row locks in the ledger).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event

from domain.uow import WRITE_FLAG

MIGRATIONS = Path(__file__).parent / "migrations"

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)


def make_engine(url: str) -> Engine:
    """Create the engine for a database URL, with the product's SQLite pragmas."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's begin event, not pysqlite, open transactions.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cur.execute(pragma)
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get(WRITE_FLAG, True) else "BEGIN")

    return engine


def alembic_config(engine: Engine):
    """Alembic's configuration for our migrations on `engine` (imported late: it is slow)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
