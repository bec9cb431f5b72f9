"""Shared fixtures: a migrated database per test (SQLite file by default; PostgreSQL when
`JXC_TEST_DATABASE_URL` is set), the bootstrapped application on a fixed clock, and a runner for
the real `jxc` CLI as a subprocess."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from adapters.bootstrap import bootstrap
from adapters.config import Settings
from domain import imports
from domain.clock import FixedClock

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "adapters" / "demo_data"
NOW = "2026-06-15T10:00:00+08:00"


def _fresh_pg(url: str) -> str:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def db_url(tmp_path) -> str:
    pg = os.environ.get("JXC_TEST_DATABASE_URL")
    if pg:
        return _fresh_pg(pg)
    return f"sqlite:///{tmp_path / 'jxc.db'}"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.fromisoformat(NOW), "Asia/Shanghai")


def cli_env(db_url: str) -> dict:
    env = dict(os.environ)
    env.update({"JXC_DATABASE_URL": db_url, "JXC_NOW": NOW, "PYTHONIOENCODING": "utf-8"})
    return env


def jxc(
    db_url: str, *args: str, input: str | None = None, check: bool = False, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run the real CLI in a subprocess against `db_url`."""
    proc = subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        input=input,
        capture_output=True,
        text=True,
        env=cli_env(db_url),
        cwd=ROOT,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"jxc {' '.join(args)} failed: {proc.stdout}\n{proc.stderr}")
    return proc


def run_json(db_url: str, *commands: dict, user: str | None = None) -> list[dict]:
    """Feed commands to `jxc run` and return its JSON results."""
    args = ["run", *(["--user", user] if user else []), "-"]
    proc = jxc(db_url, *args, input="\n".join(json.dumps(c) for c in commands) + "\n")
    return [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]


@pytest.fixture
def master_db(db_url) -> str:
    """A database with the demo master data (no history, no stock)."""
    application = bootstrap(Settings(database_url=db_url), migrate_schema=True)
    with application.uow() as uow:
        for kind in ("warehouses", "items", "partners", "users"):
            with (DEMO / f"{kind}.csv").open(newline="", encoding="utf-8") as f:
                rows = list(enumerate(csv.DictReader(f), start=2))
            imports.import_rows(uow, kind, rows, today=date(2026, 6, 15))
        uow.commit()
    application.engine.dispose()
    return db_url


@pytest.fixture
def app(master_db, clock):
    application = bootstrap(Settings(database_url=master_db), clock=clock)
    yield application
    application.engine.dispose()


@pytest.fixture
def users(app):
    return {name: app.bus.user(name) for name in ("admin", "mary", "wang", "li", "zhao", "tom")}
