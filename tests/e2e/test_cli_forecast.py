"""`jxc forecast` and `jxc digest` as real processes on a `jxc init --demo` database."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest

from tests.conftest import RUN_DIR, cli_env, jxc

SKU = "TAPE-48"
REGULAR_MODELS = ("prophet", "auto_ets", "mstl", "ensemble")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'jxc.db'}"
    jxc(url, "init", "--demo", check=True)
    return url


def test_forecast_json_is_n_days_after_the_last_day_of_history(demo_db):
    proc = jxc(demo_db, "forecast", SKU, "--days", "10", "--json", check=True)
    result = json.loads(proc.stdout)  # one JSON document, nothing else on stdout
    assert result["sku"] == SKU and result["model"] in REGULAR_MODELS
    assert "chosen by backtest" in result["reason"]
    # The demo history ends the day before the clock's day (JXC_NOW 2026-06-15).
    first = date(2026, 6, 15)
    assert [p["date"] for p in result["points"]] == [
        (first + timedelta(days=i)).isoformat() for i in range(10)
    ]
    assert all(0 <= p["yhat_lower"] <= p["yhat"] <= p["yhat_upper"] for p in result["points"])


def test_forecast_png_writes_a_chart(demo_db, tmp_path):
    png = tmp_path / "f.png"
    proc = jxc(demo_db, "forecast", SKU, "--days", "10", "--png", str(png), check=True)
    assert "chosen by backtest" in proc.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_bad_days_are_misuse_and_unknown_sku_is_an_error(demo_db):
    assert jxc(demo_db, "forecast", SKU, "--days", "0").returncode == 2
    assert jxc(demo_db, "forecast", SKU, "--days", "366").returncode == 2
    proc = jxc(demo_db, "forecast", "NO-SUCH", "--json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["error"]["code"] == "unknown_item"


def test_backtest_shows_each_items_choice_and_the_models_chosen(demo_db):
    proc = jxc(
        demo_db, "forecast", "--backtest", "--items", "TAPE-48,GLUE-AB,HELMET", "--jobs", "1",
        "--json", check=True,
    )  # fmt: skip
    out = json.loads(proc.stdout)
    assert set(out) == {"items", "mean_mase", "mean_mase_naive", "families"}
    assert [r["sku"] for r in out["items"]] == ["GLUE-AB", "HELMET", "TAPE-48"]
    rows = {r["sku"]: r for r in out["items"]}
    for r in out["items"]:
        assert set(r) == {"sku", "model", "mase", "mase_naive"}
    assert rows["TAPE-48"]["model"] in REGULAR_MODELS
    assert rows["HELMET"]["model"] in ("croston_sba", "adida", "imapa")
    assert rows["GLUE-AB"]["model"] == "seasonal_mean"
    assert rows["TAPE-48"]["mase"] < rows["TAPE-48"]["mase_naive"]
    families = {f["model"]: f for f in out["families"]}
    assert sum(f["items"] for f in out["families"]) == 3
    for sku in ("TAPE-48", "HELMET"):
        family = families[rows[sku]["model"]]
        assert family["items"] >= 1 and family["mean_mase"] > 0
    # The choices are stored: a forecast next reuses TAPE-48's without choosing again.
    text = jxc(demo_db, "forecast", "TAPE-48", "--days", "3", check=True).stdout
    assert "chosen by backtest" in text
    table = jxc(demo_db, "forecast", "--backtest", "--items", "HELMET", "--jobs", "1").stdout
    assert "by model: how many items chose it" in table


def test_forecast_all_stores_forecasts_and_a_rerun_reuses_them(demo_db):
    items = "M6-20,GLUE-AB,BOX-S"
    first = jxc(demo_db, "forecast", "--all", "--items", items, "--jobs", "1", "--json")
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert summary["items"] == 3 and summary["fitted"] + summary["cached"] == 3
    assert summary["chosen"] <= summary["fitted"]
    again = json.loads(
        jxc(demo_db, "forecast", "--all", "--items", items, "--jobs", "1", "--json").stdout
    )
    assert again["cached"] == 3 and again["fitted"] == 0


def test_digest_prints_text_and_a_chart(demo_db, tmp_path):
    png = tmp_path / "digest.png"
    proc = jxc(demo_db, "digest", "--png", str(png), check=True)
    assert "Stock value" in proc.stdout and "Top sellers" in proc.stdout
    assert f"chart: {png}" in proc.stdout and png.exists()
    sent = jxc(demo_db, "digest", "--send", "--kind", "weekly", check=True)
    assert sent.stdout.count("--- to ") == 3  # admin and the two approvers


def test_serve_runs_the_scheduler_until_sigterm_and_exits_cleanly(demo_db):
    proc = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "scheduler"],
        env=cli_env(demo_db),
        cwd=RUN_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        line = ""
        while not line.startswith("ready:") and time.monotonic() < deadline:
            line = proc.stderr.readline()
        # the digests, the approval sweep and the reorder sweep
        assert line.startswith("ready: scheduler (") and "job(s)" in line
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_forecast_text_rounds_to_what_the_unit_allows(demo_db):
    # DRILL-18V is counted in 台: whole drills in text; the JSON keeps the model's numbers.
    text = jxc(demo_db, "forecast", "DRILL-18V", "--days", "5", check=True).stdout.splitlines()
    days = [line.split() for line in text[2:]]
    assert len(days) == 5
    for _, yhat, lo, _, hi in days:
        assert all(x.strip("[]").isdigit() for x in (yhat, lo, hi))
    assert " 台 (80 % range of the daily sums " in text[1]
    points = json.loads(
        jxc(demo_db, "forecast", "DRILL-18V", "--days", "5", "--json", check=True).stdout
    )["points"]
    assert any(p["yhat"] != int(p["yhat"]) for p in points)
