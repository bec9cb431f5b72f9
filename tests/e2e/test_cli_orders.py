"""Orders and approvals through `jxc run` and `jxc orders`, as a script would drive them."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT, jxc, run_json

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
        {
            "intent": "approval.decide",
            "request": "a-1",
            "decision": "reject",
            "reason": "too cheap",
        },
        user="mary",
    )
    assert decided[0]["result"]["subject_status"] == "cancelled"
    assert decided[0]["result"]["details"]["lines"][0]["discount"] == "30"
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
    rejected = json.loads(jxc(master_db, "orders", "SO-0002", "--json", check=True).stdout)[0]
    assert rejected["reason"] == "too cheap"
    assert "reason" not in one[0]
    text = jxc(master_db, "orders", "SO-0002", check=True).stdout
    assert "SO-0002 rejected: too cheap" in text and "30%" in text
    assert jxc(master_db, "orders", "SO-0099", "--json").returncode == 1
    assert jxc(master_db, "orders", "--status", "bogus").returncode == 2
    stock = json.loads(jxc(master_db, "stock", "M6-20", "--json", check=True).stdout)[0]
    assert (stock["on_hand"], stock["on_order"], stock["projected"]) == ("980", "500", "1480")


def test_what_jxc_run_stores_for_a_price_with_a_discount(master_db):
    # 艾克米要 M6 200个 每个0.22 九五折 → 200 × 0.209 = 41.80 (not 47.50, not 44.00).
    results = run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "1000", "unit_cost": "0.12"},
        {
            "intent": "sales.create",
            "customer": "ACME",
            "lines": [{"item": "M6-20", "qty": "200", "price": "0.22", "discount": "5"}],
        },
    )
    created = results[1]["result"]
    assert (created["total"], created["lines"][0]["price"], created["lines"][0]["amount"]) == (
        "41.80",
        "0.209",
        "41.80",
    )
    assert created["reasons_zh"] == ["M6螺栓（M6-20） 折扣 16.4% 超过 10%"]
    rows = json.loads(jxc(master_db, "orders", created["order"], "--json", check=True).stdout)
    assert (rows[0]["total"], rows[0]["lines"][0]["list_price"]) == ("41.80", "0.25")


def test_jxc_orders_shows_what_each_line_shipped(master_db, monkeypatch):
    run_json(
        master_db,
        {"intent": "stock.receive", "item": "M6-20", "qty": "100", "unit_cost": "0.12"},
        {"intent": "stock.receive", "item": "M6-NUT", "qty": "100", "unit_cost": "0.03"},
        {
            "intent": "sales.create",
            "customer": "ACME",
            "lines": [{"item": "M6-20", "qty": "20"}, {"item": "M6-NUT", "qty": "30"}],
        },
        {"intent": "sales.ship", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "8"}]},
    )
    (row,) = json.loads(jxc(master_db, "orders", "SO-0001", "--json", check=True).stdout)
    assert row["status"] == "partially_shipped"
    assert [(ln["item"], ln["qty"], ln["shipped"]) for ln in row["lines"]] == [
        ("M6-20", "20", "8"),
        ("M6-NUT", "30", "0"),
    ]
    open_rows = json.loads(
        jxc(master_db, "orders", "--status", "partially_shipped", "--json").stdout
    )
    assert [r["order"] for r in open_rows] == ["SO-0001"]
    monkeypatch.setenv("COLUMNS", "200")  # one line per order, however narrow the terminal
    text = jxc(master_db, "orders", "SO-0001", check=True).stdout
    assert "M6-20 × 20 @ 0.25 (8 shipped), M6-NUT × 30 @ 0.08" in text


def test_only_an_admin_changes_rules_or_imports(master_db):
    rules = jxc(master_db, "rules", "set", "approval.purchase_total", "1", "--user", "mary")
    assert rules.returncode == 1
    assert "mary (approver) may not change rules; only an admin may" in rules.stderr
    items = str(ROOT / "adapters" / "demo_data" / "items.csv")
    imported = jxc(master_db, "import", "items", items, "--user", "wang")
    assert imported.returncode == 1
    assert "wang (sales) may not import; only an admin may" in imported.stderr
    assert jxc(master_db, "import", "items", items, "--user", "admin").returncode == 0
