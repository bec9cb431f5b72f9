"""Ledger benchmark: write commands/s, history import rows/s, stock query latency.

    python benchmarks/ledger.py [--quick]

Runs on a fresh SQLite file; also on PostgreSQL when JXC_DATABASE_URL points at one (the
database is emptied first: use a scratch database). Each figure that has a reference prints the
reference measured in the same run and the ratio.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.bootstrap import bootstrap  # noqa: E402
from adapters.config import Settings  # noqa: E402
from adapters.db import SQLITE_PRAGMAS  # noqa: E402
from benchmarks.common import run_databases  # noqa: E402
from domain.clock import FixedClock  # noqa: E402
from domain.ledger import imports
from domain.messages.commands import (  # noqa: E402
    CreateSalesOrder,
    IssueStock,
    Line,
    QueryStock,
    ReceiveStock,
    ShipSalesOrder,
)
from domain.model import Balance, Item, StockMove  # noqa: E402

NOW = datetime(2026, 6, 15, 2, 0, tzinfo=UTC)


def item_row(sku: str, costing: str = "average") -> dict:
    """An item row for the benchmark's own items (list 2.50, standard cost 1.20)."""
    return {
        "sku": sku,
        "name": sku,
        "name_zh": "",
        "uom": "pcs",
        "category": "",
        "unit_price": Decimal("2.50"),
        "unit_cost": Decimal("1.20"),
        "lead_time_days": 7,
        "moq": Decimal(0),
        "aliases": "",
        "costing": costing,
    }


def fresh_app(url: str):
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        eng = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with eng.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        eng.dispose()
    app = bootstrap(Settings(database_url=url), clock=FixedClock(NOW), migrate_schema=True)
    with app.uow() as uow:
        imports.import_rows(
            uow,
            "warehouses",
            [(2, {"code": "MAIN", "name": "", "name_zh": ""})],
            today=date(2026, 6, 15),
        )
        imports.import_rows(
            uow,
            "users",
            [
                (
                    2,
                    {
                        "name": "admin",
                        "role": "admin",
                        "slack_id": "",
                        "telegram_id": "",
                        "lang": "en",
                    },
                )
            ],
            today=date(2026, 6, 15),
        )
        imports.import_rows(
            uow,
            "partners",
            [
                (
                    2,
                    {
                        "code": "ACME",
                        "name": "",
                        "name_zh": "",
                        "kind": "customer",
                        "credit_limit": "0",
                        "aliases": "",
                    },
                )
            ],
            today=date(2026, 6, 15),
        )
        uow.execute(
            insert(Item.__table__),
            [item_row(f"SKU-{i:05d}") for i in range(10)],
        )
        uow.commit()
    return app


def bench_writes(app, n: int) -> float:
    admin = app.bus.user("admin")
    start = time.perf_counter()
    for i in range(n):
        sku = f"SKU-{(i // 2) % 10:05d}"
        if i % 2 == 0:
            cmd = ReceiveStock(item=sku, qty=Decimal(3), unit_cost=Decimal("1.25"))
        else:
            cmd = IssueStock(item=sku, qty=Decimal(1))
        app.bus.execute(cmd, admin, key=f"bench:{i}")
    return n / (time.perf_counter() - start)


def bench_raw_writes(n: int) -> float:
    """The same rows, one transaction each, raw sqlite3: the key looked up, the balance read
    and updated under its guard, the move, the audit row that is also the key's record, the
    outbox row."""
    path = Path(tempfile.mkdtemp()) / "raw.db"
    con = sqlite3.connect(path, isolation_level=None)
    for p in SQLITE_PRAGMAS:
        con.execute(p)
    con.executescript("""
        create table bal(item integer, wh integer, on_hand integer, reserved integer,
                         value integer, primary key(item, wh));
        create table mv(id integer primary key, at text, item integer, wh integer, kind text,
                        qty integer, value integer, unit_cost integer, ref text, reason text,
                        user_name text);
        create index mv_item_wh on mv(item, wh, id);
        create table ob(id integer primary key, at text, event text, payload text, done text);
        create table au(id integer primary key, at text, u text, intent text, key text, d text,
                        hash text, ok int, result text);
        create unique index au_key on au(key) where key <> '';
    """)
    start = time.perf_counter()
    for i in range(n):
        item = (i // 2) % 10
        qty = 3000 if i % 2 == 0 else -1000
        key = f"bench:{i}"
        con.execute("BEGIN IMMEDIATE")
        con.execute("select hash, ok, result from au where key=? and key <> ''", (key,))
        con.execute("insert or ignore into bal values (?,1,0,0,0)", (item,))
        con.execute("select on_hand, reserved, value from bal where item=? and wh=1", (item,))
        con.execute(
            "update bal set on_hand=on_hand+?, value=value+? where item=? and wh=1 "
            "and on_hand-reserved >= ? returning on_hand, reserved, value",
            (qty, 375, item, -qty),
        ).fetchall()
        con.execute(
            "insert into mv(at,item,wh,kind,qty,value,unit_cost,ref,reason,user_name) "
            "values (?,?,1,'receipt',?,?,?,'','','admin')",
            ("t", item, qty, 375, 1250000),
        )
        con.execute(
            "insert into au(at,u,intent,key,d,hash,ok,result) values (?,?,?,?,?,?,1,?) "
            "on conflict do nothing returning id",
            ("t", "admin", "stock.receive", key, "{}", "h" * 64, '{"ok": true}'),
        ).fetchall()
        con.execute("insert into ob(at,event,payload) values (?,?,?)", ("t", "StockReceived", "{}"))
        con.execute("COMMIT")
    rate = n / (time.perf_counter() - start)
    con.close()
    return rate


def history_rows(n: int) -> list[tuple[int, dict]]:
    start = date(2024, 6, 1)
    return [
        (
            i + 2,
            {
                "date": (start + timedelta(days=i % 700)).isoformat(),
                "sku": f"SKU-{i % 10:05d}",
                "qty": str(1 + i % 40),
                "customer": "ACME",
                "unit_price": "2.40",
            },
        )
        for i in range(n)
    ]


def bench_import(app, n: int) -> tuple[float, float]:
    rows = history_rows(n)
    start = time.perf_counter()
    with app.uow() as uow:
        imports.import_rows(uow, "sales_history", rows, today=date(2026, 6, 15))
        uow.commit()
    ours = n / (time.perf_counter() - start)
    if app.engine.dialect.name != "sqlite":
        return ours, float("nan")
    path = Path(tempfile.mkdtemp()) / "raw.db"
    con = sqlite3.connect(path, isolation_level=None)
    for p in SQLITE_PRAGMAS:
        con.execute(p)
    con.execute(
        "create table h(id integer primary key, day text, item int, qty int, "
        "partner int, price int)"
    )
    raw = [(r["date"], i % 10, int(r["qty"]) * 1000, 1, 2400000) for i, (_, r) in enumerate(rows)]
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    con.executemany("insert into h(day,item,qty,partner,price) values (?,?,?,?,?)", raw)
    con.execute("COMMIT")
    base = n / (time.perf_counter() - start)
    con.close()
    return ours, base


def bench_query(app, n_items: int, n_moves: int, samples: int) -> tuple[float, float]:
    """Stock query latency with `n_items` items and `n_moves` moves in the ledger."""
    with app.uow() as uow:
        uow.execute(
            insert(Item.__table__),
            [
                {
                    "sku": f"Q-{i:06d}",
                    "name": f"q {i}",
                    "name_zh": "",
                    "uom": "pcs",
                    "category": "",
                    "unit_price": Decimal(2),
                    "unit_cost": Decimal(1),
                    "lead_time_days": 7,
                    "moq": Decimal(0),
                    "aliases": "",
                    "costing": "average",
                }
                for i in range(n_items)
            ],
        )
        ids = [r[0] for r in uow.execute(text("select id from item where sku like 'Q-%'"))]
        per = n_moves // len(ids)
        batch = []
        for item_id in ids:
            for _ in range(per):
                batch.append(
                    {
                        "at": NOW,
                        "item_id": item_id,
                        "warehouse_id": 1,
                        "kind": "receipt",
                        "qty": Decimal(1),
                        "value": Decimal(1),
                        "unit_cost": Decimal(1),
                        "ref": "",
                        "reason": "",
                        "user_name": "bench",
                    }
                )
            if len(batch) >= 50_000:
                uow.execute(insert(StockMove.__table__), batch)
                batch = []
        if batch:
            uow.execute(insert(StockMove.__table__), batch)
        uow.execute(
            insert(Balance.__table__),
            [
                {
                    "item_id": i,
                    "warehouse_id": 1,
                    "on_hand": Decimal(per),
                    "reserved": Decimal(0),
                    "value": Decimal(per),
                }
                for i in ids
            ],
        )
        uow.commit()
    admin = app.bus.user("admin")
    skus = [f"Q-{random.randrange(n_items):06d}" for _ in range(samples)]
    times = []
    for sku in skus:
        t0 = time.perf_counter()
        app.bus.execute(QueryStock(item=sku), admin)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def bench_orders(app, quick: bool) -> list[str]:
    """Sales order create + ship per second (two lines: an average-cost and a FIFO item), and
    the cost of a FIFO issue that walks 1,000 open layers."""
    with app.uow() as uow:
        uow.execute(
            insert(Item.__table__),
            [
                item_row(sku, costing)
                for sku, costing in (("AVG-1", "average"), ("FIFO-1", "fifo"), ("FIFO-L", "fifo"))
            ],
        )
        uow.execute(text("update partner set credit_limit = 100000000"))
        uow.commit()
    admin = app.bus.user("admin")
    n = 200 if quick else 1000
    for sku in ("AVG-1", "FIFO-1"):
        for i in range(20):  # several receipts: FIFO issues cross layers
            app.bus.execute(
                ReceiveStock(
                    item=sku, qty=Decimal(n), unit_cost=Decimal("1.10") + Decimal(i) / 100
                ),
                admin,
                key=f"o:{sku}:{i}",
            )
    start = time.perf_counter()
    for i in range(n):
        so = app.bus.execute(
            CreateSalesOrder(
                customer="ACME", lines=(Line("AVG-1", Decimal(3)), Line("FIFO-1", Decimal(3)))
            ),
            admin,
            key=f"so:{i}",
        )
        app.bus.execute(ShipSalesOrder(order=so.order), admin, key=f"ship:{i}")
    rate = n / (time.perf_counter() - start)
    for i in range(1000):
        app.bus.execute(
            ReceiveStock(
                item="FIFO-L", qty=Decimal(1), unit_cost=Decimal("1.00") + Decimal(i) / 1000
            ),
            admin,
            key=f"layer:{i}",
        )
    samples = []
    for i in range(5):
        t0 = time.perf_counter()
        app.bus.execute(IssueStock(item="FIFO-L", qty=Decimal(150)), admin, key=f"walk:{i}")
        samples.append((time.perf_counter() - t0) * 1000)
    return [
        f"sales order create+ship/s={rate:.0f} n={n} (lines: average + FIFO item)",
        f"FIFO issue of 150 across 1000 open layers ms_p50={statistics.median(samples):.1f}",
    ]


def run(url: str, label: str, quick: bool) -> None:
    app = fresh_app(url)
    n = 1000 if quick else 5000
    ours = bench_writes(app, n)
    line = f"[{label}] write commands/s={ours:.0f} n={n}"
    if label == "sqlite":
        raw = bench_raw_writes(n)
        line += f" raw_sqlite3/s={raw:.0f} ratio={ours / raw:.2f}"
    print(line, flush=True)
    n_hist = 20_000 if quick else 200_000
    imp, base = bench_import(app, n_hist)
    line = f"[{label}] sales_history import rows/s={imp:.0f} n={n_hist}"
    if base == base:
        line += f" raw_executemany/s={base:.0f} ratio={imp / base:.2f}"
    print(line, flush=True)
    n_items, n_moves = (1000, 50_000) if quick else (10_000, 1_000_000)
    p50, p99 = bench_query(app, n_items, n_moves, 500 if quick else 2000)
    print(
        f"[{label}] stock query p50_ms={p50:.3f} p99_ms={p99:.3f} items={n_items} moves={n_moves}",
        flush=True,
    )
    for out in bench_orders(app, quick):
        print(f"[{label}] {out}", flush=True)
    app.engine.dispose()


def main() -> None:
    run_databases(__doc__, run, "a smoke run (under 30 s)")


if __name__ == "__main__":
    main()
