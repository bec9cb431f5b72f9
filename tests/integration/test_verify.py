"""`jxc verify`: the books rebuilt from the append-only moves and documents add up; a stored
figure changed behind the ledger's back is named with its sku, place, field and both values."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from decimal import Decimal

import pytest
from sqlalchemy import update

from adapters.db import make_engine
from domain.model import Balance, FifoLayer, Item, SalesLine, Warehouse
from tests.conftest import RUN_DIR, cli_env, jxc, run_json

pytestmark = pytest.mark.db


def trade(db_url: str) -> list[dict]:
    """Receipts, an issue, a FIFO transfer, a purchase received and a sale shipped."""
    results = run_json(
        db_url,
        {"intent": "stock.receive", "item": "M6-20", "qty": "100", "unit_cost": "0.12"},
        {"intent": "stock.receive", "item": "M6-20", "qty": "50", "unit_cost": "0.13"},
        {"intent": "stock.issue", "item": "M6-20", "qty": "7", "reason": "repairs"},
        {"intent": "stock.receive", "item": "TAPE-48", "qty": "40", "unit_cost": "3.10"},
        {"intent": "stock.receive", "item": "TAPE-48", "qty": "60", "unit_cost": "3.30"},
        {"intent": "stock.transfer", "item": "TAPE-48", "qty": "55", "from": "MAIN", "to": "BJ"},
        {"intent": "stock.count", "item": "TAPE-48", "counted_qty": "44"},
        {
            "intent": "purchase.create",
            "supplier": "ECH",
            "lines": [{"item": "M6-20", "qty": "500"}],
        },
        {"intent": "purchase.receive", "order": "PO-0001"},
        {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6-20", "qty": "20"}]},
        {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "TAPE-48", "qty": "5"}]},
        {"intent": "sales.ship", "order": "SO-0001"},
    )
    assert all(r["ok"] for r in results), [r for r in results if not r["ok"]]
    return results


def verify(db_url: str, *args: str) -> subprocess.CompletedProcess:
    proc = jxc(db_url, "verify", *args)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def tamper(db_url: str, table, where, **values) -> None:
    """Change a stored figure directly, as a bad script or a hand edit would."""
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(update(table).where(where).values(**values))
    engine.dispose()


def ids(db_url: str, sku: str, wh: str) -> tuple[int, int]:
    engine = make_engine(db_url)
    with engine.connect() as conn:
        item = conn.execute(Item.__table__.select().where(Item.__table__.c.sku == sku)).first()
        w = conn.execute(Warehouse.__table__.select().where(Warehouse.__table__.c.code == wh))
        wid = w.first().id
    engine.dispose()
    return item.id, wid


def test_a_clean_demo_verifies(db_url):
    jxc(db_url, "init", "--demo", check=True, timeout=180)
    proc = verify(db_url)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("books balance: ")
    assert len(proc.stdout.strip().splitlines()) == 1


def test_a_ledger_with_orders_fifo_transfers_and_counts_verifies(master_db):
    trade(master_db)
    proc = verify(master_db, "--json")
    body = json.loads(proc.stdout)
    assert proc.returncode == 0, body
    assert body["ok"] is True and body["differences"] == []
    assert body["checked"]["moves"] >= 9
    assert body["checked"]["fifo_layers"] >= 3
    assert body["checked"]["order_lines"] == 3


def test_a_tampered_balance_is_reported_with_both_values(master_db):
    trade(master_db)
    item_id, wh_id = ids(master_db, "M6-20", "MAIN")
    bal = Balance.__table__
    tamper(
        master_db,
        bal,
        (bal.c.item_id == item_id) & (bal.c.warehouse_id == wh_id),
        on_hand=Decimal("999"),
    )
    proc = verify(master_db, "--json")
    assert proc.returncode == 1
    body = json.loads(proc.stdout)
    assert body["ok"] is False
    assert {
        "kind": "balance",
        "sku": "M6-20",
        "warehouse": "MAIN",
        "field": "on_hand",
        "stored": "999",
        "rebuilt": "623",
    } in body["differences"]

    text = verify(master_db)
    assert text.returncode == 1
    assert "balance M6-20 @ MAIN: on_hand stored 999, rebuilt 623" in text.stdout
    assert "do not balance" in text.stderr


def test_tampered_value_reservation_layer_and_shipment_are_each_reported(master_db):
    trade(master_db)
    m6 = ids(master_db, "M6-20", "MAIN")
    tape_bj = ids(master_db, "TAPE-48", "BJ")
    bal, layer, sl = Balance.__table__, FifoLayer.__table__, SalesLine.__table__
    at = (bal.c.item_id == m6[0]) & (bal.c.warehouse_id == m6[1])
    tamper(master_db, bal, at, value=Decimal("1.00"), reserved=Decimal("3"))
    on_bj = (layer.c.item_id == tape_bj[0]) & (layer.c.warehouse_id == tape_bj[1])
    tamper(master_db, layer, on_bj, qty_left=Decimal("1"))
    tamper(master_db, sl, sl.c.item_id == m6[0], shipped_qty=Decimal("2"))
    body = json.loads(verify(master_db, "--json").stdout)
    found = {(d["kind"], d["sku"], d["field"]) for d in body["differences"]}
    assert {
        ("balance", "M6-20", "value"),
        ("balance", "M6-20", "reserved"),
        ("fifo", "TAPE-48", "qty_left"),
        ("sales_order", "M6-20", "shipped_qty"),
    } <= found
    shipped = next(d for d in body["differences"] if d["field"] == "shipped_qty")
    assert (shipped["order"], shipped["stored"], shipped["rebuilt"]) == ("SO-0001", "2", "20")


def test_concurrent_writers_and_a_killed_batch_leave_books_that_verify(master_db):
    run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "1000", "unit_cost": "0.12"},
        {"intent": "stock.receive", "item": "TAPE-48", "qty": "500", "unit_cost": "3.20"},
    )

    def batch(n: int, intent: str) -> str:
        line = {"intent": intent, "item": "M6-20", "qty": "3"}
        tape = {"intent": intent, "item": "TAPE-48", "qty": "2"}
        if intent == "stock.receive":
            line["unit_cost"], tape["unit_cost"] = "0.125", "3.25"
        return "".join(json.dumps(line) + "\n" + json.dumps(tape) + "\n" for _ in range(n))

    # Real processes: the in-process runner swaps the process's streams, argv and working
    # directory, which threads would share.
    outs: list[subprocess.CompletedProcess] = []
    writers = [
        threading.Thread(
            target=lambda b=b: outs.append(jxc(master_db, "run", "-", input=b, process=True))
        )
        for b in (batch(25, "stock.issue"), batch(25, "stock.receive"), batch(25, "stock.issue"))
    ]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    assert all(p.returncode == 0 for p in outs), [p.stdout[-300:] for p in outs]

    # A long batch killed part-way: only whole commands may remain.
    proc = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "run", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=cli_env(master_db),
        cwd=RUN_DIR,
    )
    threading.Thread(target=lambda: _feed(proc, batch(2000, "stock.receive")), daemon=True).start()
    first = proc.stdout.readline()
    assert json.loads(first)["ok"] is True
    for _ in range(20):  # killed mid-batch, some lines committed and many not
        assert json.loads(proc.stdout.readline())["ok"] is True
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    result = verify(master_db)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("books balance")


def _feed(proc: subprocess.Popen, body: str) -> None:
    try:
        proc.stdin.write(body)
        proc.stdin.close()
    except (BrokenPipeError, OSError):
        return  # killed on purpose
