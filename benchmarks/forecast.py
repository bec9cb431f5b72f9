"""Forecasting benchmark: Prophet fit+predict time per item, parallel efficiency of the batch
against a plain sequential loop, the cost of a cached re-run, and backtest MASE on the demo data.

    python benchmarks/forecast.py [--quick] [--items N] [--days 30]

Prints one ``key=value`` line per figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.demo_history import generate_history  # noqa: E402
from adapters.forecasting.batch import forecast_all  # noqa: E402
from adapters.forecasting.prophet_model import ProphetFitter  # noqa: E402
from domain.forecasting import backtest_item, daily_series, forecast  # noqa: E402

LAST_DAY = date(2025, 11, 30)
HISTORY_DAYS = 730


def synthetic_items(n: int, seed: int = 7) -> dict[str, list[tuple[date, float]]]:
    """``n`` regular items: level, trend, weekly and yearly seasonality, Poisson noise."""
    rng = np.random.default_rng(seed)
    first = LAST_DAY - timedelta(days=HISTORY_DAYS - 1)
    days = [first + timedelta(days=i) for i in range(HISTORY_DAYS)]
    t = np.arange(HISTORY_DAYS)
    dow = np.array([d.weekday() for d in days])
    weekly = np.array([1.1, 1.05, 1.0, 1.05, 1.1, 0.45, 0.2])[dow]
    items = {}
    for i in range(n):
        level = rng.uniform(2, 200)
        yearly = 1 + rng.uniform(0, 0.3) * np.cos(2 * np.pi * (t - rng.uniform(0, 365)) / 365)
        trend = 1 + rng.uniform(-0.1, 0.2) * t / 365
        qty = rng.poisson(level * weekly * yearly * trend)
        items[f"SYN-{i:04d}"] = [(d, float(q)) for d, q in zip(days, qty, strict=True)]
    return items


def demo_items() -> dict[str, list]:
    by_sku = defaultdict(list)
    for row in generate_history(LAST_DAY):
        by_sku[row.sku].append((row.date, row.qty))
    return dict(by_sku)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 items, a few backtests")
    parser.add_argument("--items", type=int, help="synthetic items (default 1000, quick 40)")
    parser.add_argument("--days", type=int, default=30, help="forecast horizon")
    parser.add_argument("--n-jobs", type=int, default=-1, help="joblib workers (-1: all cores)")
    args = parser.parse_args(argv)
    import joblib

    n = args.items or (40 if args.quick else 1000)
    cores = joblib.cpu_count() if args.n_jobs == -1 else args.n_jobs
    fitter = ProphetFitter()
    items = synthetic_items(n)
    print(f"cores={cores}")
    print(f"items={n}")
    print(f"horizon_days={args.days}")
    # Other processes on the machine distort the parallel figures: show how busy it was.
    print(f"load_avg_1m_before={os.getloadavg()[0]:.2f}")

    # Warm up: the first fit pays for importing Prophet and loading Stan.
    forecast("WARMUP", items["SYN-0000"], args.days, LAST_DAY, fitter)

    per_item = []
    cpu0 = os.times()
    start = time.perf_counter()
    for sku, rows in items.items():
        t0 = time.perf_counter()
        forecast(sku, rows, args.days, LAST_DAY, fitter)
        per_item.append(time.perf_counter() - t0)
    loop_s = time.perf_counter() - start
    cpu1 = os.times()
    loop_cpu = sum(cpu1[:4]) - sum(cpu0[:4])  # user + system, ours and the Stan subprocesses'
    print(f"prophet_fit_predict_s_per_item_mean={statistics.fmean(per_item):.3f}")
    print(f"prophet_fit_predict_s_per_item_p95={np.percentile(per_item, 95):.3f}")
    print(f"sequential_loop_s={loop_s:.2f}")
    print(f"sequential_loop_cores_used={loop_cpu / loop_s:.2f}")

    cache: dict = {}
    start = time.perf_counter()
    first = forecast_all(items, args.days, LAST_DAY, n_jobs=args.n_jobs, cache=cache)
    batch_s = time.perf_counter() - start
    assert len(first.fitted) == n, first.errors
    print(f"parallel_batch_s={batch_s:.2f}")
    print(f"parallel_speedup={loop_s / batch_s:.2f}")
    print(f"parallel_efficiency={loop_s / (batch_s * cores):.2f}")
    print(f"load_avg_1m_after_batch={os.getloadavg()[0]:.2f}")

    start = time.perf_counter()
    again = forecast_all(items, args.days, LAST_DAY, n_jobs=args.n_jobs, cache=cache)
    rerun_s = time.perf_counter() - start
    assert len(again.cached) == n and not again.fitted
    print(f"cached_rerun_s={rerun_s:.3f}")
    print(f"cached_rerun_pct_of_first={100 * rerun_s / batch_s:.2f}")

    demo = demo_items()
    skus = sorted(demo)
    if args.quick:
        skus = ["TAPE-48", "M6-20", "PAINT-W", "DRILL-18V", "HELMET", "GLUE-AB"]
    start = time.perf_counter()
    results = {}

    def run(sku):
        return sku, backtest_item(daily_series(demo[sku], LAST_DAY), fitter)

    for sku, (model, result) in joblib.Parallel(n_jobs=args.n_jobs)(
        joblib.delayed(run)(sku) for sku in skus
    ):
        if result.mase is not None:
            results[sku] = (model, result)
    models = sorted({m for m, _ in results.values()})
    print(f"backtest_items={len(results)}")
    print(f"backtest_s={time.perf_counter() - start:.2f}")
    print(f"backtest_mean_mase={statistics.fmean(r.mase for _, r in results.values()):.3f}")
    print(
        "backtest_mean_mase_naive="
        f"{statistics.fmean(r.mase_naive for _, r in results.values()):.3f}"
    )
    for model in models:
        scores = [r for m, r in results.values() if m == model]
        print(
            f"backtest_{model}_items={len(scores)} "
            f"mase={statistics.fmean(r.mase for r in scores):.3f} "
            f"mase_naive={statistics.fmean(r.mase_naive for r in scores):.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
