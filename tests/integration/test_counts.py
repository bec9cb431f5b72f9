"""A count that waits for approval posts what was approved, and a count below what is reserved
posts, says which orders are short, and never shows available below zero."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from sqlalchemy import select

from domain.errors import InsufficientStock
from domain.messages.commands import (
    CountStock,
    CreateSalesOrder,
    DecideApproval,
    IssueStock,
    Line,
    ListApprovals,
    QueryStock,
    ReceiveStock,
    ShipSalesOrder,
)
from domain.messages.results import PostedCount
from domain.model import Outbox
from tests.conftest import jxc, run_json

pytestmark = pytest.mark.db
D = Decimal


def stock(app, sku, wh="MAIN"):
    return app.bus.execute(QueryStock(item=sku, warehouse=wh), app.bus.user("admin")).rows[0]


def events(app, name):
    with app.uow(write=False) as uow:
        rows = uow.execute(
            select(Outbox.__table__.c.payload).where(Outbox.__table__.c.event == name)
        )
        return [json.loads(p) for (p,) in rows]


def test_an_approved_count_posts_the_difference_approved_not_the_count_again(app, users):
    # 盘点 手套 实际 1198 against a book of 1000 asks for +198; 10 are issued meanwhile.
    bus, li, mary = app.bus, users["li"], users["mary"]
    bus.execute(ReceiveStock(item="GLOVE-L", qty=D(1000), unit_cost=D("1.30")), li)
    count = bus.execute(CountStock(item="GLOVE-L", counted_qty=D(1198)), li)
    assert (count.status, count.diff_qty) == ("pending_approval", "198")
    assert count.reasons_zh == ("差异占账面 19.8%，超过 2%",)
    bus.execute(IssueStock(item="GLOVE-L", qty=D(10)), li)
    decided = bus.execute(DecideApproval(request=count.approval, decision="approve"), mary)
    assert stock(app, "GLOVE-L").on_hand == "1188"  # 990 + 198, not 1198 (+208)
    assert decided.posted == PostedCount(
        diff_qty="+198",
        diff_value="257.40",
        book_qty_at_count="1000",
        book_qty_before="990",
        on_hand="1188",
        book_moved=True,
    )
    assert decided.details == {
        "count": count.count,
        "item": "GLOVE-L",
        "name": "work gloves size L",
        "name_zh": "劳保手套",
        "warehouse": "MAIN",
        "book_qty": "1000",
        "counted_qty": "1198",
        "diff_qty": "198",
        "diff_value": "257.40",
    }


def test_a_count_below_what_is_reserved_posts_and_names_the_orders_short(app, users):
    bus, li, mary, wang = app.bus, users["li"], users["mary"], users["wang"]
    bus.execute(ReceiveStock(item="HAMMER", qty=D(100)), li)
    so = bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(80)),)), wang)
    assert so.status == "confirmed"
    count = bus.execute(CountStock(item="HAMMER", counted_qty=D(30)), li)
    bus.execute(DecideApproval(request=count.approval, decision="approve"), mary)
    row = stock(app, "HAMMER")
    assert (row.on_hand, row.reserved, row.available, row.short) == (
        "30",
        "80",
        "0",
        "50",
    )
    assert events(app, "StockShort") == [
        {
            "sku": "HAMMER",
            "warehouse": "MAIN",
            "on_hand": "30",
            "reserved": "80",
            "short": "50",
            "orders": [so.order],
        }
    ]
    # Nothing offers or refuses with a negative availability.
    with pytest.raises(InsufficientStock) as sale:
        bus.execute(CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(1)),)), wang)
    assert "only 0 pcs of HAMMER available in MAIN" in sale.value.message
    assert "-50" not in sale.value.zh and "可用只有 0" in sale.value.zh
    with pytest.raises(InsufficientStock) as ship:
        bus.execute(ShipSalesOrder(order=so.order), li)
    assert "only 30 pcs of HAMMER available in MAIN, 80 wanted" in ship.value.message


def test_stock_rows_never_show_available_below_zero(master_db):
    results = run_json(
        master_db,
        {"intent": "stock.receive", "item": "HAMMER", "qty": "10"},
        {"intent": "sales.create", "customer": "ACME", "lines": [{"item": "HAMMER", "qty": "8"}]},
        {"intent": "stock.count", "item": "HAMMER", "counted_qty": "5"},
    )
    assert [r["ok"] for r in results] == [True, True, True]
    rows = json.loads(jxc(master_db, "stock", "HAMMER", "--json", check=True).stdout)
    assert (rows[0]["available"], "short" in rows[0]) == ("2", False)
    request = results[2]["result"]["approval"]
    decided = run_json(
        master_db,
        {"intent": "approval.decide", "request": request, "decision": "approve"},
        user="mary",
    )
    assert decided[0]["ok"]
    rows = json.loads(jxc(master_db, "stock", "HAMMER", "--json", check=True).stdout)
    assert (rows[0]["on_hand"], rows[0]["available"], rows[0]["short"]) == ("5", "0", "3")
    refused = run_json(
        master_db,
        {"intent": "sales.create", "customer": "BETA", "lines": [{"item": "HAMMER", "qty": "2"}]},
    )
    assert refused[0]["error"]["code"] == "insufficient_stock"
    assert refused[0]["error"]["message"].startswith("only 0 pcs of HAMMER available in MAIN")


def test_a_pending_count_tells_the_approver_what_it_is_about(app, users):
    bus, li, mary = app.bus, users["li"], users["mary"]
    bus.execute(ReceiveStock(item="DRILL-18V", qty=D(10), unit_cost=D("240")), li)
    count = bus.execute(CountStock(item="DRILL-18V", counted_qty=D(4), warehouse="MAIN"), li)
    [pending] = bus.execute(ListApprovals(), mary).requests
    assert pending.details["name_zh"] == "电钻"
    assert (pending.details["warehouse"], pending.details["diff_qty"]) == ("MAIN", "-6")
    assert pending.details["diff_value"] == "-1440.00"
    assert pending.reasons == count.reasons
    assert pending.reasons_zh == ("调整金额 1,440.00 超过 1,000.00", "差异占账面 60.0%，超过 2%")
