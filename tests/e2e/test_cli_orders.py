"""Orders and approvals through `jxc run` and `jxc orders`, as a script would drive them."""

from __future__ import annotations

import json

import pytest

from tests.conftest import jxc, run_json

pytestmark = pytest.mark.db


def test_order_flow_through_the_cli(master_db):
    results = run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "1000", "unit_cost": "0.12"},
        {
            "intent": "purchase.create",
            "supplier": "ECH",
            "lines": [{"item": "M6-20", "qty": "500"}],
        },
        {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "M6-20", "qty": "20"}]},
        {
            "intent": "sales.create",
            "customer": "ACME",
            "lines": [{"item": "M6-20", "qty": "10", "discount": "30"}],
        },
        {"intent": "sales.ship", "order": "SO-0001"},
        {"intent": "purchase.create", "supplier": "ACME", "lines": [{"item": "M6-20", "qty": "1"}]},
    )
    assert [r["ok"] for r in results] == [True] * 5 + [False]
    assert results[2]["result"]["order"] == "SO-0001"
    assert (results[3]["result"]["status"], results[3]["result"]["approval"]) == (
        "pending_approval",
        "A-1",
    )
    assert results[5]["error"]["code"] == "wrong_partner_kind"
    decided = run_json(
        master_db,
        {"intent": "approval.decide", "request": "a-1", "decision": "reject"},
        user="mary",
    )
    assert decided[0]["result"]["subject_status"] == "cancelled"
    rows = json.loads(jxc(master_db, "orders", "--json", check=True).stdout)
    assert [(r["order"], r["kind"], r["partner"], r["status"], r["total"]) for r in rows] == [
        ("PO-0001", "purchase", "ECH", "confirmed", "60.00"),
        ("SO-0001", "sales", "ACME", "shipped", "5.00"),
        ("SO-0002", "sales", "ACME", "cancelled", "1.75"),
    ]
    one = json.loads(jxc(master_db, "orders", "so-0001", "--json", check=True).stdout)
    assert one[0]["lines"] == [
        {
            "item": "M6-20",
            "name": "M6x20 hex bolt",
            "name_zh": "M6螺栓",
            "qty": "20",
            "price": "0.25",
            "list_price": "0.25",
            "discount": "0",
            "amount": "5.00",
            "shipped": "20",
        }
    ]
    assert jxc(master_db, "orders", "SO-0099", "--json").returncode == 1
    assert jxc(master_db, "orders", "--status", "bogus").returncode == 2
    stock = json.loads(jxc(master_db, "stock", "M6-20", "--json", check=True).stdout)[0]
    assert (stock["on_hand"], stock["on_order"], stock["projected"]) == ("980", "500", "1480")
