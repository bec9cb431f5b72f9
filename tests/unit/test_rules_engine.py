"""The rules, as the feed meets them: each fact fires at most one alert to open or resolve, on
the durable-rules engine and on the plain-Python reference alike."""

from __future__ import annotations

import math

import pytest

from adapters.bootstrap import make_rules_engine as make_engine
from rules.engine import Fired


@pytest.fixture(params=["durable", "reference"])
def engine(request):
    eng = make_engine(request.param)
    yield eng
    eng.close()


def stock(projected, rop, alert_open=0, **extra):
    return {
        "type": "stock_level",
        "sku": "GLOVE-L",
        "projected": projected,
        "reorder_point": rop,
        "alert_open": alert_open,
        **extra,
    }


def price(discount, threshold=20):
    return {
        "type": "sale_price",
        "order": "SO-0012",
        "sku": "TAPE-48",
        "price": 4.0,
        "list_price": 6.45,
        "discount_pct": discount,
        "threshold_pct": threshold,
    }


def demand(qty, mean=10, sigma=2, days=30, k_sigma=3):
    return {
        "type": "demand_day",
        "sku": "M6-20",
        "date": "2026-06-14",
        "qty": qty,
        "mean": mean,
        "sigma": sigma,
        "k_sigma": k_sigma,
        "days": days,
    }


def count(diff_value, pct=0, value_limit=500, pct_limit=5):
    return {
        "type": "count",
        "count_id": "C-3",
        "sku": "M6-20",
        "warehouse": "WH1",
        "diff_qty": -4,
        "diff_value": diff_value,
        "pct": pct,
        "value_limit": value_limit,
        "pct_limit": pct_limit,
    }


def negative(on_hand, reserved):
    return {
        "type": "negative",
        "sku": "M6-20",
        "warehouse": "WH1",
        "on_hand": on_hand,
        "reserved": reserved,
        "orders": ["SO-0007"],
    }


def approval(status, alert_open=0):
    return {
        "type": "approval",
        "request": "A-7",
        "status": status,
        "subject": "SO-0012",
        "requested_by": "tom",
        "alert_open": alert_open,
    }


def actions(engine, facts):
    return [(f.kind, f.subject, f.action) for f in engine.evaluate(facts)]


def test_stock_below_reorder_point_opens_a_reorder_alert_with_its_figures(engine):
    fact = stock(50, 128, suggested_qty=412, eoq=412, moq=50, service_level=0.95)
    assert engine.evaluate([fact]) == [Fired("reorder", "GLOVE-L", "open", fact)]


def test_stock_exactly_at_the_reorder_point_opens_and_one_above_does_not(engine):
    assert actions(engine, [stock(128, 128)]) == [("reorder", "GLOVE-L", "open")]
    assert actions(engine, [stock(128.5, 128), stock(129, 128)]) == []


def test_item_without_demand_history_never_raises_a_reorder_alert(engine):
    assert actions(engine, [stock(0, -1), stock(-5, -1), stock(-1, -1)]) == []


def test_zero_reorder_point_alerts_only_at_or_below_zero(engine):
    assert actions(engine, [stock(1, 0), stock(0, 0), stock(-3, 0)]) == [
        ("reorder", "GLOVE-L", "open"),
        ("reorder", "GLOVE-L", "open"),
    ]


def test_open_reorder_alert_is_not_raised_again_and_resolves_above_the_point(engine):
    assert actions(engine, [stock(40, 128, alert_open=1)]) == []
    assert actions(engine, [stock(128, 128, alert_open=1)]) == []
    assert actions(engine, [stock(200, 128, alert_open=1)]) == [("reorder", "GLOVE-L", "resolve")]


def test_reorder_alert_fires_again_after_it_resolved(engine):
    stream = [stock(50, 128), stock(300, 128, alert_open=1), stock(60, 128, alert_open=0)]
    assert [f.action for f in engine.evaluate(stream)] == ["open", "resolve", "open"]


def test_price_more_than_threshold_under_list_is_an_anomaly_of_the_order_line(engine):
    assert actions(engine, [price(38)]) == [("anomaly.price", "SO-0012:TAPE-48", "open")]
    assert actions(engine, [price(20), price(-5), price(0)]) == []


def test_demand_above_mean_plus_three_sigma_is_an_anomaly(engine):
    assert actions(engine, [demand(17)]) == [("anomaly.demand", "M6-20", "open")]
    assert actions(engine, [demand(16), demand(16.0), demand(15)]) == []  # 16 = 10 + 3 × 2


def test_demand_anomaly_waits_for_fourteen_days_of_history(engine):
    assert actions(engine, [demand(500, days=13)]) == []
    assert actions(engine, [demand(500, days=14)]) == [("anomaly.demand", "M6-20", "open")]


def test_count_discrepancy_over_value_either_way_or_over_percent(engine):
    assert (
        actions(engine, [count(-600), count(600), count(0, pct=6)])
        == [("anomaly.count", "M6-20@WH1", "open")] * 3
    )
    assert actions(engine, [count(-500), count(500), count(-10, pct=5)]) == []


def test_negative_stock_or_reservation_over_on_hand_is_an_anomaly(engine):
    assert (
        actions(engine, [negative(-1, 0), negative(3, 5)])
        == [("anomaly.negative", "M6-20@WH1", "open")] * 2
    )
    assert actions(engine, [negative(0, 0), negative(5, 5)]) == []


def test_pending_approval_alerts_once_and_a_decision_resolves_it(engine):
    assert actions(engine, [approval("pending")]) == [("approval", "A-7", "open")]
    assert actions(engine, [approval("pending", alert_open=1)]) == []
    assert actions(engine, [approval("approved", alert_open=1)]) == [("approval", "A-7", "resolve")]
    assert actions(engine, [approval("rejected", alert_open=0)]) == []


@pytest.mark.parametrize(
    "fact",
    [
        {"type": "stock_level", "sku": "GLOVE-L", "projected": 1, "alert_open": 0},
        stock("11", 128),
        stock(50, "128"),
        stock(None, 128),
        stock(math.nan, 128),
        stock(50, math.inf),
        stock(10**400, 10**401),
        {**price(38), "order": 12},
        demand([17]),
        {**count(-600), "warehouse": None},
        negative({"v": -1}, 0),
        approval(None),
        {"type": "shipment_late", "sku": "M6-20"},
        {"type": ["stock_level"]},
        {"sku": "GLOVE-L", "projected": 1, "reorder_point": 5},
        "stock_level",
    ],
)
def test_malformed_or_unknown_fact_fires_nothing_and_raises_nothing(engine, fact):
    assert engine.evaluate([fact]) == []


def test_malformed_facts_do_not_stop_the_good_ones_around_them(engine):
    facts = [stock(50, 128), stock("x", 128), {"type": None}, price(38), demand("17")]
    assert [f.kind for f in engine.evaluate(facts)] == ["reorder", "anomaly.price"]


def test_numbers_written_with_exponents_are_compared_like_any_other(engine):
    assert actions(engine, [demand(1e-05, mean=0, sigma=0)]) == [
        ("anomaly.demand", "M6-20", "open")
    ]
    assert actions(engine, [demand(1e-07, mean=2e-07, sigma=0)]) == []
    assert actions(engine, [stock(1e16, 1e17), stock(1e300, 1e299)]) == [
        ("reorder", "GLOVE-L", "open")
    ]


def test_fired_facts_are_the_facts_as_posted_in_order(engine):
    facts = [approval("pending"), stock(1, 5), price(1), negative(-2, 0)]
    fired = engine.evaluate(facts)
    assert [f.facts for f in fired] == [facts[0], facts[1], facts[3]]
    assert engine.evaluate([]) == []
