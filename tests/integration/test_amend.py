"""Amending an order (`sales.amend`, `purchase.amend`) through `jxc run` and the chat: the lines
named replace those items' quantities, 0 removes a line, a new item adds one; nothing goes below
what shipped or arrived; reservations follow; an amendment that now needs approval waits again
(a pending request is replaced), one that no longer needs it is confirmed. The clock stands at
Monday 2026-06-15 10:00 in Shanghai."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adapters.bootstrap import bootstrap, run_feed_inline
from adapters.config import Settings
from bot.conversation import Conversation
from domain.model import Outbox
from tests.conftest import run_json

pytestmark = pytest.mark.db


def ok(results):
    assert all(r["ok"] for r in results), results
    return [r["result"] for r in results]


def stocked(db, *rows, user="li"):
    ok(
        run_json(
            db,
            *(
                {"intent": "stock.receive", "item": sku, "qty": qty, "unit_cost": cost}
                for sku, qty, cost in rows
            ),
            user=user,
        )
    )


def stock(db, sku):
    (row,) = ok(run_json(db, {"intent": "stock.query", "item": sku, "warehouse": "MAIN"}))
    r = row["rows"][0]
    return r["on_hand"], r["reserved"], r["available"]


def order(db, number):
    (res,) = ok(run_json(db, {"intent": "order.query", "order": number}))
    (row,) = res["orders"]
    return row


@pytest.fixture
def db(master_db):
    stocked(master_db, ("M6-20", "1000", "0.12"), ("TAPE-48", "100", "3.20"))
    return master_db


def test_a_one_line_order_takes_a_new_quantity_and_its_reservation_follows(db):
    (so,) = ok(
        run_json(
            db,
            {
                "intent": "sales.create",
                "customer": "ACME",
                "lines": [{"item": "M6-20", "qty": "100"}],
            },
            user="wang",
        )
    )
    assert stock(db, "M6-20") == ("1000", "100", "900")
    (res,) = run_json(
        db, {"intent": "sales.amend", "order": so["order"], "lines": [{"qty": "150"}]}, user="wang"
    )
    assert res["ok"], res
    r = res["result"]
    assert (r["order"], r["kind"], r["partner"], r["status"], r["total"]) == (
        "SO-0001",
        "sales",
        "ACME",
        "confirmed",
        "37.50",
    )
    assert r["changes"] == [{"item": "M6-20", "from": "100", "to": "150"}]
    assert [(ln["item"], ln["qty"], ln["shipped"]) for ln in r["lines"]] == [("M6-20", "150", "0")]
    assert "approval" not in r
    assert stock(db, "M6-20") == ("1000", "150", "850")
    # removing a line, adding a new one: reservations follow both ways
    (r,) = ok(
        run_json(
            db,
            {
                "intent": "sales.amend",
                "order": "SO-0001",
                "lines": [{"item": "TAPE-48", "qty": "30"}],
            },
            {"intent": "sales.amend", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "0"}]},
            user="wang",
        )
    )[1:]
    assert r["changes"] == [{"item": "M6-20", "from": "150", "to": "0"}]
    assert [(ln["item"], ln["qty"]) for ln in r["lines"]] == [("TAPE-48", "30")]
    assert r["total"] == "195.00"
    assert stock(db, "M6-20") == ("1000", "0", "1000")
    assert stock(db, "TAPE-48") == ("100", "30", "70")
    assert ok(run_json(db, {"intent": "report", "name": "stock_status"}))  # still readable
    verify = __import__("tests.conftest", fromlist=["jxc"]).jxc(db, "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_refusals_change_nothing(db):
    ok(
        run_json(
            db,
            {
                "intent": "sales.create",
                "customer": "ACME",
                "lines": [{"item": "M6-20", "qty": "100"}, {"item": "TAPE-48", "qty": "10"}],
            },
            user="wang",
        )
    )
    ok(
        run_json(
            db,
            {"intent": "sales.ship", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "40"}]},
        )
    )
    before = order(db, "SO-0001")
    cases = [
        ({"lines": [{"qty": "5"}]}, "wang", "missing_slot"),  # two items: which one?
        ({"lines": [{"item": "M6-20", "qty": "30"}]}, "wang", "invalid_quantity"),  # < 40 shipped
        ({"lines": [{"item": "M6-20", "qty": "2000"}]}, "wang", "insufficient_stock"),
        ({"lines": [{"item": "M6-20", "qty": "-1"}]}, "wang", "invalid_quantity"),
        ({"lines": [{"item": "GLOVE-L", "qty": "0"}]}, "wang", "invalid_state"),  # not on it
        ({"lines": [{"item": "M6-20", "qty": "100"}]}, "wang", "invalid_state"),  # no change
        ({"lines": [{"item": "M6-20", "qty": "120"}]}, "sam", "not_permitted"),  # not his order
        ({"lines": [{"item": "M6-20", "qty": "120"}]}, "tom", "not_permitted"),  # a viewer
        ({"lines": [{"item": "NOPE", "qty": "1"}]}, "wang", "unknown_item"),
    ]
    for extra, user, code in cases:
        (res,) = run_json(db, {"intent": "sales.amend", "order": "SO-0001", **extra}, user=user)
        assert (res["ok"], res["error"]["code"]) == (False, code), (extra, res)
    (res,) = run_json(db, {"intent": "sales.amend", "order": "SO-0099", "lines": [{"qty": "1"}]})
    assert res["error"]["code"] == "unknown_order"
    assert order(db, "SO-0001") == before
    assert stock(db, "M6-20") == ("960", "60", "900")
    ok(run_json(db, {"intent": "sales.ship", "order": "SO-0001"}))
    (res,) = run_json(
        db,
        {"intent": "sales.amend", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "200"}]},
    )
    assert res["error"]["code"] == "invalid_state"  # shipped in full


def test_a_partly_shipped_line_goes_down_to_what_shipped_and_the_order_is_complete(db):
    ok(
        run_json(
            db,
            {
                "intent": "sales.create",
                "customer": "ACME",
                "lines": [{"item": "M6-20", "qty": "100"}],
            },
            {"intent": "sales.ship", "order": "SO-0001", "lines": [{"item": "M6-20", "qty": "40"}]},
        )
    )
    (r,) = ok(run_json(db, {"intent": "sales.amend", "order": "SO-0001", "lines": [{"qty": "40"}]}))
    assert (r["status"], r["total"]) == ("shipped", "10.00")
    assert stock(db, "M6-20") == ("960", "0", "960")


def test_an_amendment_over_the_discount_limit_waits_again_and_a_pending_one_is_replaced(db):
    ok(
        run_json(
            db,
            {
                "intent": "sales.create",
                "customer": "ACME",
                "lines": [{"item": "TAPE-48", "qty": "20"}],
            },
            user="wang",
        )
    )
    assert stock(db, "TAPE-48") == ("100", "20", "80")
    (r,) = ok(
        run_json(
            db,
            {
                "intent": "sales.amend",
                "order": "SO-0001",
                "lines": [{"item": "TAPE-48", "qty": "20", "discount": "20"}],
            },
            user="wang",
        )
    )
    assert (r["status"], r["approval"], r["total"]) == ("pending_approval", "A-1", "104.00")
    assert r["changes"] == [
        {
            "item": "TAPE-48",
            "from": "20",
            "to": "20",
            "price": {"from": "6.50", "to": "5.20"},
            "discount": {"from": "0", "to": "20"},
        }
    ]
    assert stock(db, "TAPE-48") == ("100", "0", "100")  # back to pending: released
    (r,) = ok(
        run_json(
            db,
            {
                "intent": "sales.amend",
                "order": "SO-0001",
                "lines": [{"item": "TAPE-48", "qty": "30", "discount": "15"}],
            },
            user="wang",
        )
    )
    assert (r["status"], r["approval"]) == ("pending_approval", "A-2")
    (res,) = run_json(
        db, {"intent": "approval.decide", "request": "A-1", "decision": "approve"}, user="mary"
    )
    assert res["error"]["code"] == "invalid_state"  # replaced by A-2
    assert "A-2" in res["error"]["message"]
    (q,) = ok(run_json(db, {"intent": "approval.list"}, user="mary"))
    assert [x["request"] for x in q["requests"]] == ["A-2"]
    # no longer over the limit: confirmed at once, its stock reserved, the request cancelled
    (r,) = ok(
        run_json(
            db,
            {
                "intent": "sales.amend",
                "order": "SO-0001",
                "lines": [{"item": "TAPE-48", "qty": "30", "discount": "5"}],
            },
            user="wang",
        )
    )
    assert r["status"] == "confirmed" and "approval" not in r
    assert stock(db, "TAPE-48") == ("100", "30", "70")
    (q,) = ok(run_json(db, {"intent": "approval.list"}, user="mary"))
    assert q["requests"] == []


def test_a_pending_order_that_no_longer_needs_approval_needs_the_stock(db):
    ok(
        run_json(
            db,
            {
                "intent": "sales.create",
                "customer": "ACME",
                "lines": [{"item": "TAPE-48", "qty": "90", "discount": "20"}],
            },
            {"intent": "stock.issue", "item": "TAPE-48", "qty": "50", "reason": "samples"},
        )
    )
    (res,) = run_json(
        db,
        {
            "intent": "sales.amend",
            "order": "SO-0001",
            "lines": [{"item": "TAPE-48", "qty": "90", "discount": "5"}],
        },
    )
    assert res["error"]["code"] == "insufficient_stock"
    assert order(db, "SO-0001")["status"] == "pending_approval"


def test_a_purchase_order_amended_over_the_limit_waits_for_approval(db):
    (po,) = ok(
        run_json(
            db,
            {
                "intent": "purchase.create",
                "supplier": "ECH",
                "lines": [{"item": "M6-20", "qty": "5000"}],
            },
            user="zhao",
        )
    )
    assert po["status"] == "confirmed"
    (r,) = ok(
        run_json(
            db,
            {
                "intent": "purchase.amend",
                "order": "PO-0001",
                "lines": [{"qty": "100000", "price": "0.11"}],
            },
            user="zhao",
        )
    )
    assert (r["status"], r["approval"], r["total"]) == ("pending_approval", "A-1", "11000.00")
    assert r["changes"] == [
        {"item": "M6-20", "from": "5000", "to": "100000", "price": {"from": "0.12", "to": "0.11"}}
    ]
    (d,) = ok(
        run_json(
            db, {"intent": "approval.decide", "request": "A-1", "decision": "approve"}, user="mary"
        )
    )
    assert d["subject_status"] == "confirmed"
    ok(
        run_json(
            db,
            {
                "intent": "purchase.receive",
                "order": "PO-0001",
                "lines": [{"item": "M6-20", "qty": "2000"}],
            },
            user="li",
        )
    )
    (res,) = run_json(
        db,
        {"intent": "purchase.amend", "order": "PO-0001", "lines": [{"qty": "1000"}]},
        user="zhao",
    )
    assert res["error"]["code"] == "invalid_quantity"  # 2000 arrived already
    (r,) = ok(
        run_json(
            db,
            {"intent": "purchase.amend", "order": "PO-0001", "lines": [{"qty": "2000"}]},
            user="zhao",
        )
    )
    assert r["status"] == "received"


def test_amending_in_the_chat_proposes_the_change_then_stores_it(db, clock):
    app = bootstrap(Settings(database_url=db), clock=clock)
    try:
        ok(
            run_json(
                db,
                {
                    "intent": "sales.create",
                    "customer": "ACME",
                    "lines": [{"item": "M6-20", "qty": "100"}],
                },
                user="wang",
            )
        )
        chat = Conversation(app.bus, app.uow, app.clock)
        reply = chat.handle("wang", "c1", "SO-0001 改成 150 个")
        assert "SO-0001" in reply.text and "100 → 150" in reply.text and "确认" in reply.text
        assert stock(db, "M6-20") == ("1000", "100", "900")  # a proposal changes nothing
        reply = chat.handle("wang", "c1", "是")
        assert "SO-0001" in reply.text and "100 → 150" in reply.text, reply.text
        assert stock(db, "M6-20") == ("1000", "150", "850")
        reply = chat.handle("sam", "c2", "add 20 tape to SO-0001")
        assert not reply.ok and "wang" in reply.text  # not his order: refused before any yes
        reply = chat.handle("wang", "c1", "SO-0001 加 20 卷胶带")
        assert "TAPE-48" in reply.text
        reply = chat.handle("wang", "c1", "是")
        assert [(ln["item"], ln["qty"]) for ln in order(db, "SO-0001")["lines"]] == [
            ("M6-20", "150"),
            ("TAPE-48", "20"),
        ]
        reply = chat.handle("wang", "c1", "SO-0001 去掉胶带")
        assert "TAPE-48" in reply.text and "确认" in reply.text
        chat.handle("wang", "c1", "是")
        assert [ln["item"] for ln in order(db, "SO-0001")["lines"]] == ["M6-20"]
        run_feed_inline(app, "reference")
        outbox = Outbox.__table__
        with app.uow(write=False) as uow:
            rows = uow.execute(select(outbox.c.event, outbox.c.processed_at, outbox.c.error)).all()
        amended = [r for r in rows if r.event == "SalesOrderAmended"]
        assert len(amended) == 3  # each amendment told the rules feed, which read it
        assert all(r.processed_at is not None and not r.error for r in rows), rows
    finally:
        app.engine.dispose()
