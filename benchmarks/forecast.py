"""Forecasting benchmark: quality of the choice by backtest and of each model alone, band
coverage, and the times that matter (a single item from the CLI, stored and refitted; a batch).

    python benchmarks/forecast.py [--quick] [--items N] [--n-jobs N] [--skip-cli]
        [--reference CHECKOUT]  # e.g. `git worktree add ../at-issue 90e4724`

Quality, on the demo history and on a synthetic set with Chinese holidays: every item is scored
on the backtest's latest origin (28 days the choice never saw) — the chosen model, each model
forced on every item of its kind, and the lag-7 seasonal naive. `ratio` is mean MASE ÷ the
naive's mean MASE on the same items (lower is better). `coverage` is the share of actual days
inside the stored 80 % band. Then, like the outside test of issue 22, the choice made on the
history up to 8 September and scored on the next 56 days, across Golden Week. Times: the batch for N synthetic items with Prophet alone (one fit
per item, as before the choice), with the choice made for every item (a first run), refitted
with stored choices after a day of new sales (a nightly run), and answered from the store;
the CLI's single item answered from the store and refitted with its stored choice, each in a
fresh process, against `jxc stock` on the same database.

Prints one ``key=value`` line per figure. The machine's load is printed with the times: other
processes slow every figure alike.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from adapters.demo_history import _holiday_factors, generate_history  # noqa: E402
from adapters.forecasting.batch import MemoryStore, forecast_all  # noqa: E402
from adapters.forecasting.fitters import default_fitters  # noqa: E402
from adapters.forecasting.prophet_model import ProphetFitter  # noqa: E402
from domain.planning.candidates import (  # noqa: E402
    CANDIDATES,
    REGULAR,
    candidates_for,
    family,
    run_candidate,
    series_kind,
)
from domain.planning.choice import HORIZON, choose, forecast_with  # noqa: E402
from domain.planning.forecasting import ENSEMBLE, daily_series, naive_scale, seasonal_naive  # noqa: E402

LAST_DAY = date(2025, 11, 30)
HISTORY_DAYS = 730


def synthetic_items(n: int, seed: int = 7, last_day: date = LAST_DAY) -> dict[str, list]:
    """`n` items with known structure: level, a weekly pattern, a yearly wave, a trend, the
    Spring Festival and Golden Week (demo_history's holiday factors), every fifth a level shift,
    every seventh intermittent; Poisson noise."""
    rng = np.random.default_rng(seed)
    first = last_day - timedelta(days=HISTORY_DAYS - 1)
    days = [first + timedelta(days=i) for i in range(HISTORY_DAYS)]
    t = np.arange(HISTORY_DAYS)
    dow = np.array([d.weekday() for d in days])
    holiday = _holiday_factors(first, last_day)
    hol = np.array([holiday.get(d, 1.0) for d in days])
    weekly = np.array([1.1, 1.05, 1.0, 1.05, 1.1, 0.45, 0.2])[dow]
    items = {}
    for i in range(n):
        level = rng.uniform(0.3, 3) if i % 7 == 6 else rng.uniform(3, 150)
        yearly = 1 + rng.uniform(0, 0.3) * np.cos(2 * np.pi * (t - rng.uniform(0, 365)) / 365)
        trend = 1 + rng.uniform(-0.1, 0.2) * t / 365
        shift = (
            np.where(t > rng.integers(400, 650), rng.uniform(0.6, 1.5), 1.0) if i % 5 == 4 else 1
        )
        mean = level * weekly * yearly * trend * shift * hol
        if i % 7 == 6:  # intermittent: an order now and then
            qty = rng.poisson(mean / 3) * (rng.random(HISTORY_DAYS) < 0.25) * 3
        else:
            qty = rng.poisson(mean)
        items[f"SYN-{i:04d}"] = [(d, float(q)) for d, q in zip(days, qty, strict=True)]
    return items


def demo_items(last_day: date = LAST_DAY) -> dict[str, list]:
    by_sku = defaultdict(list)
    for row in generate_history(last_day):
        by_sku[row.sku].append((row.date, row.qty))
    return dict(by_sku)


def score_item(sku: str, rows, last_day: date, fitters) -> dict:
    """The choice and every candidate of the item's kind, scored on the latest origin."""
    series = daily_series(rows, last_day)
    choice = choose(series, fitters, last_day.isoformat())
    cut = len(series) - HORIZON
    values = [q for _, q in series]
    scale = naive_scale(values[:cut]) if cut >= 28 else None
    out = {"sku": sku, "kind": series_kind(series)[0], "choice": choice, "models": {}}
    if scale is None:
        return out
    actual = values[cut:]

    def m(points):
        return (
            statistics.fmean(abs(a - p.yhat) for a, p in zip(actual, points, strict=True)) / scale
        )

    out["naive"] = m(seasonal_naive(series[:cut], HORIZON))
    for c in candidates_for(series, out["kind"], fitters):
        try:
            out["models"][family(c)] = m(run_candidate(c, series[:cut], HORIZON, fitters))
        except Exception:  # noqa: BLE001 - a model that cannot fit is left out of its family
            pass
    return out


def quality(name: str, items: dict, last_day: date, n_jobs: int, fitters) -> None:
    import joblib

    start = time.perf_counter()
    scored = joblib.Parallel(n_jobs=n_jobs)(
        joblib.delayed(score_item)(sku, rows, last_day, fitters) for sku, rows in items.items()
    )
    print(f"{name}_items={len(scored)}")
    print(f"{name}_seconds={time.perf_counter() - start:.1f}")
    chosen = [s for s in scored if s["choice"].mase is not None and "naive" in s]
    mase = statistics.fmean(s["choice"].mase for s in chosen)
    naive = statistics.fmean(s["naive"] for s in chosen)
    print(f"{name}_choice_mean_mase={mase:.3f} naive={naive:.3f} ratio={mase / naive:.3f}")
    cover = [s["choice"].coverage for s in chosen if s["choice"].coverage is not None]
    print(f"{name}_band_coverage_mean={statistics.fmean(cover):.3f}")
    inside = sum(1 for c in cover if 0.75 <= c <= 0.85)
    print(f"{name}_band_coverage_items_75_85={inside}/{len(cover)}")
    regular = [s for s in chosen if s["kind"] == REGULAR]
    if regular:
        m = statistics.fmean(s["choice"].mase for s in regular)
        n = statistics.fmean(s["naive"] for s in regular)
        print(f"{name}_regular_choice_ratio={m / n:.3f} items={len(regular)}")
    # Each model forced on every item of its kind, against the naive on the same items.
    for kind, models in CANDIDATES.items():
        for model in (*models, ENSEMBLE) if kind == REGULAR else models:
            rows = [s for s in chosen if s["kind"] == kind and model in s["models"]]
            if not rows:
                continue
            m = statistics.fmean(s["models"][model] for s in rows)
            n = statistics.fmean(s["naive"] for s in rows)
            print(f"{name}_always_{model}_ratio={m / n:.3f} items={len(rows)}")
    by_family = defaultdict(list)
    for s in chosen:
        by_family[s["choice"].model].append(s)
    for model, rows in sorted(by_family.items()):
        m = statistics.fmean(s["choice"].mase for s in rows)
        n = statistics.fmean(s["naive"] for s in rows)
        print(f"{name}_chose_{model}_items={len(rows)} mean_mase={m:.3f} ratio={m / n:.3f}")


HOLIDAY_CUT, HOLIDAY_DAYS = date(2025, 9, 8), 56


def score_across_golden_week(sku: str, rows, fitters) -> dict | None:
    """The choice made on the history up to `HOLIDAY_CUT` and its forecast of the next 56 days,
    across Golden Week, scored against the actual days (MASE; the naive repeats the last week)."""
    full = daily_series(rows, LAST_DAY)
    series = [x for x in full if x[0] <= HOLIDAY_CUT]
    actual = [q for d, q in full if HOLIDAY_CUT < d <= HOLIDAY_CUT + timedelta(days=HOLIDAY_DAYS)]
    scale = naive_scale([q for _, q in series]) if len(series) > 120 else None
    if scale is None:
        return None
    choice = choose(series, fitters, HOLIDAY_CUT.isoformat(), score_latest=False)
    points = forecast_with(sku, series, HOLIDAY_DAYS, choice, fitters).points

    def m(values) -> float:
        return statistics.fmean(abs(a - p) for a, p in zip(actual, values, strict=True)) / scale

    inside = sum(
        1 for a, p in zip(actual, points, strict=True) if p.yhat_lower <= a <= p.yhat_upper
    )
    return {
        "kind": choice.kind,
        "choice": m([p.yhat for p in points]),
        "naive": m([p.yhat for p in seasonal_naive(series, HOLIDAY_DAYS)]),
        "coverage": inside / len(actual),
    }


def quality_across_golden_week(name: str, items: dict, n_jobs: int, fitters) -> None:
    """Like the issue's outside test: 56 unseen days that hold Golden Week."""
    import joblib

    scored = joblib.Parallel(n_jobs=n_jobs)(
        joblib.delayed(score_across_golden_week)(sku, rows, fitters) for sku, rows in items.items()
    )
    scored = [s for s in scored if s is not None]
    mase = statistics.fmean(s["choice"] for s in scored)
    naive = statistics.fmean(s["naive"] for s in scored)
    print(
        f"{name}_golden_week_56d_choice_mean_mase={mase:.3f} naive={naive:.3f} "
        f"ratio={mase / naive:.3f} items={len(scored)}"
    )
    cover = statistics.fmean(s["coverage"] for s in scored)
    print(f"{name}_golden_week_56d_band_coverage_mean={cover:.3f}")


def _prophet_one(series, days):
    return ProphetFitter()(series, days)


_REFERENCE_SCRIPT = """
import pickle, sys, time
import joblib
from adapters.forecasting.prophet_model import ProphetFitter

def one(series):
    return len(ProphetFitter()(series, 30))

with open(sys.argv[1], "rb") as f:
    series = pickle.load(f)
start = time.perf_counter()
joblib.Parallel(n_jobs=int(sys.argv[2]))(joblib.delayed(one)(s) for s in series)
print(time.perf_counter() - start)
"""


def reference_batch_s(checkout: str, series: list, n_jobs: int) -> float:
    """The Prophet-only batch of the same series with the ProphetFitter of another checkout
    (for example the code when issue 22 was filed: `git worktree add DIR 90e4724`), in a
    process of its own."""
    import pickle

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "series.pickle"
        path.write_bytes(pickle.dumps(series))
        env = {**os.environ, "PYTHONPATH": str(Path(checkout).resolve())}
        out = subprocess.run(
            [sys.executable, "-c", _REFERENCE_SCRIPT, str(path), str(n_jobs)],
            env=env, cwd=checkout, check=True, capture_output=True, text=True,
        )  # fmt: skip
    return float(out.stdout.split()[-1])


def batch_times(n: int, n_jobs: int, reference: str | None = None) -> None:
    import joblib

    items = synthetic_items(n, seed=11)
    print(f"batch_items={n}")
    print(f"load_avg_1m_before_batch={os.getloadavg()[0]:.2f}")
    series = [daily_series(rows, LAST_DAY) for rows in items.values()]
    reference_s = None
    if reference:
        reference_s = reference_batch_s(reference, series, n_jobs)
        print(f"batch_reference_prophet_only_s={reference_s:.1f} checkout={reference}")
    start = time.perf_counter()
    joblib.Parallel(n_jobs=n_jobs)(joblib.delayed(_prophet_one)(s, 30) for s in series)
    prophet_s = time.perf_counter() - start
    print(f"batch_prophet_only_s={prophet_s:.1f}")
    store = MemoryStore()
    start = time.perf_counter()
    first = forecast_all(items, 30, LAST_DAY, n_jobs=n_jobs, store=store)
    first_s = time.perf_counter() - start
    assert len(first.chosen) == n, first.errors
    line = f"batch_first_run_with_choice_s={first_s:.1f} x_prophet_only={first_s / prophet_s:.2f}"
    if reference_s:
        line += f" x_reference={first_s / reference_s:.2f}"
    print(line)
    nxt = LAST_DAY + timedelta(days=1)
    for sku in items:
        items[sku] = [*items[sku], (nxt, 1.0)]
    start = time.perf_counter()
    second = forecast_all(items, 30, nxt, n_jobs=n_jobs, store=store)
    second_s = time.perf_counter() - start
    assert len(second.fitted) == n and not second.chosen
    print(
        f"batch_nightly_refit_stored_choices_s={second_s:.1f} x_prophet_only={second_s / prophet_s:.2f}"
    )
    start = time.perf_counter()
    third = forecast_all(items, 30, nxt, n_jobs=n_jobs, store=store)
    assert len(third.cached) == n
    print(f"batch_unchanged_from_store_s={time.perf_counter() - start:.2f}")
    print(f"load_avg_1m_after_batch={os.getloadavg()[0]:.2f}")


def _timed(argv: list[str], env: dict, cwd: str) -> tuple[float, float]:
    """Wall and CPU seconds (the child's user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def cli_times(runs: int) -> None:
    jxc = [sys.executable, "-m", "adapters.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "JXC_DATABASE_URL": f"sqlite:///{tmp}/jxc.db",
               "JXC_NOW": "2026-06-15T10:00:00+08:00", "PYTHONPATH": str(ROOT)}  # fmt: skip
        subprocess.run([*jxc, "init", "--demo"], env=env, cwd=tmp, check=True, capture_output=True)
        print(f"load_avg_1m_before_cli={os.getloadavg()[0]:.2f}")
        for sku in ("TAPE-48", "BOX-L", "DRILL-18V"):
            wall, cpu = _timed([*jxc, "forecast", sku, "--json"], env, tmp)
            print(f"cli_{sku}_first_with_choice_wall_s={wall:.2f} cpu_s={cpu:.2f}")
        figures = defaultdict(list)
        for n in range(runs):
            figures["stock"].append(_timed([*jxc, "stock", "M6-20", "--json"], env, tmp))
            for sku in ("TAPE-48", "BOX-L", "DRILL-18V"):
                figures[f"{sku}_stored"].append(
                    _timed([*jxc, "forecast", sku, "--days", "7", "--json"], env, tmp)
                )
                csv = Path(tmp) / "more.csv"
                csv.write_text(
                    f"date,sku,qty,customer,unit_price\n2026-06-1{n % 4},{sku},1,ACME,1.00\n"
                )
                subprocess.run([*jxc, "import", "sales_history", str(csv)], env=env, cwd=tmp,
                               check=True, capture_output=True)  # fmt: skip
                figures[f"{sku}_refit"].append(
                    _timed([*jxc, "forecast", sku, "--days", "7", "--json"], env, tmp)
                )
        for key, values in figures.items():
            wall = statistics.median(v[0] for v in values)
            cpu = statistics.median(v[1] for v in values)
            print(f"cli_{key}_median_wall_s={wall:.2f} cpu_s={cpu:.2f}")
        print(f"load_avg_1m_after_cli={os.getloadavg()[0]:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer items and runs")
    parser.add_argument("--items", type=int, help="batch items (default 1000, quick 40)")
    parser.add_argument("--synthetic", type=int, help="quality items (default 60, quick 24)")
    parser.add_argument("--n-jobs", type=int, default=-1, help="joblib workers (-1: all cores)")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument(
        "--reference",
        metavar="CHECKOUT",
        help="also time the Prophet-only batch with the ProphetFitter of this checkout",
    )
    args = parser.parse_args(argv)
    import joblib

    cores = joblib.cpu_count() if args.n_jobs == -1 else args.n_jobs
    print(f"cores={cores}")
    print(f"load_avg_1m_before={os.getloadavg()[0]:.2f}")
    fitters = default_fitters()
    if not args.skip_quality:
        quality("demo", demo_items(), LAST_DAY, args.n_jobs, fitters)
        n_syn = args.synthetic or (24 if args.quick else 60)
        quality("synthetic", synthetic_items(n_syn), LAST_DAY, args.n_jobs, fitters)
        quality_across_golden_week("demo", demo_items(), args.n_jobs, fitters)
        quality_across_golden_week("synthetic", synthetic_items(n_syn), args.n_jobs, fitters)
    if not args.skip_cli:
        cli_times(2 if args.quick else 5)
    if not args.skip_batch:
        batch_times(args.items or (40 if args.quick else 1000), args.n_jobs, args.reference)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
