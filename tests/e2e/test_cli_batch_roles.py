"""The CLI's batch and admin doors go through the message bus and its role checks: a backtest
is any viewer's, the catalogue forecast a buyer's, sending a digest and changing its schedules
an admin's (design, Roles)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.conftest import jxc
from tests.e2e.test_cli_errors import assert_clean

SCHEDULES = json.dumps([{"kind": "daily", "at": "07:15", "to": ["mary"]}])


@pytest.fixture
def history_db(master_db, tmp_path) -> str:
    """The demo master data with 10 weeks of daily sales of TAPE-48 up to the clock's day."""
    path = tmp_path / "history.csv"
    last = date(2026, 6, 14)
    rows = ["date,sku,qty,customer,unit_price"]
    for back in range(70):
        day = last - timedelta(days=back)
        rows.append(f"{day.isoformat()},TAPE-48,{10 + back % 7},ACME,3.50")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    jxc(master_db, "import", "sales_history", str(path), check=True)
    return master_db


@pytest.mark.parametrize(
    "args",
    [
        ["forecast", "--all", "--user", "tom"],
        ["forecast", "--all", "--items", "TAPE-48", "--user", "wang", "--json"],
        ["digest", "--send", "--user", "zhao"],
        ["digest", "--set-schedules", SCHEDULES, "--user", "mary", "--json"],
    ],
    ids=lambda a: " ".join(a),
)
def test_a_role_without_the_right_is_refused_in_one_line(master_db, args):
    proc = jxc(master_db, *args)
    lines = assert_clean(proc, 1)
    if "--json" in args:
        body = json.loads(proc.stdout)
        assert body["ok"] is False and body["error"]["code"] == "not_permitted", body
    else:
        assert lines == [lines[0]] and lines[0].startswith("error (not_permitted): "), lines
        assert args[-1] in lines[0]
    shown = json.loads(jxc(master_db, "digest", "--schedules", "--json", check=True).stdout)
    assert all(s["at"] != "07:15" for s in shown)


def test_a_buyer_forecasts_the_catalogue_and_a_viewer_backtests_it(history_db):
    proc = jxc(
        history_db, "forecast", "--all", "--items", "TAPE-48", "--jobs", "1", "--json",
        "--user", "zhao",
    )  # fmt: skip
    assert_clean(proc, 0)
    summary = json.loads(proc.stdout)
    assert (summary["items"], summary["stored"], summary["failed"]) == (1, 1, {})
    assert summary["last_day_of_history"] == "2026-06-14"
    # The stored forecast is the one a single forecast reuses.
    one = json.loads(jxc(history_db, "forecast", "TAPE-48", "--json", check=True).stdout)
    assert one["sku"] == "TAPE-48" and len(one["points"]) == 30

    proc = jxc(
        history_db, "forecast", "--backtest", "--items", "TAPE-48", "--jobs", "1", "--json",
        "--user", "tom",
    )  # fmt: skip
    assert_clean(proc, 0)
    (row,) = json.loads(proc.stdout)["items"]
    # Ten weeks are too short for four origins 28 days apart: scored as unknown, not made up.
    assert row["sku"] == "TAPE-48" and row["model"] and row["mase"] is None


def test_an_unknown_sku_in_a_batch_is_an_unknown_item(history_db):
    proc = jxc(history_db, "forecast", "--all", "--items", "TAPE-4", "--user", "zhao")
    (line,) = assert_clean(proc, 1)
    assert line.startswith("error (unknown_item): unknown item 'TAPE-4'"), line


def test_an_admin_changes_the_schedules_and_sends_the_digest(master_db):
    proc = jxc(master_db, "digest", "--set-schedules", SCHEDULES, "--json")
    assert_clean(proc, 0)
    assert json.loads(proc.stdout) == json.loads(SCHEDULES)
    sent = jxc(master_db, "digest", "--send", "--user", "admin")
    assert_clean(sent, 0)
    assert "--- to mary ---" in sent.stdout and "--- to admin ---" not in sent.stdout
    assert "daily digest sent to 1 recipient(s)" in sent.stderr
