"""Parse latency over the corpus, in process: `python benchmarks/parse.py [--quick]`.

Prints `parse p50_ms=… p99_ms=… n=…` (target p50 < 2 ms)."""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.catalog import Catalog  # noqa: E402
from bot.parse import parse  # noqa: E402

CORPUS = ROOT / "tests" / "unit" / "parse_corpus.jsonl"
DEMO = ROOT / "adapters" / "demo_data"


def _percentile(sorted_ms: list[float], pct: float) -> float:
    index = min(len(sorted_ms) - 1, max(0, round(pct / 100 * len(sorted_ms)) - 1))
    return sorted_ms[index]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="one pass over the corpus")
    ap.add_argument("--rounds", type=int, default=20, help="passes over the corpus")
    args = ap.parse_args(argv)
    texts = [json.loads(line)["text"] for line in CORPUS.read_text("utf-8").splitlines()]
    t0 = time.perf_counter()
    catalog = Catalog.from_csv_dir(DEMO)
    load_ms = (time.perf_counter() - t0) * 1000
    for text in texts:  # warm-up: regex compilation, OpenCC, cn2an
        parse(text, catalog)
    rounds = 1 if args.quick else max(1, args.rounds)
    samples: list[float] = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            parse(text, catalog)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p50, p99 = statistics.median(samples), _percentile(samples, 99)
    print(f"catalog load_ms={load_ms:.2f}")
    print(f"parse p50_ms={p50:.2f} p99_ms={p99:.2f} n={len(samples)}")
    round_trips(20 if args.quick else 200)
    return 0


def round_trips(n: int) -> None:
    """Console round trips in-process (no process start-up): a question, and a write proposed
    and confirmed, on a fresh SQLite database with the demo master data."""
    import csv
    import tempfile
    from datetime import date
    from decimal import Decimal

    from adapters.bootstrap import bootstrap
    from adapters.config import Settings
    from bot.conversation import Conversation
    from domain import imports
    from domain.commands import ReceiveStock

    with tempfile.TemporaryDirectory() as tmp:
        app = bootstrap(Settings(database_url=f"sqlite:///{tmp}/chat.db"), migrate_schema=True)
        with app.uow() as uow:
            for kind in ("warehouses", "items", "partners", "users"):
                with (DEMO / f"{kind}.csv").open(newline="", encoding="utf-8") as f:
                    rows = list(enumerate(csv.DictReader(f), start=2))
                imports.import_rows(uow, kind, rows, today=date.today())
            uow.commit()
        app.bus.execute(ReceiveStock(item="M6-20", qty=Decimal(100000)), app.bus.user("admin"))
        chat = Conversation(app.bus, app.uow, app.clock)
        chat.handle("admin", "bench", "how many M6")  # warm-up: catalog load
        question, write = [], []
        for _ in range(n):
            t0 = time.perf_counter()
            chat.handle("admin", "bench", "how many M6 do we have")
            question.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            chat.handle("admin", "bench", "sell 1 M6 to ACME")
            chat.handle("admin", "bench", "yes")
            write.append((time.perf_counter() - t0) * 1000)
        app.engine.dispose()
    for name, values in (("question", question), ("confirmed_write", write)):
        values.sort()
        print(
            f"console round trip {name} p50_ms={statistics.median(values):.2f} "
            f"p99_ms={_percentile(values, 99):.2f} n={n}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
