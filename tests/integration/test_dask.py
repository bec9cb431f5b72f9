"""Scale-out: `jxc forecast --all` on a real Dask cluster (a scheduler and two workers started as
processes on 127.0.0.1) stores the same forecasts as the same run on this machine."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.db import make_engine
from domain.model import Item, StoredForecast
from tests.conftest import DEMO, ROOT, jxc

pytestmark = pytest.mark.slow

DASK = Path(ROOT) / ".venv" / "bin" / "dask"
ITEMS = 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _catalogue(tmp: Path) -> tuple[Path, Path]:
    """50 items, and 50 days of sales each (a weekly pattern that differs per item)."""
    items, history = tmp / "items.csv", tmp / "sales_history.csv"
    head = "sku,name,name_zh,uom,category,unit_price,unit_cost,lead_time_days,moq,aliases\n"
    items.write_text(
        head
        + "".join(f"D-{n:02d},dask item {n},,pcs,test,2.00,1.00,7,10,\n" for n in range(ITEMS)),
        encoding="utf-8",
    )
    start = date(2026, 4, 25)
    rows = [
        f"{start + timedelta(days=d)},D-{n:02d},{1 + (n % 7) + (d * (n + 3)) % 11},ACME,2.00\n"
        for n in range(ITEMS)
        for d in range(50)
    ]
    history.write_text("date,sku,qty,customer,unit_price\n" + "".join(rows), encoding="utf-8")
    return items, history


def _database(url: str, items: Path, history: Path) -> None:
    jxc(url, "init", check=True)
    for kind in ("warehouses", "partners", "users"):
        jxc(url, "import", kind, str(DEMO / f"{kind}.csv"), check=True)
    jxc(url, "import", "items", str(items), check=True)
    jxc(url, "import", "sales_history", str(history), check=True)


def _stored(url: str) -> dict[str, tuple]:
    engine = make_engine(url)
    fc, item = StoredForecast.__table__, Item.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            select(item.c.sku, fc.c.model, fc.c.days, fc.c.points).join(
                item, item.c.id == fc.c.item_id
            )
        ).all()
    engine.dispose()
    return {sku: (model, days, json.loads(points)) for sku, model, days, points in rows}


@pytest.fixture
def cluster(tmp_path):
    """`dask scheduler` and two `dask worker`s on 127.0.0.1; always stopped afterwards."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    logs = tmp_path / "dask"
    logs.mkdir()
    procs: list[subprocess.Popen] = []

    def start(name: str, *args: str) -> None:
        out = (logs / f"{name}.log").open("w")
        procs.append(
            subprocess.Popen([str(DASK), *args], stdout=out, stderr=out, env=env, cwd=ROOT)
        )

    try:
        start("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port),
              "--dashboard-address", ":0", "--no-show")  # fmt: skip
        for n in range(2):
            start(f"worker{n}", "worker", address, "--host", "127.0.0.1", "--nworkers", "1",
                  "--nthreads", "1", "--no-nanny", "--no-dashboard", "--name", f"w{n}")  # fmt: skip
        from distributed import Client

        deadline = time.monotonic() + 40
        with Client(address, timeout=30) as client:
            while len(client.scheduler_info()["workers"]) < 2:
                assert time.monotonic() < deadline, "the Dask workers did not join"
                assert all(p.poll() is None for p in procs), "a Dask process died"
                time.sleep(0.2)
        yield address
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)


def test_forecast_all_on_a_dask_cluster_stores_what_a_local_run_stores(cluster, tmp_path):
    items, history = _catalogue(tmp_path)
    local_url = f"sqlite:///{tmp_path / 'local.db'}"
    dask_url = f"sqlite:///{tmp_path / 'dask.db'}"
    _database(local_url, items, history)
    _database(dask_url, items, history)

    local = jxc(local_url, "forecast", "--all", "--json", "--jobs", "1", check=True)
    os.environ["JXC_DASK_SCHEDULER"] = cluster
    try:
        remote = jxc(dask_url, "forecast", "--all", "--json", check=True)
    finally:
        del os.environ["JXC_DASK_SCHEDULER"]

    summary = json.loads(remote.stdout)
    assert summary["items"] == ITEMS and summary["fitted"] == ITEMS
    assert summary["failed"] == {}
    assert json.loads(local.stdout)["models"] == summary["models"]

    from distributed import Client

    with Client(cluster, timeout=30) as client:
        ran = client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.task_prefixes))
    assert ran > 0, "the batch never reached the cluster"

    here, there = _stored(local_url), _stored(dask_url)
    assert len(there) == ITEMS
    assert there == here
