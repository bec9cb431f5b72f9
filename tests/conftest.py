"""Shared fixtures: a migrated database per test (SQLite file by default; PostgreSQL when
`JXC_TEST_DATABASE_URL` is set), the bootstrapped application on a fixed clock, and a runner for
the real `jxc` CLI as a subprocess."""

from __future__ import annotations

import csv
import itertools
import json
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from adapters.bootstrap import bootstrap
from adapters.config import Settings
from domain import imports
from domain.clock import FixedClock

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "adapters" / "demo_data"
NOW = "2026-06-15T10:00:00+08:00"


_PG_SEQ = itertools.count()


def _pg_admin(url: str):
    return create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )


def _pg_create(url: str, template: str | None = None) -> str:
    """A new PostgreSQL database beside the one in `url` (empty, or a copy of `template`), named
    per test worker so parallel workers never share one; returns its URL."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"jxc_{worker}_{os.getpid()}_{next(_PG_SEQ)}"
    engine = _pg_admin(url)
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(
            text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        )
    engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _pg_drop(url: str) -> None:
    name = make_url(url).database
    engine = _pg_admin(os.environ["JXC_TEST_DATABASE_URL"])
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


_LEFT_FOR_THE_END: list[str] = []


def _fresh_pg(url: str) -> str:
    """An empty database of its own on the server of `url` (for a module's fixtures; dropped when
    the test process ends)."""
    made = _pg_create(url)
    _LEFT_FOR_THE_END.append(made)
    return made


@pytest.fixture(scope="session", autouse=True)
def _drop_module_databases():
    yield
    for url in _LEFT_FOR_THE_END:
        _pg_drop(url)


def _seed_master(url: str) -> None:
    """Migrate `url` and import the demo master data (no history, no stock)."""
    application = bootstrap(Settings(database_url=url), migrate_schema=True)
    with application.uow() as uow:
        for kind in ("warehouses", "items", "partners", "users"):
            with (DEMO / f"{kind}.csv").open(newline="", encoding="utf-8") as f:
                rows = list(enumerate(csv.DictReader(f), start=2))
            imports.import_rows(uow, kind, rows, today=date(2026, 6, 15))
        uow.commit()
    application.engine.dispose()


@pytest.fixture(scope="session")
def _master_template(tmp_path_factory):
    """The migrated database with the demo master data, made once per test process: each test
    that asks for `master_db` gets a copy (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on
    PostgreSQL) instead of running every migration and import again."""
    pg = os.environ.get("JXC_TEST_DATABASE_URL")
    if pg:
        url = _pg_create(pg)
        _seed_master(url)
        yield make_url(url).database
        _pg_drop(url)
        return
    path = tmp_path_factory.mktemp("template") / "master.db"
    _seed_master(f"sqlite:///{path}")
    yield path


@pytest.fixture
def db_url(request, tmp_path):
    """The test's own database: empty, or (when the test also asks for `master_db`) a copy of
    the master template."""
    master = "master_db" in request.fixturenames
    template = request.getfixturevalue("_master_template") if master else None
    pg = os.environ.get("JXC_TEST_DATABASE_URL")
    if pg:
        url = _pg_create(pg, template)
        yield url
        _pg_drop(url)
        return
    path = tmp_path / "jxc.db"
    if master:
        shutil.copyfile(template, path)
    yield f"sqlite:///{path}"


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
    return db_url


@pytest.fixture
def app(master_db, clock):
    application = bootstrap(Settings(database_url=master_db), clock=clock)
    yield application
    application.engine.dispose()


@pytest.fixture
def users(app):
    return {name: app.bus.user(name) for name in ("admin", "mary", "wang", "li", "zhao", "tom")}
