"""The console chat keeps to the subject: a new order while a "did you mean" waits is a new
proposal, a question while an order number is asked is answered, a refused order is sent from the
warehouse named next, and a short line does not sink an order."""

from __future__ import annotations

import json

import pytest

from tests.conftest import jxc, run_json

pytestmark = pytest.mark.db


def answers(proc) -> list[str]:
    return [a.strip() for a in proc.stdout.split("\n\n") if a.strip()]


def orders(db) -> list[dict]:
    return json.loads(jxc(db, "orders", "--json").stdout)


def stock(db, sku: str) -> dict:
    return {r["warehouse"]: r for r in json.loads(jxc(db, "stock", sku, "--json").stdout)}


@pytest.fixture
def shop(master_db):
    run_json(
        master_db,
        {"intent": "stock.receive", "item": "M8-NUT", "qty": "500"},
        {"intent": "stock.receive", "item": "HAMMER", "qty": "100"},
        {"intent": "stock.receive", "item": "PLIERS", "qty": "10"},
        {"intent": "stock.receive", "item": "DRILL-18V", "qty": "1"},
        {"intent": "stock.receive", "item": "DRILL-18V", "qty": "5", "warehouse": "BJ"},
    )
    return master_db


def test_a_new_order_while_did_you_mean_waits_is_proposed_and_booked(shop):
    proc = jxc(shop, "chat", "--user", "wang", input="旭日要3台电转\n贝塔要100个M8螺母\n是\n")
    out = answers(proc)
    assert "DRILL-18V" in out[0]
    first, proposal = out[1].split("\n", 1)
    assert "已放弃" in first and "BETA" in proposal and "100 × M8螺母" in proposal
    assert "SUNRISE" not in out[1]
    assert out[2].startswith("销售单 SO-0001（BETA）")
    assert [o["partner"] for o in orders(shop)] == ["BETA"]


def test_a_question_while_an_order_number_is_asked_cancels_nothing(shop):
    jxc(shop, "chat", "--user", "sam", input="sell 10 hammers to acme\nyes\n")
    proc = jxc(shop, "chat", "--user", "sam", input="cancel my order\nis SO-0001 shipped?\nyes\n")
    out = answers(proc)
    assert "order number" in out[0].lower()
    assert "SO-0001" in out[1] and "Confirm?" not in out[1]
    assert out[2] == "There is nothing waiting for your confirmation."
    assert orders(shop)[0]["status"] == "confirmed"


def test_a_refused_order_is_sent_from_the_warehouse_named_next(shop):
    proc = jxc(shop, "chat", "--user", "wang", input="绿居要3个电钻\n那从北京发吧\n是\n")
    out = answers(proc)
    assert "BJ" in out[0] and "确认吗" not in out[0]
    assert "GREEN" in out[1] and "确认吗" in out[1]
    assert "已确认" in out[2] or "SO-0001" in out[2]
    drills = stock(shop, "DRILL-18V")
    assert drills["BJ"]["reserved"] == "3" and drills["MAIN"]["reserved"] == "0"


def test_a_short_line_leaves_the_rest_of_the_order_standing(shop):
    proc = jxc(shop, "chat", "--user", "sam", input="acme wants 24 hammers and 50 pliers\nyes\n")
    out = answers(proc)
    assert "24 × claw hammer" in out[0] and "Confirm?" in out[0]
    assert "PLIERS" in out[0] and "50 wanted" in out[0]
    assert out[1].startswith("Sales order SO-0001 for ACME")
    assert stock(shop, "HAMMER")["MAIN"]["reserved"] == "24"
    assert stock(shop, "PLIERS")["MAIN"]["reserved"] == "0"
