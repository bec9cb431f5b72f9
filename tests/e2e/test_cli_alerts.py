"""`jxc alerts`: an alert appears right after the command that caused it (the inline feed), in
the user's language; acknowledging and snoozing, and what is refused."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.conftest import jxc, run_json

pytestmark = pytest.mark.db


@pytest.fixture
def gloves_db(master_db, tmp_path):
    end = date(2026, 6, 14)
    rows = ["date,sku,qty,customer,unit_price"] + [
        f"{end - timedelta(days=i)},GLOVE-L,10,ACME," for i in range(60)
    ]
    path = tmp_path / "history.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    jxc(master_db, "import", "sales_history", str(path), check=True)
    return master_db


def alerts(db, *args):
    proc = jxc(db, "alerts", "--json", *args)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_a_receipt_below_the_reorder_point_is_an_alert_at_once(gloves_db):
    (result,) = run_json(gloves_db, {"intent": "stock.receive", "item": "GLOVE-L", "qty": "50"})
    assert result["ok"]
    (row,) = alerts(gloves_db)
    assert set(row) == {"id", "kind", "subject", "message", "status"}
    assert (row["id"], row["kind"], row["subject"], row["status"]) == (
        1,
        "reorder",
        "GLOVE-L",
        "open",
    )
    assert row["message"].startswith("GLOVE-L below reorder point: projected 50 (50 available")
    # the buyer zhao reads Chinese; tom (viewer) was sent nothing
    assert alerts(gloves_db, "--user", "zhao")[0]["message"].startswith("GLOVE-L 低于再订货点")
    assert alerts(gloves_db, "--user", "tom") == []


def test_acknowledge_and_snooze_and_their_refusals(gloves_db):
    run_json(gloves_db, {"intent": "stock.receive", "item": "GLOVE-L", "qty": "50"})
    refused = jxc(gloves_db, "alerts", "ack", "1", "--user", "tom", "--json")
    assert refused.returncode == 1
    assert json.loads(refused.stdout)["error"]["code"] == "not_permitted"
    unknown = jxc(gloves_db, "alerts", "ack", "99", "--json")
    assert (unknown.returncode, json.loads(unknown.stdout)["error"]["code"]) == (1, "unknown_alert")
    assert jxc(gloves_db, "alerts", "snooze", "1", "--days", "0").returncode == 2
    snoozed = jxc(gloves_db, "alerts", "snooze", "1", "--days", "3", "--user", "zhao")
    assert snoozed.returncode == 0 and "预警 1 已推迟 3 天" in snoozed.stdout
    assert alerts(gloves_db) == []
    (row,) = alerts(gloves_db, "--all")
    assert row["status"] == "snoozed"
    assert jxc(gloves_db, "alerts", "ack", "1", "--user", "zhao").returncode == 0
    # receiving enough resolves it; a resolved alert cannot be acknowledged
    run_json(gloves_db, {"intent": "stock.receive", "item": "GLOVE-L", "qty": "500"})
    assert alerts(gloves_db, "--all")[0]["status"] == "resolved"
    again = jxc(gloves_db, "alerts", "ack", "1", "--json")
    assert json.loads(again.stdout)["error"]["code"] == "invalid_state"


def test_jxc_run_speaks_the_alert_intents(gloves_db):
    run_json(gloves_db, {"intent": "stock.receive", "item": "GLOVE-L", "qty": "50"})
    listed, snoozed = run_json(
        gloves_db,
        {"intent": "alert.list"},
        {"intent": "alert.snooze", "alert": 1, "days": -1},
    )
    assert listed["result"]["alerts"][0]["id"] == 1
    assert snoozed["error"]["code"] == "invalid_quantity"
    (ordered,) = run_json(gloves_db, {"intent": "alert.order", "alert": 1}, user="zhao")
    assert ordered["ok"] is False and ordered["error"]["code"] == "missing_slot"
