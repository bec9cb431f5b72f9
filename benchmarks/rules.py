"""Rules engine throughput: `python benchmarks/rules.py [--quick]`.

Prints one `name=value` line per figure: events/s through durable-rules in this process, through
durable-rules in its child process (batches of 500 facts, the pipe included), and through the
plain-Python reference on the same facts in the same run, with the ratio durable/reference;
the feed's events/s on SQLite and the inline feed's added latency; and a command → its alert
stored (p50, p99) with `jxc serve scheduler` running as its own process on the same database.
Targets: engine >= 10,000 events/s, feed >= 2,000 events/s, command → alert p50 < 1 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from adapters.bootstrap import make_rules_engine as make_engine  # noqa: E402
from rules.engine import RulesEngine  # noqa: E402

ENGINE_TARGET_PER_S = 10_000
BATCH = 500


def sample_facts(n: int, seed: int = 11) -> list[dict]:
    """A mix of the six fact types, about a third of which fire, as the feed posts them."""
    rnd = random.Random(seed)
    out: list[dict] = []
    for i in range(n):
        sku = f"SKU-{i % 400:03d}"
        kind = i % 6
        if kind == 0:
            rop = rnd.choice([-1, 128, 40.5])
            out.append(
                {
                    "type": "stock_level",
                    "sku": sku,
                    "projected": rnd.randint(0, 200),
                    "reorder_point": rop,
                    "alert_open": rnd.randint(0, 1),
                    "suggested_qty": 412,
                    "eoq": 412,
                    "moq": 50,
                    "mean_daily": 10.0,
                    "lead_time_days": 10,
                    "safety_stock": 28,
                    "service_level": 0.95,
                }
            )
        elif kind == 1:
            out.append(
                {
                    "type": "sale_price",
                    "order": f"SO-{i:04d}",
                    "sku": sku,
                    "price": 4.0,
                    "list_price": 6.45,
                    "discount_pct": rnd.uniform(0, 40),
                    "threshold_pct": 20,
                }
            )
        elif kind == 2:
            out.append(
                {
                    "type": "demand_day",
                    "sku": sku,
                    "date": "2026-06-14",
                    "qty": rnd.randint(0, 30),
                    "mean": 10.0,
                    "sigma": 3.2,
                    "k_sigma": 3,
                    "days": rnd.choice([10, 90]),
                }
            )
        elif kind == 3:
            out.append(
                {
                    "type": "count",
                    "count_id": f"C-{i}",
                    "sku": sku,
                    "warehouse": "WH1",
                    "diff_qty": -4,
                    "diff_value": rnd.uniform(-900, 900),
                    "pct": rnd.uniform(0, 8),
                    "value_limit": 500,
                    "pct_limit": 5,
                }
            )
        elif kind == 4:
            out.append(
                {
                    "type": "negative",
                    "sku": sku,
                    "warehouse": "WH1",
                    "on_hand": rnd.randint(-3, 20),
                    "reserved": rnd.randint(0, 20),
                    "orders": ["SO-0007"],
                }
            )
        else:
            out.append(
                {
                    "type": "approval",
                    "request": f"A-{i}",
                    "status": rnd.choice(["pending", "approved", "rejected"]),
                    "subject": f"SO-{i:04d}",
                    "requested_by": "tom",
                    "alert_open": rnd.randint(0, 1),
                }
            )
    return out


def events_per_s(engine: RulesEngine, facts: list[dict], batch: int, rounds: int) -> float:
    """Best of `rounds` passes over the facts, posted in batches of `batch`."""
    engine.evaluate(facts[:batch])  # warm-up: the child's start, first rulesets
    best = 0.0
    for _ in range(rounds):
        start = time.perf_counter()
        for at in range(0, len(facts), batch):
            engine.evaluate(facts[at : at + batch])
        best = max(best, len(facts) / (time.perf_counter() - start))
    return best


def engine_section(n: int, rounds: int) -> dict[str, float]:
    """Events/s of each engine on the same facts; checks they fire the same alerts."""
    facts = sample_facts(n)
    figures: dict[str, float] = {}
    fired: dict[str, list] = {}
    for kind in ("reference", "durable", "process"):
        engine = make_engine(kind)
        try:
            fired[kind] = engine.evaluate(facts)
            figures[kind] = events_per_s(engine, facts, BATCH, rounds)
        finally:
            engine.close()
    if not fired["durable"] == fired["process"] == fired["reference"]:
        raise SystemExit("the engines fired different alerts on the same facts")
    figures["fired_share"] = len(fired["reference"]) / len(facts)
    return figures


# -- the feed: claim, enrich, engine, store, mark ------------------------------------------------


def _feed_db(tmp: str, n_events: int):
    """A SQLite database with the demo's master data, 60 days of history for a few items, and
    `n_events` stock events waiting in the outbox."""
    import csv
    import json
    from datetime import date, timedelta
    from pathlib import Path

    from sqlalchemy import insert

    from adapters.bootstrap import bootstrap
    from adapters.config import Settings
    from domain.clock import FixedClock
    from domain.ledger import imports
    from domain.model import Outbox

    demo = Path(__file__).resolve().parent.parent / "adapters" / "demo_data"
    clock = FixedClock(datetime.fromisoformat("2026-06-15T10:00:00+08:00"))
    app = bootstrap(Settings(database_url=f"sqlite:///{tmp}/bench.db"), clock=clock,
                    migrate_schema=True)  # fmt: skip
    skus = ["GLOVE-L", "M6-20", "M8-30", "M6-NUT", "M8-NUT"]
    with app.uow() as uow:
        for kind in ("warehouses", "items", "partners", "users"):
            with (demo / f"{kind}.csv").open(newline="", encoding="utf-8") as f:
                rows = list(enumerate(csv.DictReader(f), start=2))
            imports.import_rows(uow, kind, rows, today=date(2026, 6, 15))
        hist = [
            (
                n,
                {
                    "date": str(date(2026, 6, 14) - timedelta(days=d)),
                    "sku": sku,
                    "qty": "10",
                    "customer": "ACME",
                    "unit_price": "",
                },
            )  # fmt: skip
            for n, (sku, d) in enumerate(((s, d) for s in skus for d in range(60)), start=2)
        ]
        imports.import_rows(uow, "sales_history", hist, today=date(2026, 6, 15))
        received = {"qty": "5", "unit_cost": "1.00", "value": "5.00", "user": "li"}
        issued = {"qty": "5", "value": "5.00", "reason": "bench", "user": "li"}
        events = [
                {"at": uow.now, "event": "StockReceived" if k % 2 else "StockIssued",
                 "payload": json.dumps({"sku": skus[k % len(skus)], "warehouse": "MAIN",
                                        **(received if k % 2 else issued)})}
                for k in range(n_events)
        ]  # fmt: skip
        if events:
            uow.execute(insert(Outbox.__table__), events)
        uow.commit()
    return app


def feed_section(n_events: int, cli_runs: int) -> dict[str, float]:
    """Feed events/s on SQLite (durable-rules and the reference on the same events, each on its
    own copy of the database) and the inline feed's added latency after a command (p50)."""
    import statistics
    import tempfile
    from decimal import Decimal

    from adapters.bootstrap import close_feeds, rules_feed, run_feed_inline
    from domain.messages.commands import IssueStock, ReceiveStock

    out: dict[str, float] = {}
    for kind in ("durable", "reference"):
        with tempfile.TemporaryDirectory() as tmp:
            app = _feed_db(tmp, n_events)
            feed = rules_feed(app, kind)
            start = time.perf_counter()
            stats = feed.run()
            out[f"feed_{kind}"] = stats.rows / (time.perf_counter() - start)
            if stats.failed:
                raise SystemExit(f"the feed failed {stats.failed} of {stats.rows} rows")
            close_feeds(app)
            app.engine.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        app = _feed_db(tmp, 0)
        user = app.bus.user("li")
        app.bus.execute(ReceiveStock(item="M6-20", qty=Decimal(cli_runs)), user)
        run_feed_inline(app)
        added = []
        for _ in range(cli_runs):
            app.bus.execute(IssueStock(item="M6-20", qty=Decimal(1), reason="bench"), user)
            close_feeds(app)  # a CLI process builds its engine afresh
            start = time.perf_counter()
            run_feed_inline(app)
            added.append(time.perf_counter() - start)
        out["inline_p50_ms"] = statistics.median(added) * 1000
        close_feeds(app)
        app.engine.dispose()
    return out


# -- a command → its alert stored, with `jxc serve scheduler` running ---------------------------

SERVER_READY_S = 60.0
ALERT_WAIT_S = 10.0


def _start_server(db_url: str):
    """`jxc serve scheduler` on `db_url` as a process, once it has said `ready:` on stderr."""
    import os
    import queue
    import subprocess
    import threading

    env = dict(os.environ, JXC_DATABASE_URL=db_url, PYTHONIOENCODING="utf-8")
    env.pop("JXC_NOW", None)  # the server and this process share the real clock
    proc = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "scheduler"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue = queue.Queue()

    def pump() -> None:  # keep reading, so a chatty server never blocks on a full pipe
        for line in proc.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    deadline = time.monotonic() + SERVER_READY_S
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if "ready:" in line:
            return proc
    _stop_server(proc)
    raise SystemExit("jxc serve scheduler did not get ready:\n" + "".join(seen[-20:]))


def _stop_server(proc) -> None:
    import signal
    import subprocess

    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def served_section(runs: int) -> dict[str, float]:
    """Seconds from a command (a sales order priced far under list, through the bus in this
    process) to its `anomaly.price` alert stored by `jxc serve scheduler`, `runs` times."""
    import statistics
    import tempfile
    from decimal import Decimal

    from sqlalchemy import select

    from adapters.bootstrap import bootstrap
    from adapters.config import Settings
    from domain.alerts.records import alert_t
    from domain.messages.commands import CreateSalesOrder, Line, ReceiveStock

    with tempfile.TemporaryDirectory() as tmp:
        seeded = _feed_db(tmp, 0)
        db_url = str(seeded.settings.database_url)
        seeded.engine.dispose()
        app = bootstrap(Settings(database_url=db_url))  # the real clock, as the server's
        wang, li = app.bus.user("wang"), app.bus.user("li")
        app.bus.execute(ReceiveStock(item="M6-20", qty=Decimal(runs * 10)), li)
        proc = _start_server(db_url)
        took: list[float] = []
        try:
            for _ in range(runs):
                start = time.perf_counter()
                so = app.bus.execute(
                    CreateSalesOrder(
                        customer="ACME", lines=(Line("M6-20", Decimal(1), Decimal("0.05")),)
                    ),
                    wang,
                )
                subject = f"{so['order']}:M6-20"
                query = select(alert_t.c.id).where(
                    (alert_t.c.kind == "anomaly.price") & (alert_t.c.subject == subject)
                )
                while True:
                    with app.uow(write=False) as uow:
                        if uow.execute(query).first() is not None:
                            break
                    if time.perf_counter() - start > ALERT_WAIT_S:
                        raise SystemExit(f"no anomaly.price alert for {subject} within "
                                         f"{ALERT_WAIT_S:.0f} s")  # fmt: skip
                    if proc.poll() is not None:
                        raise SystemExit("jxc serve scheduler stopped during the run")
                    time.sleep(0.005)
                took.append(time.perf_counter() - start)
        finally:
            _stop_server(proc)
            app.engine.dispose()
    took.sort()
    return {
        "runs": runs,
        "p50": statistics.median(took),
        "p99": took[min(len(took) - 1, int(round(0.99 * (len(took) - 1))))],
        "max": took[-1],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="fewer facts, one pass")
    args = ap.parse_args(argv)
    n, rounds = (3_000, 1) if args.quick else (30_000, 3)
    figures = engine_section(n, rounds)
    print(f"rules_facts={n}")
    print(f"rules_batch={BATCH}")
    print(f"rules_fired_share={figures['fired_share']:.2f}")
    print(f"rules_engine_durable_events_per_s={figures['durable']:.0f}")
    print(f"rules_engine_process_events_per_s={figures['process']:.0f}")
    print(f"rules_engine_reference_events_per_s={figures['reference']:.0f}")
    print(f"rules_engine_durable_over_reference={figures['durable'] / figures['reference']:.3f}")
    print(f"rules_engine_process_over_reference={figures['process'] / figures['reference']:.3f}")
    met = min(figures["durable"], figures["process"]) >= ENGINE_TARGET_PER_S
    print(f"rules_engine_target_{ENGINE_TARGET_PER_S}_per_s={'met' if met else 'NOT met'}")
    n_events, cli_runs = (1_000, 10) if args.quick else (5_000, 30)
    feed = feed_section(n_events, cli_runs)
    print(f"rules_feed_events={n_events}")
    print(f"rules_feed_durable_events_per_s={feed['feed_durable']:.0f}")
    print(f"rules_feed_reference_events_per_s={feed['feed_reference']:.0f}")
    print(f"rules_feed_durable_over_reference={feed['feed_durable'] / feed['feed_reference']:.3f}")
    print(f"rules_inline_feed_added_ms_p50={feed['inline_p50_ms']:.1f}")
    served = served_section(10 if args.quick else 30)
    print(f"rules_command_to_alert_runs={served['runs']}")
    print(f"rules_command_to_alert_p50_s={served['p50']:.3f} p99_s={served['p99']:.3f}")
    print(f"rules_command_to_alert_target_p50_1_s={'met' if served['p50'] < 1 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
