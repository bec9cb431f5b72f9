"""The ledger through the real `jxc` CLI, as a shop's scripts would use it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, func, select, text

from domain.model import Balance, StockMove
from tests.conftest import DEMO, RUN_DIR, cli_env, jxc, run_json

pytestmark = pytest.mark.db


def feed(proc: subprocess.Popen, body: str) -> None:
    """Write stdin from a thread, so a full stdout pipe cannot deadlock the test."""

    def write():
        try:
            proc.stdin.write(body)
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            return  # the process was killed on purpose

    threading.Thread(target=write, daemon=True).start()


def test_init_import_receive_and_query_stock(db_url, tmp_path):
    jxc(db_url, "init", check=True)
    for kind in ("warehouses", "items", "partners", "users"):
        out = jxc(db_url, "import", kind, str(DEMO / f"{kind}.csv"), check=True)
        assert "imported" in out.stdout
    results = run_json(
        db_url,
        {"intent": "stock.receive", "item": "m6-20", "qty": "100", "unit_cost": "0.12"},
        {"intent": "stock.issue", "item": "M6-20", "qty": "5", "reason": "repairs"},
        {"intent": "stock.transfer", "item": "M6-20", "qty": "30", "from": "MAIN", "to": "BJ"},
    )
    assert [r["ok"] for r in results] == [True, True, True]
    stock = json.loads(jxc(db_url, "stock", "M6-20", "--json", check=True).stdout)
    assert {(r["warehouse"], r["on_hand"], r["value"]) for r in stock} == {
        ("BJ", "30", "3.60"),
        ("MAIN", "65", "7.80"),
    }
    assert set(stock[0]) >= {
        "sku",
        "warehouse",
        "on_hand",
        "reserved",
        "available",
        "on_order",
        "avg_cost",
        "value",
    }
    # A known item with no stock is a zero row; an unknown SKU names the closest.
    zero = json.loads(jxc(db_url, "stock", "HAMMER", "--json", check=True).stdout)
    assert zero == [
        {
            "sku": "HAMMER",
            "warehouse": "MAIN",
            "on_hand": "0",
            "reserved": "0",
            "available": "0",
            "on_order": "0",
            "projected": "0",
            "avg_cost": None,
            "value": "0.00",
        }
    ]
    unknown = jxc(db_url, "stock", "HAMMR", "--json")
    assert unknown.returncode == 1
    assert "HAMMER" in json.loads(unknown.stdout)["error"]["suggestions"]
    misuse = jxc(db_url, "stock", "--bogus")
    assert misuse.returncode == 2


def test_bad_quantities_are_refused_with_a_clear_error(master_db):
    bad = ["-5", "0", "abc", "2.5", "1000001", "1e3x", ""]
    results = run_json(
        master_db, *[{"intent": "stock.receive", "item": "M6-20", "qty": q} for q in bad]
    )
    codes = [r["error"]["code"] for r in results]
    assert codes == ["invalid_quantity"] * 6 + ["missing_slot"]
    assert all(r["ok"] is False for r in results)
    assert "whole" in results[3]["error"]["message"]
    stock = json.loads(jxc(master_db, "stock", "M6-20", "--json").stdout)
    assert stock[0]["on_hand"] == "0"


def test_malformed_lines_unknown_names_and_roles_in_a_batch(master_db):
    proc = jxc(
        master_db,
        "run",
        "--user",
        "wang",
        "-",
        input="\n".join(
            [
                "not json at all",
                json.dumps({"intent": "stock.receive", "item": "M6-20", "qty": "5"}),
                json.dumps({"intent": "stock.query", "item": "NOPE"}),
                json.dumps({"intent": "stock.query", "item": "M6-20", "warehouse": "XX"}),
                json.dumps({"intent": "stock.query", "item": "M6-20"}),
            ]
        )
        + "\n",
    )
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert proc.returncode == 1
    assert [x["ok"] for x in lines] == [False, False, False, False, True]
    assert [x.get("error", {}).get("code") for x in lines[:4]] == [
        "bad_request",
        "not_permitted",
        "unknown_item",
        "unknown_warehouse",
    ]
    assert (
        run_json(master_db, {"intent": "stock.query"}, user="nobody")[0]["error"]["code"]
        == "not_permitted"
    )


def test_same_key_twice_posts_once_and_another_command_under_it_is_refused(master_db):
    cmd = {"intent": "stock.receive", "item": "M6-20", "qty": "10", "key": "tg:1001"}
    first, second = run_json(master_db, cmd, cmd)
    assert first == second and first["ok"]
    third = run_json(master_db, {**cmd, "qty": "11"})[0]
    assert third["error"]["code"] == "duplicate_request"
    stock = json.loads(jxc(master_db, "stock", "M6-20", "--json").stdout)
    assert stock[0]["on_hand"] == "10"


def test_a_csv_with_one_bad_row_imports_nothing(master_db, tmp_path):
    f = tmp_path / "items.csv"
    f.write_text(
        "sku,name,name_zh,uom,category,unit_price,unit_cost,lead_time_days,moq,aliases\n"
        "NEW-1,New one,新一,pcs,misc,1.00,0.50,7,10,\n"
        "NEW-2,New two,新二,pcs,misc,abc,0.50,7,10,\n"
        "NEW-3,New three,新三,pcs,misc,1.00,0.50,7,10,\n",
        encoding="utf-8",
    )
    proc = jxc(master_db, "import", "items", str(f))
    assert proc.returncode == 1
    assert "line 3:" in proc.stderr and "line 2" not in proc.stderr
    assert jxc(master_db, "stock", "NEW-1", "--json").returncode == 1
    hist = tmp_path / "hist.csv"
    hist.write_text(
        "date,sku,qty,customer,unit_price\n2026-06-01,M6-20,10,ACME,0.25\n"
        "2026-06-02,M6-20,10,ECH,0.25\n2030-01-01,M6-20,1,ACME,0.25\n"
        "2026-06-03,NOPE,1,ACME,0.25\n",
        encoding="utf-8",
    )
    proc = jxc(master_db, "import", "sales_history", str(hist))
    assert proc.returncode == 1
    for expected in (
        "line 3: ECH is a supplier",
        "line 4: date 2030-01-01 is in the future",
        "line 5: unknown SKU",
    ):
        assert expected in proc.stderr
    bad_header = tmp_path / "users.csv"
    bad_header.write_text("nme,role\nx,admin\n", encoding="utf-8")
    proc = jxc(master_db, "import", "users", str(bad_header))
    assert proc.returncode == 1 and "line 1: missing column(s) name" in proc.stderr
    new_user = tmp_path / "new_user.csv"
    new_user.write_text("name,role\nx,admin\n", encoding="utf-8")
    proc = jxc(master_db, "import", "users", str(new_user))
    assert proc.returncode == 1 and "line 2: x is new" in proc.stderr


def test_a_bulk_run_killed_midway_leaves_only_whole_commands(master_db):
    n = 1500
    body = (
        "\n".join(
            json.dumps({"intent": "stock.receive", "item": "M6-20", "qty": "1", "key": f"bulk:{i}"})
            for i in range(n)
        )
        + "\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "run", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=cli_env(master_db),
        cwd=RUN_DIR,
    )
    feed(proc, body)
    done = 0
    deadline = time.monotonic() + 60
    while done < 200 and time.monotonic() < deadline:
        if proc.stdout.readline():
            done += 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert done == 200, "the run printed too few results before the kill"
    engine = create_engine(master_db.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        moves = conn.execute(select(func.count(), func.sum(StockMove.__table__.c.qty))).one()
        keys = conn.execute(text("select count(*) from audit where key <> ''")).scalar()
        on_hand = conn.execute(select(func.sum(Balance.__table__.c.on_hand))).scalar()
    engine.dispose()
    assert 200 <= moves[0] < n
    assert keys == moves[0] and on_hand == moves[1] == Decimal(moves[0])
    # Running the whole batch again completes it without posting anything twice.
    rerun = jxc(master_db, "run", "-", input=body)
    assert rerun.returncode == 0
    stock = json.loads(jxc(master_db, "stock", "M6-20", "--json").stdout)
    assert stock[0]["on_hand"] == str(n)


def test_two_processes_issuing_the_same_stock_never_oversell(master_db):
    run_json(master_db, {"intent": "stock.receive", "item": "M6-20", "qty": "1500"})
    body = (
        "\n".join(
            json.dumps({"intent": "stock.issue", "item": "M6-20", "qty": "1"}) for _ in range(1000)
        )
        + "\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "adapters.cli", "run", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=cli_env(master_db),
            cwd=RUN_DIR,
        )
        for _ in range(2)
    ]
    for p in procs:
        feed(p, body)
    outputs = [p.stdout.read() for p in procs]
    for p in procs:
        p.wait(timeout=300)
    results = [json.loads(line) for out in outputs for line in out.splitlines()]
    ok = sum(r["ok"] for r in results)
    refused = {r["error"]["code"] for r in results if not r["ok"]}
    assert len(results) == 2000 and ok == 1500 and refused == {"insufficient_stock"}
    stock = json.loads(jxc(master_db, "stock", "M6-20", "--json").stdout)
    assert stock[0]["on_hand"] == "0" and stock[0]["value"] == "0.00"
