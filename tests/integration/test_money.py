"""Money through the command vocabulary: shipments and receipts make invoices, returns make
credit notes and bring goods back at their cost, payments settle the oldest invoices, and a
partner's balance, aging, credit and statement follow. The clock stands at Monday 2026-06-15
10:00 in Shanghai; ACME pays in 30 days, SUNRISE in 60."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import text

from bot.conversation import Conversation
from domain.errors import (
    InsufficientStock,
    InvalidAmount,
    InvalidQuantity,
    InvalidState,
    NotPermitted,
    UnknownInvoice,
    UnknownOrder,
    UnknownPartner,
    WrongPartnerKind,
)
from domain.ledger.verify import verify_books
from domain.messages.commands import (
    CancelSalesOrder,
    CreatePurchaseOrder,
    CreateSalesOrder,
    Line,
    QueryBalance,
    QueryStock,
    ReceivePurchaseOrder,
    ReceiveStock,
    ShipSalesOrder,
)
from domain.money.commands import (
    MakePayment,
    QueryStatement,
    ReceivePayment,
    ReturnPurchaseOrder,
    ReturnSalesOrder,
)
from domain.money.statement import list_invoices

pytestmark = pytest.mark.db


@pytest.fixture
def chen(app):
    return app.bus.user("chen")


def _stock(app, users, sku="M6-20", qty=1000, cost="0.12"):
    app.bus.execute(ReceiveStock(item=sku, qty=D(qty), unit_cost=D(cost)), users["li"])


def _sold_and_shipped(app, users, customer="ACME", qty=100, price="0.25", parts=()):
    so = app.bus.execute(
        CreateSalesOrder(customer=customer, lines=(Line("M6-20", D(qty), price=D(price)),)),
        users["wang"],
    )
    shipped = [
        app.bus.execute(
            ShipSalesOrder(order=so.order, lines=(Line("M6-20", D(part)),)), users["li"]
        )
        for part in parts
    ]
    shipped.append(app.bus.execute(ShipSalesOrder(order=so.order), users["li"]))
    return so.order, shipped


def _balance(app, partner="ACME", who="tom"):
    return app.bus.execute(QueryBalance(partner=partner), app.bus.user(who))


def _on_hand(app, sku="M6-20", wh="MAIN"):
    rows = app.bus.execute(QueryStock(item=sku, warehouse=wh), app.bus.user("admin")).rows
    return rows[0].on_hand, rows[0].value


def test_each_shipment_makes_an_invoice_due_after_the_customers_terms(app, users):
    _stock(app, users)
    order, (first, second) = _sold_and_shipped(app, users, qty=3, price="0.333333", parts=(1,))
    # SO line 3 × 0.333333 = 1.00; the shipment that completes it takes the remaining cents.
    assert (first.shipment, first.invoice) == (1, "INV-0001")
    assert (second.shipment, second.invoice) == (2, "INV-0002")
    with app.uow(write=False) as uow:
        rows = list_invoices(uow, "ACME").to_json()["invoices"]
    assert [(r["invoice"], r["order"], r["date"], r["due"], r["total"]) for r in rows] == [
        ("INV-0001", order, "2026-06-15", "2026-07-15", "0.33"),
        ("INV-0002", order, "2026-06-15", "2026-07-15", "0.67"),
    ]
    assert _balance(app).balance == "1.00"


def test_each_receipt_makes_a_supplier_bill(app, users):
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M8-30", D(300), price=D("0.2")),)),
        users["zhao"],
    )
    part = app.bus.execute(
        ReceivePurchaseOrder(order=po.order, lines=(Line("M8-30", D(100)),)), users["li"]
    )
    rest = app.bus.execute(ReceivePurchaseOrder(order=po.order), users["li"])
    assert (part.receipt, part.invoice, rest.receipt, rest.invoice) == (
        1,
        "BILL-0001",
        2,
        "BILL-0002",
    )
    owed = _balance(app, "ECH")
    assert (owed.kind, owed.balance, owed.overdue) == ("supplier", "60.00", "0.00")


def test_a_payment_settles_the_oldest_invoices_and_keeps_the_rest_as_credit(app, users, chen):
    _stock(app, users)
    _sold_and_shipped(app, users, qty=100, parts=(40,))  # INV-0001 10.00, INV-0002 15.00
    paid = app.bus.execute(ReceivePayment(customer="ACME", amount=D("12")), chen)
    assert [(a.invoice, a.amount) for a in paid.allocated] == [
        ("INV-0001", "10.00"),
        ("INV-0002", "2.00"),
    ]
    assert (paid.payment, paid.unallocated, paid.balance) == ("PAY-0001", "0.00", "13.00")
    more = app.bus.execute(ReceivePayment(customer="ACME", amount=D("20")), chen)
    assert [(a.invoice, a.amount) for a in more.allocated] == [("INV-0002", "13.00")]
    assert (more.unallocated, more.balance) == ("7.00", "-7.00")
    owed = _balance(app)
    assert (owed.balance, owed.aging["current"], owed.exposure) == (
        "-7.00",
        "-7.00",
        "0.00",
    )
    assert owed.credit_left == "50000.00"


def test_a_payment_naming_an_invoice_pays_it_first(app, users, chen):
    _stock(app, users)
    _sold_and_shipped(app, users, qty=100, parts=(40,))
    paid = app.bus.execute(
        ReceivePayment(customer="ACME", amount=D("20"), invoice="inv-0002"), chen
    )
    assert [(a.invoice, a.amount) for a in paid.allocated] == [
        ("INV-0002", "15.00"),
        ("INV-0001", "5.00"),
    ]


def test_bad_payments_are_refused_and_record_nothing(app, users, chen):
    _stock(app, users)
    _sold_and_shipped(app, users, customer="ACME")
    _sold_and_shipped(app, users, customer="BETA")  # INV-0002 is BETA's
    app.bus.execute(
        ReturnSalesOrder(order="SO-0001", lines=(Line("M6-20", D(4)),)), users["li"]
    )  # CN-0001
    refusals = [
        (ReceivePayment(customer="NOBODY", amount=D(5)), UnknownPartner),
        (ReceivePayment(customer="ECH", amount=D(5)), WrongPartnerKind),
        (MakePayment(supplier="ACME", amount=D(5)), WrongPartnerKind),
        (ReceivePayment(customer="ACME", amount=D(5), invoice="INV-0002"), InvalidState),
        (ReceivePayment(customer="ACME", amount=D(5), invoice="CN-0001"), InvalidState),
        (ReceivePayment(customer="ACME", amount=D(5), invoice="INV-9999"), UnknownInvoice),
    ]
    for cmd, error in refusals:
        with pytest.raises(error):
            app.bus.execute(cmd, chen)
    for amount in ("0", "-5", "abc", "1.234", "1e3"):
        with pytest.raises(InvalidAmount):
            ReceivePayment(customer="ACME", amount=amount)
    with pytest.raises(NotPermitted):  # payments are the accountant's
        app.bus.execute(ReceivePayment(customer="ACME", amount=D(5)), users["wang"])
    assert _balance(app).balance == "24.00"


def test_the_same_payment_sent_twice_under_one_key_is_one_payment(app, users, chen):
    _stock(app, users)
    _sold_and_shipped(app, users)
    cmd = ReceivePayment(customer="ACME", amount=D("10"))
    first = app.bus.execute(cmd, chen, key="tg:update:77")
    again = app.bus.execute(cmd, chen, key="tg:update:77")
    assert first.payment == again.payment == "PAY-0001"
    assert _balance(app).balance == "15.00"


def test_a_payment_message_delivered_twice_in_chat_is_one_payment(app, users):
    _stock(app, users)
    _sold_and_shipped(app, users)
    chat = Conversation(app.bus, app.uow, app.clock)
    asked = chat.handle("chen", "tg:1005", "收到艾克米货款 10", delivery=("telegram", "u1"))
    assert "登记收到艾克米（ACME）货款 10.00，冲抵 INV-0001 10.00。确认吗？" in asked.text
    assert chat.handle("chen", "tg:1005", "收到艾克米货款 10", delivery=("telegram", "u1")) is None
    done = chat.handle("chen", "tg:1005", "是", delivery=("telegram", "u2"))
    assert done.text.startswith("PAY-0001：收到艾克米（ACME）货款 10.00")
    assert chat.handle("chen", "tg:1005", "是", delivery=("telegram", "u2")) is None
    assert _balance(app).balance == "15.00"


def test_a_sales_return_comes_back_at_its_cost_and_credits_the_newest_open_invoice(app, users):
    _stock(app, users, qty=100, cost="0.10")
    _stock(app, users, qty=100, cost="0.20")  # average 0.15 when the goods leave
    order, _ = _sold_and_shipped(app, users, qty=100, parts=(60,))
    _stock(app, users, qty=100, cost="0.30")  # the average moves on; the return does not
    back = app.bus.execute(
        ReturnSalesOrder(order=order, lines=(Line("M6-20", D(10)),), reason="质量问题"),
        users["li"],
    )
    assert (back.status, back.warehouse, back.value) == ("shipped", "MAIN", "1.50")
    assert (back.credit_note, back.total, back.applied_to) == (
        "CN-0001",
        "-2.50",
        "INV-0002",
    )
    assert _on_hand(app) == ("210", "46.50")  # 100 left at 0.15 + 100 at 0.30 + 10 at 0.15
    assert _balance(app).balance == "22.50"
    # All that shipped comes back: the last return takes what is left of the cost.
    rest = app.bus.execute(
        ReturnSalesOrder(order=order, lines=(Line("M6-20", D(90)),)), users["li"]
    )
    assert (rest.value, rest.total, rest.applied_to) == ("13.50", "-22.50", "INV-0002")
    assert _balance(app).balance == "0.00"


def test_a_fifo_item_comes_back_as_a_layer_at_its_cost(app, users):
    # DRILL-18V is a FIFO item in the demo catalogue.
    _stock(app, users, "DRILL-18V", 2, "200")
    _stock(app, users, "DRILL-18V", 2, "260")
    so = app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("DRILL-18V", D(3)),)), users["wang"]
    )
    shipped = app.bus.execute(ShipSalesOrder(order=so.order), users["li"])
    assert shipped.cogs == "660.00"
    back = app.bus.execute(
        ReturnSalesOrder(order=so.order, lines=(Line("DRILL-18V", D(1)),)), users["li"]
    )
    assert back.value == "220.00"  # 660 ÷ 3
    assert _on_hand(app, "DRILL-18V") == ("2", "480.00")


def test_returning_more_than_shipped_or_the_same_goods_twice_is_refused(app, users):
    _stock(app, users)
    order, _ = _sold_and_shipped(app, users, qty=100, parts=(40,))
    app.bus.execute(ReturnSalesOrder(order=order, lines=(Line("M6-20", D(60)),)), users["li"])
    with pytest.raises(InvalidQuantity) as too_many:
        app.bus.execute(ReturnSalesOrder(order=order, lines=(Line("M6-20", D(41)),)), users["li"])
    assert "60 returned before" in too_many.value.message and "40" in too_many.value.message
    with pytest.raises(InvalidState):  # an item not on the order
        app.bus.execute(ReturnSalesOrder(order=order, lines=(Line("M8-30", D(1)),)), users["li"])
    with pytest.raises(UnknownOrder):
        app.bus.execute(
            ReturnSalesOrder(order="SO-0999", lines=(Line("M6-20", D(1)),)), users["li"]
        )
    assert _on_hand(app)[0] == "960"


def test_a_return_against_an_unshipped_or_cancelled_order_is_refused(app, users):
    _stock(app, users)
    so = app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("M6-20", D(5)),)), users["wang"]
    )
    with pytest.raises(InvalidState) as unshipped:
        app.bus.execute(ReturnSalesOrder(order=so.order, lines=(Line("M6-20", D(1)),)), users["li"])
    assert "shipped nothing" in unshipped.value.message
    app.bus.execute(CancelSalesOrder(order=so.order), users["wang"])
    with pytest.raises(InvalidState) as cancelled:
        app.bus.execute(ReturnSalesOrder(order=so.order, lines=(Line("M6-20", D(1)),)), users["li"])
    assert "cancelled" in cancelled.value.message


def test_salespeople_take_returns_of_their_own_orders_only(app, users):
    _stock(app, users)
    order, _ = _sold_and_shipped(app, users)  # wang's order
    sam = app.bus.user("sam")
    with pytest.raises(NotPermitted):
        app.bus.execute(ReturnSalesOrder(order=order, lines=(Line("M6-20", D(1)),)), sam)
    ok = app.bus.execute(ReturnSalesOrder(order=order, lines=(Line("M6-20", D(1)),)), users["wang"])
    assert ok.credit_note == "CN-0001"


def test_a_purchase_return_leaves_at_the_price_it_came_in_at(app, users):
    _stock(app, users, "M8-30", 100, "0.10")
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M8-30", D(100), price=D("0.30")),)),
        users["zhao"],
    )
    app.bus.execute(ReceivePurchaseOrder(order=po.order), users["li"])  # average 0.20 now
    back = app.bus.execute(
        ReturnPurchaseOrder(order=po.order, lines=(Line("M8-30", D(10)),)), users["zhao"]
    )
    assert (back.value, back.total, back.applied_to) == ("3.00", "-3.00", "BILL-0001")
    assert _on_hand(app, "M8-30") == ("190", "37.00")
    assert _balance(app, "ECH").balance == "27.00"
    with pytest.raises(InvalidQuantity):
        app.bus.execute(
            ReturnPurchaseOrder(order=po.order, lines=(Line("M8-30", D(91)),)), users["zhao"]
        )


def test_a_purchase_return_of_goods_already_sold_is_refused(app, users):
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M8-30", D(10), price=D("0.30")),)),
        users["zhao"],
    )
    app.bus.execute(ReceivePurchaseOrder(order=po.order), users["li"])
    so = app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("M8-30", D(8)),)), users["wang"]
    )
    assert so.status == "confirmed"  # 8 of the 10 reserved
    with pytest.raises(InsufficientStock):
        app.bus.execute(
            ReturnPurchaseOrder(order=po.order, lines=(Line("M8-30", D(5)),)), users["zhao"]
        )


def test_aging_counts_days_past_due(app, users, chen):
    _stock(app, users)
    _sold_and_shipped(app, users, customer="ACME")  # 25.00, due 2026-07-15
    app.clock.advance(days=75)  # 2026-08-29: 45 days past due
    _sold_and_shipped(app, users, customer="ACME", qty=40)  # 10.00, not yet due
    owed = _balance(app)
    assert (owed.balance, owed.overdue) == ("35.00", "25.00")
    assert owed.aging == {
        "current": "10.00",
        "1-30": "0.00",
        "31-60": "25.00",
        "61-90": "0.00",
        "90+": "0.00",
    }


def test_exposure_is_open_orders_plus_the_unpaid_balance_and_payments_free_credit(app, users, chen):
    _stock(app, users, qty=100000, cost="0.10")
    # MEILIN: limit 15,000. 40,000 bolts at 0.25 = 10,000 shipped, unpaid.
    _sold_and_shipped(app, users, customer="MEILIN", qty=40000)
    app.bus.execute(
        CreateSalesOrder(customer="MEILIN", lines=(Line("M6-20", D(8000), price=D("0.25")),)),
        users["wang"],
    )  # 2,000 confirmed, not shipped
    owed = _balance(app, "MEILIN")
    assert (owed.open_orders, owed.exposure, owed.credit_left) == (
        "2000.00",
        "12000.00",
        "3000.00",
    )
    waits = app.bus.execute(
        CreateSalesOrder(customer="MEILIN", lines=(Line("M6-20", D(16000), price=D("0.25")),)),
        users["wang"],
    )
    assert waits.status == "pending_approval"  # 12,000 + 4,000 > 15,000
    app.bus.execute(CancelSalesOrder(order=waits.order), users["wang"])
    app.bus.execute(ReceivePayment(customer="MEILIN", amount=D("10000")), chen)
    assert _balance(app, "MEILIN").credit_left == "13000.00"
    passes = app.bus.execute(
        CreateSalesOrder(customer="MEILIN", lines=(Line("M6-20", D(16000), price=D("0.25")),)),
        users["wang"],
    )
    assert passes.status == "confirmed"  # paid orders stop counting


def test_the_statement_runs_from_opening_to_closing_in_date_order(app, users, chen):
    _stock(app, users)
    app.clock.advance(days=-30)  # 2026-05-16
    _sold_and_shipped(app, users, qty=100)  # INV-0001 25.00 in May
    app.clock.advance(days=20)  # 2026-06-05
    _sold_and_shipped(app, users, qty=40)  # INV-0002 10.00
    app.bus.execute(ReturnSalesOrder(order="SO-0002", lines=(Line("M6-20", D(4)),)), users["li"])
    app.clock.advance(days=5)  # 2026-06-10
    app.bus.execute(ReceivePayment(customer="ACME", amount=D("30")), chen)
    june = app.bus.execute(QueryStatement(partner="ACME", period="this_month"), chen)
    assert june.opening == "25.00"
    assert [(ln.date, ln.doc, ln.debit, ln.credit, ln.balance) for ln in june.lines] == [
        ("2026-06-05", "INV-0002", "10.00", "0.00", "35.00"),
        ("2026-06-05", "CN-0001", "0.00", "1.00", "34.00"),
        ("2026-06-10", "PAY-0001", "0.00", "30.00", "4.00"),
    ]
    assert june.closing == _balance(app).balance == "4.00"
    may = app.bus.execute(QueryStatement(partner="ACME"), chen)  # last_month by default
    assert (may.period["start"], may.opening, may.closing) == (
        "2026-05-01",
        "0.00",
        "25.00",
    )


def test_a_statement_for_a_period_without_activity_says_so(app, users, chen):
    _stock(app, users)
    _sold_and_shipped(app, users)
    quiet = app.bus.execute(QueryStatement(partner="ACME", period="2026-03"), chen)
    assert (quiet.opening, quiet.lines, quiet.closing) == ("0.00", (), "0.00")
    assert quiet.note == "no activity in this period"
    chat = Conversation(app.bus, app.uow, app.clock)
    said = chat.handle("chen", "c1", "艾克米 2026-03 对账单")
    assert "本期没有往来，期末余额 0.00，与期初相同" in said.text


def test_a_suppliers_statement_shows_bills_as_debits(app, users):
    po = app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M8-30", D(100), price=D("0.2")),)),
        users["zhao"],
    )
    app.bus.execute(ReceivePurchaseOrder(order=po.order), users["li"])
    app.bus.execute(MakePayment(supplier="ECH", amount=D("5")), app.bus.user("chen"))
    got = app.bus.execute(QueryStatement(partner="ECH", period="this_month"), app.bus.user("chen"))
    assert [(ln.doc, ln.debit, ln.credit) for ln in got.lines] == [
        ("BILL-0001", "20.00", "0.00"),
        ("PAY-0001", "0.00", "5.00"),
    ]
    assert got.closing == "15.00"


def test_verify_rebuilds_invoices_payments_and_balances_and_names_what_differs(app, users, chen):
    _stock(app, users)
    order, _ = _sold_and_shipped(app, users, qty=100, parts=(40,))
    app.bus.execute(ReturnSalesOrder(order=order, lines=(Line("M6-20", D(4)),)), users["li"])
    app.bus.execute(ReceivePayment(customer="ACME", amount=D("30")), chen)
    with app.uow(write=False) as uow:
        clean = verify_books(uow)
    assert clean.ok and (clean.invoices, clean.payments, clean.partners) == (3, 1, 1)
    with app.engine.begin() as conn:  # what a bad hand on the database would leave
        conn.execute(text("UPDATE invoice SET total = total + 100 WHERE number = 'INV-0002'"))
        conn.execute(text("UPDATE payment SET unallocated = 0"))
    with app.uow(write=False) as uow:
        found = {(d.kind, d.field, d.invoice, d.partner) for d in verify_books(uow).differences}
    assert found == {
        ("invoice", "total", "INV-0002", "ACME"),
        ("invoice", "open", "INV-0002", "ACME"),
        ("payment", "unallocated", "PAY-0001", "ACME"),
        ("partner", "balance", None, "ACME"),
    }


def test_sales_and_demand_are_net_of_returns_on_the_day_they_came_back(app, users):
    from domain.ledger.history import demand_by_item
    from domain.messages.commands import Report
    from domain.planning.demand import demand_rows

    _stock(app, users)
    order, _ = _sold_and_shipped(app, users, qty=100)  # 25.00 on 2026-06-15
    app.clock.advance(days=1)
    app.bus.execute(ReturnSalesOrder(order=order, lines=(Line("M6-20", D(30)),)), users["li"])
    app.clock.advance(days=1)
    app.bus.execute(ReturnSalesOrder(order=order, lines=(Line("M6-20", D(10)),)), users["li"])
    top = app.bus.execute(Report(name="top_sellers", period="last_7_days"), users["tom"])
    assert [(r["sku"], r["qty"], r["revenue"]) for r in top.rows] == [("M6-20", "60", "15.00")]
    with app.uow(write=False) as uow:
        item_id = uow.execute(text("SELECT id FROM item WHERE sku = 'M6-20'")).scalar()
        by_day = dict(demand_by_item(uow, app.clock.today(), {item_id})[item_id])
        forecast_days = dict(demand_rows(uow, item_id))
    # A day's demand never goes below 0: the returns' days count as no sale.
    assert {str(d): q for d, q in by_day.items()} == {
        "2026-06-15": D(100),
        "2026-06-16": D(0),
        "2026-06-17": D(0),
    }
    assert sorted((str(d), q) for d, q in forecast_days.items()) == [
        ("2026-06-15", 100.0),
        ("2026-06-16", 0.0),
        ("2026-06-17", 0.0),
    ]


def test_a_return_rechecks_the_reorder_points_of_its_orders_items(app, users):
    from domain.messages.events import event_from_row
    from rules.facts import Enricher

    _stock(app, users)
    order, _ = _sold_and_shipped(app, users)
    app.bus.execute(ReturnSalesOrder(order=order, lines=(Line("M6-20", D(5)),)), users["li"])
    with app.uow(write=False) as uow:
        (row,) = uow.execute(
            text("SELECT event, payload FROM outbox WHERE event = 'SalesOrderReturned'")
        ).all()
        event = event_from_row(row.event, row.payload)
        assert Enricher(uow).rechecked(event) == ["M6-20"]
