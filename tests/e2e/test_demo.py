"""`jxc init --demo` as a real process: a shop with eight weeks of past, so every report has
figures on day one. The clock stands at 2026-06-15; the played weeks start on 2026-04-20."""

from __future__ import annotations

import json
import os
import time

import pytest

from tests.conftest import _fresh_pg, jxc

pytestmark = pytest.mark.db


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[str, float, str]:
    """The demo database, how long `jxc init --demo` took, and what it printed."""
    pg = os.environ.get("JXC_TEST_DATABASE_URL")
    url = _fresh_pg(pg) if pg else f"sqlite:///{tmp_path_factory.mktemp('demo') / 'jxc.db'}"
    began = time.monotonic()
    proc = jxc(url, "init", "--demo", check=True, timeout=180, process=True)
    return url, time.monotonic() - began, proc.stdout


def as_json(url: str, *args: str):
    return json.loads(jxc(url, *args, "--json", check=True).stdout)


def test_the_demo_is_seeded_within_a_minute_and_says_what_it_played(demo):
    _, seconds, out = demo
    assert seconds < 60
    assert "sales history rows until 2026-04-19" in out
    assert "the eight weeks since played:" in out and " 4 decisions" in out


def test_every_kpi_has_a_figure_on_day_one(demo):
    url, _, _ = demo
    kpi = {r["kpi"]: r for r in as_json(url, "report", "kpi")["rows"]}
    assert all(r["value"] is not None for r in kpi.values())
    assert kpi["turnover"]["value"] > 0
    # A few orders shipped in two parts: their first shipment was not complete.
    assert 0.9 < kpi["fill_rate"]["value"] < 1
    # A few receipts came late.
    assert 0.8 < kpi["supplier_on_time"]["value"] < 1
    assert 0 < kpi["count_discrepancy"]["value"] < 0.02
    assert kpi["count_discrepancy"]["basis"].endswith(" counts)")


def test_turnover_averages_the_month_ends_since_the_played_weeks_began(demo):
    url, _, _ = demo
    s = as_json(url, "report", "turnover")["summary"]
    assert [m["date"] for m in s["month_ends"]] == ["2026-04-30", "2026-05-31", "2026-06-15"]
    assert float(s["cogs"]) > 0 and float(s["avg_value"]) > 0
    assert s["days_covered"] == 57


def test_orders_show_a_lived_past(demo):
    url, _, _ = demo
    orders = as_json(url, "orders")
    by_status: dict[tuple[str, str], list] = {}
    for o in orders:
        by_status.setdefault((o["kind"], o["status"]), []).append(o)
    assert len(by_status[("sales", "shipped")]) > 200
    assert len(by_status[("purchase", "received")]) > 20
    # Yesterday's orders wait to ship today; some purchase orders are still on their way.
    assert by_status[("sales", "confirmed")] and by_status[("purchase", "confirmed")]
    (rejected,) = by_status[("sales", "cancelled")]
    assert rejected["reason"] == "20 % is below our floor for paint; 10 % at most"
    first = next(o for o in orders if o["order"] == "SO-0001")
    assert first["created_at"].startswith("2026-04-20")


def test_one_request_of_each_kind_waits(demo):
    url, _, _ = demo
    rows = as_json(url, "report", "pending_approvals")["rows"]
    assert sorted(r["subject_kind"] for r in rows) == [
        "purchase_order",
        "sales_order",
        "stock_count",
    ]
    suppliers = as_json(url, "report", "supplier_performance")["rows"]
    assert {r["supplier"] for r in suppliers} == {"ECH", "HZP", "SAFE", "SZT"}


def test_the_demo_books_balance(demo):
    url, _, _ = demo
    proc = jxc(url, "verify")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("books balance: ")


def test_the_digest_has_figures_on_day_one(demo):
    url, _, _ = demo
    text = jxc(url, "digest", "--lang", "zh", check=True).stdout
    assert "待审批：3" in text
    assert "供应商准时率：" in text and "无数据" not in text
