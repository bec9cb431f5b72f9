"""Shared fixtures: a migrated database per test (SQLite file by default; PostgreSQL when
`JXC_TEST_DATABASE_URL` is set), the bootstrapped application on a fixed clock, and a runner for
the `jxc` CLI (in this process by default, as a real process on request), all blind to a
developer's `.env` and `JXC_*` settings."""

from __future__ import annotations

import csv
import gc
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from adapters.bootstrap import bootstrap
from adapters.config import Settings
from domain.clock import FixedClock
from domain.ledger import imports

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "adapters" / "demo_data"
NOW = "2026-06-15T10:00:00+08:00"


_PG_SEQ = itertools.count()


@pytest.fixture(scope="session", autouse=True)
def _no_developer_settings():
    """Settings built in the tests read neither a `.env` nor the developer's `JXC_*` variables
    (the test database's `JXC_TEST_DATABASE_URL` stays)."""
    saved = {
        k: os.environ.pop(k) for k in list(os.environ) if k not in _without_jxc_settings(os.environ)
    }
    env_file = Settings.model_config.get("env_file")
    Settings.model_config["env_file"] = None
    yield
    Settings.model_config["env_file"] = env_file
    os.environ.update(saved)


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


def _without_jxc_settings(env: dict) -> dict:
    """`env` without the developer's own `JXC_*` settings (the test database's stays)."""
    return {k: v for k, v in env.items() if not k.startswith("JXC_") or k.startswith("JXC_TEST_")}


def cli_env(db_url: str) -> dict:
    """The environment of a `jxc` process: the test's (the developer's `JXC_*` settings were
    removed when the session started), on `db_url` at the tests' clock. Processes run in `RUN_DIR` (no `.env` there) with the sources of this
    tree first on the path."""
    env = dict(os.environ)
    path = [str(ROOT), *filter(None, [env.get("PYTHONPATH")])]
    env.update(
        {
            "JXC_DATABASE_URL": db_url,
            "JXC_NOW": NOW,
            "PYTHONIOENCODING": "utf-8",
            "PYTHONPATH": os.pathsep.join(path),
        }
    )
    return env


# The working directory of every `jxc` process and in-process run: an empty directory, so a
# developer's `.env` in the repository never changes a result.
RUN_DIR = Path(tempfile.mkdtemp(prefix="jxc-tests-"))


def jxc(
    db_url: str,
    *args: str,
    input: str | None = None,
    check: bool = False,
    timeout: float = 120,
    process: bool = False,
    env: dict | None = None,
) -> subprocess.CompletedProcess:
    """Run the `jxc` CLI against `db_url`: in this process through its entry point (the
    default), or as a real process with `process=True` (start-up, signals, races, serve)."""
    if process:
        proc = subprocess.run(
            [sys.executable, "-m", "adapters.cli", *args],
            input=input,
            capture_output=True,
            text=True,
            env={**cli_env(db_url), **(env or {})},
            cwd=RUN_DIR,
            timeout=timeout,
        )
    else:
        proc = _in_process(db_url, list(args), input, env or {})
    if check and proc.returncode != 0:
        raise AssertionError(f"jxc {' '.join(args)} failed: {proc.stdout}\n{proc.stderr}")
    return proc


def _in_process(db_url: str, args: list[str], input: str | None, extra: dict):
    """`jxc ARGS` through `adapters.cli.main` in this process, its streams, argv, environment,
    working directory and logging restored afterwards; the engines and rules engines it built
    are closed."""
    import logging

    from click.testing import CliRunner

    import adapters.bootstrap as boot
    from adapters.cli.main import main

    env = {"JXC_DATABASE_URL": db_url, "JXC_NOW": NOW, "PYTHONIOENCODING": "utf-8", **extra}
    built: list = []
    real_bootstrap = boot.bootstrap

    def recording_bootstrap(*a, **kw):
        built.append(real_bootstrap(*a, **kw))
        return built[-1]

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    argv, cwd = sys.argv, os.getcwd()
    code = 0
    with CliRunner().isolation(input=input, env=env) as (out, err, _):
        sys.argv = ["jxc", *args]
        boot.bootstrap = recording_bootstrap
        os.chdir(RUN_DIR)
        try:
            main()
        except SystemExit as exc:
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:
                sys.stderr.write(f"{exc.code}\n")
                code = 1
        finally:
            os.chdir(cwd)
            sys.argv = argv
            boot.bootstrap = real_bootstrap
            root.handlers[:] = handlers
            root.setLevel(level)
            gc.unfreeze()
            for application in built:
                boot.close_feeds(application)
                application.engine.dispose()
            sys.stdout.flush()
            sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8", "replace").replace("\r\n", "\n")
        stderr = err.getvalue().decode("utf-8", "replace").replace("\r\n", "\n")
    return subprocess.CompletedProcess(["jxc", *args], code, stdout, stderr)


def run_json(
    db_url: str, *commands: dict, user: str | None = None, process: bool = False
) -> list[dict]:
    """Feed commands to `jxc run` and return its JSON results."""
    args = ["run", *(["--user", user] if user else []), "-"]
    body = "\n".join(json.dumps(c) for c in commands) + "\n"
    proc = jxc(db_url, *args, input=body, process=process)
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
