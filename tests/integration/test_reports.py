"""Reports on a real database, arranged with the commands a user would send; figures worked out
by hand. The clock stands at Monday 2026-06-15 10:00 in Shanghai."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from bot.report_text import render_text
from domain import settings
from domain.errors import MissingSlot, UnknownReport
from domain.ledger import imports
from domain.messages.commands import (
    CountStock,
    CreatePurchaseOrder,
    CreateSalesOrder,
    DecideApproval,
    Forecast,
    IssueStock,
    Line,
    ReceivePurchaseOrder,
    ReceiveStock,
    Report,
    ShipSalesOrder,
)
from domain.reports.notes import NOTES
from domain.reports.service import NAMES

pytestmark = pytest.mark.db
D = Decimal


def report(app, name, period=None, user="tom"):
    return app.bus.execute(Report(name=name, period=period), app.bus.user(user))


def history(app, *rows):
    """Import sales history rows `(date, sku, qty, customer, unit_price or "")`."""
    numbered = [
        (n, {"date": d, "sku": s, "qty": q, "customer": c, "unit_price": p})
        for n, (d, s, q, c, p) in enumerate(rows, start=2)
    ]
    with app.uow() as uow:
        imports.import_rows(uow, "sales_history", numbered, today=app.clock.today())
        uow.commit()


def set_rule(app, name, value):
    with app.uow() as uow:
        settings.store(uow, name, value)  # as given: a short test window is under the range
        uow.commit()


def sell_and_ship(app, users, customer, *lines):
    so = app.bus.execute(
        CreateSalesOrder(customer=customer, lines=tuple(Line(s, D(q)) for s, q in lines)),
        users["wang"],
    )
    app.bus.execute(ShipSalesOrder(order=so.order), users["li"])
    return so.order


@pytest.fixture
def sold(app, users):
    """History over the past year (one row just outside the twelve months) and one shipment
    today, which makes today the last day of history."""
    history(
        app,
        ("2026-06-01", "M6-20", "1000", "ACME", "0.25"),  # 250.00
        ("2026-06-10", "M6-NUT", "1000", "BETA", "0.08"),  # 80.00
        ("2026-05-01", "M8-30", "100", "ACME", ""),  # list price 0.45: 45.00
        ("2025-06-15", "WASHER-6", "10000", "BETA", "0.03"),  # 300.00, before the window
    )
    app.bus.execute(ReceiveStock(item="BOX-S", qty=D(10), unit_cost=D("1.00")), users["li"])
    sell_and_ship(app, users, "GREEN", ("BOX-S", 10))  # 22.00 at the list price 2.20
    return app


def test_an_unknown_report_lists_the_reports_and_suggests_only_close_names(app):
    with pytest.raises(UnknownReport) as exc:
        report(app, "best_customers")
    assert exc.value.suggestions == []
    assert all(name in exc.value.message for name in NAMES)
    with pytest.raises(UnknownReport) as exc:
        report(app, "top_seller")
    assert exc.value.suggestions == ["top_sellers"]
    with pytest.raises(MissingSlot):
        report(app, "top_sellers", "next_decade")


def test_abc_ranks_sales_value_over_the_twelve_months_ending_at_the_last_day_of_history(sold):
    result = report(sold, "abc")
    assert result.period is None
    assert result.rows[:4] == [
        {"sku": "M6-20", "class": "A", "value": "250.00", "share": 0.629723, "cum_share": 0.629723},
        {"sku": "M6-NUT", "class": "A", "value": "80.00", "share": 0.201511, "cum_share": 0.831234},
        {"sku": "M8-30", "class": "B", "value": "45.00", "share": 0.11335, "cum_share": 0.944584},
        {"sku": "BOX-S", "class": "B", "value": "22.00", "share": 0.055416, "cum_share": 1.0},
    ]
    washer = next(r for r in result.rows if r["sku"] == "WASHER-6")
    assert (washer["class"], washer["value"]) == ("C", "0.00")
    s = result.summary
    assert s["window"] == {"start": "2025-06-16", "end": "2026-06-15"}
    assert s["total_value"] == "397.00"
    assert {k: (v["items"], v["value"], v["count_per_year"]) for k, v in s["classes"].items()} == {
        "A": (2, "330.00", 12),
        "B": (2, "67.00", 4),
        "C": (26, "0.00", 1),
    }


def test_top_sellers_and_sales_by_customer_follow_the_period(sold):
    top = report(sold, "top_sellers")
    assert top.period == {"name": "last_30_days", "start": "2026-05-17", "end": "2026-06-15"}
    assert [(r["rank"], r["sku"], r["qty"], r["revenue"]) for r in top.rows] == [
        (1, "M6-20", "1000", "250.00"),
        (2, "M6-NUT", "1000", "80.00"),
        (3, "BOX-S", "10", "22.00"),
    ]
    assert top.summary["revenue"] == "352.00"
    assert top.rows[0]["share"] == round(250 / 352, 6)
    by_customer = report(sold, "sales_by_customer")
    assert [(r["customer"], r["revenue"], r["orders_shipped"]) for r in by_customer.rows] == [
        ("ACME", "250.00", 0),
        ("BETA", "80.00", 0),
        ("GREEN", "22.00", 1),
    ]
    may = report(sold, "sales_by_customer", "2026-05")
    assert may.period["start"] == "2026-05-01"
    assert [(r["customer"], r["revenue"]) for r in may.rows] == [("ACME", "45.00")]


def test_below_reorder_compares_projected_stock_with_the_reorder_point(app, users):
    set_rule(app, "reorder.history_days", "5")
    # M6-20 sells 10, 0, 20, 0, 20 over 06-10..06-14: mean 10, sample sd 10, lead time 7 days.
    history(
        app,
        ("2026-06-10", "M6-20", "10", "ACME", "0.25"),
        ("2026-06-12", "M6-20", "20", "ACME", "0.25"),
        ("2026-06-14", "M6-20", "20", "BETA", "0.25"),
        ("2026-06-14", "M8-30", "5", "BETA", "0.45"),
        ("2026-01-05", "M6-NUT", "5", "BETA", "0.08"),
    )
    li, zhao = users["li"], users["zhao"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(100), unit_cost=D("0.12")), li)
    app.bus.execute(ReceiveStock(item="M8-30", qty=D(1000), unit_cost=D("0.22")), li)
    app.bus.execute(
        CreatePurchaseOrder(supplier="ECH", lines=(Line("M6-20", D(10), D("0.10")),)), zhao
    )
    result = report(app, "below_reorder")
    assert [r["sku"] for r in result.rows] == ["M6-20"]
    row = result.rows[0]
    # ROP = 10 × 7 + 1.645 × 10 × √7 = 113.519 ≥ projected 100 + 10;
    # EOQ = √(2 × 3650 × 200 ÷ (0.12 × 25 %)) = 6976.15 → 6977 (over the MOQ of 1000).
    assert (row["available"], row["on_order"], row["projected"]) == ("100", "10", "110")
    assert (row["mean_daily"], row["sd_daily"], row["lead_time_days"]) == (10.0, 10.0, 7)
    assert (row["safety_stock"], row["reorder_point"]) == (43.519, 113.519)
    assert (row["eoq"], row["moq"], row["suggested_qty"]) == (6976.15, "1000", "6977")
    assert result.summary["last_day_of_history"] == "2026-06-14"
    assert any("no reorder point" in n and "M6-NUT" in n for n in result.notes)


def test_a_fresh_stored_forecast_replaces_history_in_the_reorder_point(app, users):
    # 30 days of 10 a day: too short for Prophet, so the seasonal mean (10 a day) is stored.
    history(app, *[(f"2026-05-{d:02d}", "M6-20", "10", "ACME", "0.25") for d in range(1, 31)])
    before = report(app, "below_reorder").rows[0]
    assert before["demand_source"] == "history"
    app.bus.execute(Forecast(item="M6-20", days=30), users["tom"])
    row = report(app, "below_reorder").rows[0]
    assert row["demand_source"] == "forecast:seasonal_mean"
    assert row["mean_daily"] == pytest.approx(10.0)


def test_slow_moving_lists_stock_without_outgoing_moves_for_ninety_days(app, users):
    li = users["li"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(100), unit_cost=D("0.12")), li)
    app.bus.execute(ReceiveStock(item="M8-30", qty=D(10), unit_cost=D("0.22")), li)
    app.bus.execute(ReceiveStock(item="TAPE-48", qty=D(5), unit_cost=D("3.20")), li)
    app.bus.execute(IssueStock(item="M8-30", qty=D(1), reason="sample"), li)
    app.clock.advance(days=100)  # 2026-09-23
    history(app, ("2026-09-01", "TAPE-48", "1", "ACME", "6.50"))
    result = report(app, "slow_moving")
    assert [(r["sku"], r["value"], r["last_out"], r["days_idle"]) for r in result.rows] == [
        ("M6-20", "12.00", None, None),
        ("M8-30", "1.98", "2026-06-15", 100),
    ]
    assert result.summary["value_tied_up"] == "13.98"


def test_supplier_performance_scores_the_dimensions_with_data(app, users):
    zhao, li = users["zhao"], users["li"]

    def order(supplier, sku, qty, price):
        lines = (Line(sku, D(qty), D(price)),)
        return app.bus.execute(CreatePurchaseOrder(supplier=supplier, lines=lines), zhao).order

    po1 = order("ECH", "M6-20", 1000, "0.12")  # at the standard cost 0.12
    app.bus.execute(ReceivePurchaseOrder(order=po1), li)  # same day: on time
    po2 = order("ECH", "M6-NUT", 1000, "0.04")  # above the standard cost 0.03
    po3 = order("HZP", "BOX-M", 100, "1.60")
    app.clock.advance(days=3)
    app.bus.execute(ReceivePurchaseOrder(order=po3), li)  # 3 days, promised 5: on time
    app.clock.advance(days=7)
    app.bus.execute(ReceivePurchaseOrder(order=po2), li)  # 10 days, promised 7: late
    result = report(app, "supplier_performance")
    ech, hzp = result.rows
    assert (ech["supplier"], ech["receipts"], ech["on_time"], ech["on_time_rate"]) == (
        "ECH",
        2,
        1,
        0.5,
    )
    # lead times 0 and 10 against 7: the early one is on time, the late one 3 days late;
    # mean lateness 1.5 days, accuracy 1 − 1.5/7.
    assert (ech["avg_lead_time_days"], ech["lead_time_error_days"]) == (5.0, 5.0)
    assert (ech["avg_days_late"], ech["lead_time_accuracy"]) == (1.5, 0.7857)
    # cost: standard 120 + 30 over paid 120 + 40 = 0.9375; (0.9375 × 25 + 0.5 × 20) ÷ 45.
    assert ech["scores"] == {
        "quality": None,
        "cost": 0.9375,
        "delivery": 0.5,
        "service": None,
        "innovation": None,
    }
    assert ech["weights_used"] == {"cost": 25, "delivery": 20}
    assert ech["na"] == ["quality", "service", "innovation"]
    assert ech["score"] == 74.3
    # 3 days against a promised 5: early is accurate, not 40 % off.
    assert (hzp["on_time_rate"], hzp["lead_time_accuracy"], hzp["score"]) == (1.0, 1.0, 100.0)
    assert result.summary["on_time_rate"] == 0.6667
    kpi = {r["kpi"]: r for r in report(app, "kpi").rows}
    assert (kpi["supplier_on_time"]["value"], kpi["supplier_on_time"]["met"]) == (0.6667, False)


def test_kpis_against_the_course_targets(app, users):
    li = users["li"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(1000), unit_cost=D("0.12")), li)
    app.bus.execute(ReceiveStock(item="M8-30", qty=D(100), unit_cost=D("0.22")), li)
    sell_and_ship(app, users, "ACME", ("M6-20", 300))  # cost 36.00
    sell_and_ship(app, users, "BETA", ("M6-20", 100))  # cost 12.00
    app.bus.execute(CountStock(item="M8-30", counted_qty=D(99)), li)  # −1 at 0.22: posted
    app.bus.execute(CountStock(item="M6-20", counted_qty=D(600)), li)  # no difference
    result = report(app, "kpi", "2026-06")
    assert result.period == {"name": "2026-06", "start": "2026-06-01", "end": "2026-06-30"}
    rows = {r["kpi"]: r for r in result.rows}
    # Turnover: COGS 48.00 ÷ the June month-end value 72.00 + 21.78 = 0.5118 in the 16 days
    # the ledger has existed (06-15 – 06-30), 11.6763 a year (target 24); days of inventory
    # 365 ÷ 11.6763 = 31.3.
    assert (rows["turnover"]["value"], rows["turnover"]["target"], rows["turnover"]["met"]) == (
        11.6763,
        24.0,
        False,
    )
    assert result.summary["days_of_inventory"] == 31.3
    # The ledger's first move is on 2026-06-15, inside June: the report says turnover covers
    # only the part of the period since then.
    assert any(n.startswith("the ledger starts on 2026-06-15") for n in result.notes)
    assert (rows["fill_rate"]["value"], rows["fill_rate"]["basis"]) == (1.0, "2/2 lines")
    assert rows["fill_rate"]["met"] is True
    assert (rows["supplier_on_time"]["value"], rows["supplier_on_time"]["met"]) == (None, None)
    # Count discrepancy: |−0.22| ÷ counted value (21.78 + 72.00) = 0.0023, under 0.5 %.
    assert (rows["count_discrepancy"]["value"], rows["count_discrepancy"]["met"]) == (0.0023, True)
    turnover = report(app, "turnover", "2026-06")
    assert turnover.summary["cogs"] == "48.00"
    assert turnover.summary["month_ends"] == [{"date": "2026-06-30", "value": "93.78"}]
    assert [(r["category"], r["cogs"], r["avg_value"]) for r in turnover.rows] == [
        ("fasteners", "48.00", "93.78")
    ]


def test_pending_approvals_shows_waiting_requests_with_their_age(app, users):
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(100), unit_cost=D("0.12")), users["li"])
    app.bus.execute(
        CreateSalesOrder(customer="ACME", lines=(Line("M6-20", D(10), discount=D(30)),)),
        users["wang"],
    )
    app.clock.advance(hours=5)
    result = report(app, "pending_approvals")
    assert [
        (r["request"], r["subject"], r["requested_by"], r["age_hours"]) for r in result.rows
    ] == [("A-1", "SO-0001", "wang", 5.0)]
    app.bus.execute(DecideApproval(request="A-1", decision="approve"), users["mary"])
    assert report(app, "pending_approvals").rows == []


def test_stock_status_totals_by_category_and_warehouse_and_reads_in_two_languages(app, users):
    li = users["li"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(100), unit_cost=D("0.12")), li)
    app.bus.execute(ReceiveStock(item="BOX-S", qty=D(10), unit_cost=D("1.00"), warehouse="SH"), li)
    result = report(app, "stock_status", "last_month")
    assert [(r["sku"], r["warehouse"], r["value"]) for r in result.rows] == [
        ("BOX-S", "SH", "10.00"),
        ("M6-20", "MAIN", "12.00"),
    ]
    s = result.summary
    assert (s["total_value"], s["by_category"], s["by_warehouse"]) == (
        "22.00",
        {"fasteners": "12.00", "packaging": "10.00"},
        {"MAIN": "12.00", "SH": "10.00"},
    )
    assert any("snapshot" in n for n in result.notes)
    zh = render_text(result, "zh")
    assert zh.splitlines()[0] == "库存状况"
    assert "可用" in zh and "M6-20" in zh
    assert render_text(result, "en").splitlines()[0] == "Stock status"


def test_turnover_averages_only_the_month_ends_since_the_ledger_began(app, users):
    # The ledger's first move is today, 2026-06-15; the twelve months run from 2025-08-11.
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(1000), unit_cost=D("0.12")), users["li"])
    app.clock.advance(days=25)  # 2026-07-10
    sell_and_ship(app, users, "ACME", ("M6-20", 300))  # cost 36.00
    app.clock.advance(days=26)  # 2026-08-05
    sell_and_ship(app, users, "BETA", ("M6-20", 100))  # cost 12.00
    app.clock.advance(days=5)  # 2026-08-10
    result = report(app, "turnover")
    s = result.summary
    # Not nine empty month-ends beside three: 120.00, 84.00 and 72.00, average 92.00.
    assert s["month_ends"] == [
        {"date": "2026-06-30", "value": "120.00"},
        {"date": "2026-07-31", "value": "84.00"},
        {"date": "2026-08-10", "value": "72.00"},
    ]
    assert (s["cogs"], s["avg_value"], s["days_covered"]) == ("48.00", "92.00", 57)
    # 48 ÷ 92 = 0.5217 in the 57 days since 06-15: 3.341 a year; 365 ÷ 3.341 = 109.25 days.
    assert (s["turnover"], s["annualised_turnover"], s["days_of_inventory"]) == (
        0.5217,
        3.341,
        109.2,
    )
    assert [(r["category"], r["avg_value"]) for r in result.rows] == [("fasteners", "92.00")]
    assert any(n.startswith("the ledger starts on 2026-06-15") for n in result.notes)
    kpi = {r["kpi"]: r for r in report(app, "kpi").rows}
    assert kpi["turnover"]["value"] == 3.341


def test_a_receipt_on_or_before_its_due_date_is_on_time_and_accurate(app, users):
    lines = (Line("M6-20", D(1000), D("0.12")),)
    po = app.bus.execute(CreatePurchaseOrder(supplier="ECH", lines=lines), users["zhao"])
    app.bus.execute(ReceivePurchaseOrder(order=po.order), users["li"])  # the same day
    (row,) = report(app, "supplier_performance").rows
    assert (row["on_time_rate"], row["avg_days_late"], row["lead_time_accuracy"]) == (1.0, 0, 1.0)
    assert row["score"] == 100.0


def test_report_text_shows_whole_units_money_with_separators_and_percentages(app, users):
    set_rule(app, "reorder.history_days", "5")
    history(
        app,
        ("2026-06-10", "M6-20", "10", "ACME", "0.25"),
        ("2026-06-12", "M6-20", "20", "ACME", "0.25"),
        ("2026-06-14", "M6-20", "20", "BETA", "0.25"),
    )
    app.bus.execute(ReceiveStock(item="BOX-M", qty=D(250000), unit_cost=D("1.60")), users["li"])
    reorder = report(app, "below_reorder")
    assert reorder.rows[0]["reorder_point"] == 113.519  # JSON keeps the statistic
    text = render_text(reorder).splitlines()
    # ROP 113.519 and safety stock 43.519 round up to whole pieces; EOQ 6976.15 → 6,977.
    assert text[2].split() == ["SKU", "Projected", "ROP", "Safety", "stock", "EOQ", "MOQ", "Order"]
    assert text[3].split() == ["M6-20", "0", "114", "44", "6,977", "1,000", "6,977"]
    stock = render_text(report(app, "stock_status"))
    assert "BOX-M  MAIN" in stock and "250,000" in stock.split()
    assert "  Total stock value: 400,000.00" in stock.splitlines()
    assert "  By category: packaging 400,000.00" in stock.splitlines()
    top = render_text(report(app, "top_sellers")).splitlines()
    assert top[4].split() == ["1", "M6-20", "50", "12.50", "100.0", "%"]
    assert "  Share of the top 10: 100.0 %" in top
    kpi = render_text(report(app, "kpi"))
    assert "98.5 %" in kpi and "avg 400,000.00" in kpi


def test_supplier_text_shows_a_same_day_receipt_as_fully_on_time(app, users):
    lines = (Line("M6-20", D(1000), D("0.12")),)
    po = app.bus.execute(CreatePurchaseOrder(supplier="ECH", lines=lines), users["zhao"])
    app.bus.execute(ReceivePurchaseOrder(order=po.order), users["li"])
    row = render_text(report(app, "supplier_performance")).splitlines()[4]
    assert row.split()[:7] == ["ECH", "1", "100.0", "%", "0", "100.0", "%"]


@pytest.fixture
def busy(app, users):
    """A shop with a bit of everything: history, stock, a late purchase order, a shipment, a count
    off by a little, a request waiting, and an item that sold nothing in the window."""
    li, wang, zhao = users["li"], users["wang"], users["zhao"]
    history(
        app,
        *[(f"2026-05-{d:02d}", "M6-20", "100", "ACME", "0.25") for d in range(1, 31)],
        ("2026-06-01", "BOX-S", "20", "BETA", "2.20"),
        ("2026-01-05", "M6-NUT", "5", "BETA", "0.08"),
    )
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(500), unit_cost=D("0.12")), li)
    app.bus.execute(ReceiveStock(item="BOX-S", qty=D(100), unit_cost=D("1.00"), warehouse="SH"), li)
    app.bus.execute(ReceiveStock(item="HAMMER", qty=D(10), unit_cost=D("9.00")), li)
    lines = (Line("M8-30", D(500), D("0.22")),)
    po = app.bus.execute(CreatePurchaseOrder(supplier="ECH", lines=lines), zhao).order
    app.clock.advance(days=9)  # promised 7: two days late
    app.bus.execute(ReceivePurchaseOrder(order=po), li)
    sell_and_ship(app, users, "ACME", ("M6-20", 200))
    app.bus.execute(CountStock(item="M6-20", counted_qty=D(299)), li)
    pending = CreateSalesOrder(customer="ACME", lines=(Line("HAMMER", D(2), discount=D(30)),))
    assert app.bus.execute(pending, wang).status == "pending_approval"
    return app


def _allowed_words(app) -> set[str]:
    """Words that are data, not language: codes of items, partners, warehouses, categories,
    users, and the name ABC."""
    from sqlalchemy import select

    from domain.model import Item, Partner, User, Warehouse

    columns = (
        Item.__table__.c.sku,
        Item.__table__.c.category,
        Partner.__table__.c.code,
        Warehouse.__table__.c.code,
        User.__table__.c.name,
    )
    with app.uow(write=False) as uow:
        words = {str(v) for c in columns for (v,) in uow.execute(select(c)) if v}
    return {t for w in words for t in re.findall(r"[A-Za-z]{2,}", w)} | {"ABC"}


def _english_words(text: str, allowed: set[str]) -> list[str]:
    text = re.sub(r"\b(SO|PO|INV|BILL|CN)-\d+", "", text)  # document numbers
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in allowed]


def test_every_report_reads_in_chinese_headings_keys_and_notes(busy):
    allowed = _allowed_words(busy)
    texts = {}
    for name in NAMES:
        period = "last_month" if name == "stock_status" else None  # a snapshot note too
        texts[name] = render_text(report(busy, name, period), "zh")
        assert _english_words(texts[name], allowed) == [], (name, texts[name])
    assert "  库存总金额：335.88" in texts["stock_status"].splitlines()
    assert "  - 库存状况是当前快照，未使用所给的期间（上月）" in texts["stock_status"]
    assert "  - 窗口内没有需求，因此没有再订货点（未列出）：" in texts["below_reorder"]
    assert texts["kpi"].splitlines()[1] == "期间：2025-06-25 – 2026-06-24（近 12 个月）"
    kpi = texts["kpi"].splitlines()
    assert (
        "  - 课程目标：年周转率 24，订单满足率 98.5 %，供应商准时率 95 %，库存差异率不超过 0.5 %"
        in kpi
    )
    assert any(line.startswith("订单满足率") and line.endswith("1/1 行") for line in kpi)
    assert any(line.startswith("供应商准时率") and line.endswith("0/1 次到货") for line in kpi)
    assert "  达标指标数：2" in kpi and "  有数据的指标数：4" in kpi
    count = next(line for line in kpi if line.startswith("库存差异率"))
    assert (
        count.split(maxsplit=1)[1]
        == "0.3 %   0.5 %  是    |调整金额| 0.12 / 盘点金额 35.88（1 次盘点）"
    )
    assert "  - 账簿始于 2026-06-15：" in texts["turnover"]
    assert "A-1     SO-0002  wang" in texts["pending_approvals"]
    assert "折扣 30% 超过 10%" in texts["pending_approvals"]


def test_every_report_reads_in_english_without_chinese(busy):
    for name in NAMES:
        text = render_text(report(busy, name, "last_month" if name == "abc" else None), "en")
        assert not re.search(r"[\u3000-\u9fff\uff00-\uffef]", text), (name, text)
    kpi = render_text(report(busy, "kpi"), "en").splitlines()
    assert kpi[1] == "Period: 2025-06-25 – 2026-06-24 (last 12 months)"
    assert "  Targets met: 2" in kpi and "  KPIs with data: 4" in kpi
    abc = render_text(report(busy, "abc", "last_month"), "en")
    assert "  - ABC analysis is a snapshot; the period last month was not used" in abc


def test_report_json_keeps_the_english_notes_and_keys(busy):
    kpi = report(busy, "kpi")
    assert set(kpi.summary) == {"met", "measured", "days_of_inventory"}
    assert kpi.notes[0] == NOTES["kpi_targets"][0]
    basis = {r["kpi"]: r["basis"] for r in kpi.rows}
    assert (basis["fill_rate"], basis["supplier_on_time"]) == ("1/1 lines", "0/1 receipts")
    reorder = report(busy, "below_reorder")
    assert reorder.notes[0] == (
        "demand over 90 days ending 2026-06-24 (the last day of history); z = 1.645"
    )
