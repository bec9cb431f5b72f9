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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
