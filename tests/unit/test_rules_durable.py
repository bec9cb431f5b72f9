"""durable-rules against the plain-Python reference on random fact streams, and what is
particular to running durable-rules: its rulesets are process-global, its sessions limited,
its JSON parser refuses exponents."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.bootstrap import make_rules_engine as make_engine
from rules.durable_engine import number_text

_DURABLE = None


def durable():
    global _DURABLE
    if _DURABLE is None:
        _DURABLE = make_engine("durable")
    return _DURABLE


EDGES = [0, -0.0, 0.0, 1, -1, 0.5, -0.5, 13, 14, 14.0, 3, 128, -128, 1e-05, -1e-07, 1e16, 1e300]
EDGES += [2**53, 2**53 + 1, 0.1, 0.2, 0.30000000000000004, 5e-324, 1.7976931348623157e308]
ALERT_OPEN = [0, 1, 0.0, 1.0, 2, -1, True, False, 0.5]
STATUSES = ["pending", "approved", "rejected", "cancelled", "Pending", "", 'pen"ding', "待批"]
STATUSES += ["pending\x00", "pending\\", "\ud800", "\\u0070ending"]


@st.composite
def numbers(draw, pool):
    """A number that is often equal to another field of the same fact (the thresholds)."""
    return draw(
        st.one_of(
            st.sampled_from(pool),
            st.sampled_from(EDGES),
            st.integers(-1000, 1000),
            st.floats(allow_nan=False, allow_infinity=False),
            st.floats(-1000, 1000, allow_nan=False),
        )
    )


LABEL = st.text(min_size=1, max_size=8)

FIELDS = {
    "stock_level": ["projected", "reorder_point"],
    "sale_price": ["price", "list_price", "discount_pct", "threshold_pct"],
    "demand_day": ["qty", "mean", "sigma", "k_sigma", "days"],
    "count": ["diff_qty", "diff_value", "pct", "value_limit", "pct_limit"],
    "negative": ["on_hand", "reserved"],
    "approval": [],
}


@st.composite
def facts(draw):
    type_ = draw(st.sampled_from(sorted(FIELDS)))
    pool = draw(st.lists(st.sampled_from(EDGES) | st.integers(-200, 200), min_size=1, max_size=3))
    fact: dict = {"type": type_}
    for name in FIELDS[type_]:
        fact[name] = draw(numbers(pool))
    if type_ == "stock_level":
        fact["reorder_point"] = draw(st.sampled_from([-1, fact["reorder_point"]]))
    if type_ in ("stock_level", "approval"):
        fact["alert_open"] = draw(st.sampled_from(ALERT_OPEN))
    if type_ == "approval":
        fact.update(
            status=draw(st.sampled_from(STATUSES) | st.text(max_size=8)),
            request="A-7",
            requested_by="tom",
        )
    if type_ == "demand_day":
        fact["days"] = draw(st.sampled_from([13, 14, 14.0, 15, 0, -1, fact["days"]]))
    for name in ("sku", "order", "warehouse"):
        fact[name] = draw(LABEL)
    spoil = draw(st.sampled_from(["none"] * 6 + ["drop", "string", "none_value", "nan", "type"]))
    compared = [k for k in fact if k not in ("type", "sku")]
    key = draw(st.sampled_from(compared))
    if spoil == "drop":
        del fact[key]
    elif spoil == "string":
        fact[key] = str(fact[key])
    elif spoil == "none_value":
        fact[key] = None
    elif spoil == "nan":
        fact[key] = math.nan
    elif spoil == "type":
        fact["type"] = draw(st.sampled_from(["stock", "", "Sale_price", "approvals"]))
    return fact


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(facts(), max_size=30))
def test_durable_rules_fire_exactly_what_the_reference_fires(stream):
    expected = make_engine("reference").evaluate(stream)
    assert durable().evaluate(stream) == expected


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-(2**70), 2**70))
def test_numbers_are_posted_in_full_without_exponents(value):
    text = number_text(value)
    assert "e" not in text and "." in text
    assert float(text) == float(value)


def test_two_engines_in_one_process_never_see_each_others_rules_or_results():
    first, second = make_engine("durable"), make_engine("durable")
    below = {"type": "stock_level", "sku": "A", "projected": 1, "reorder_point": 5, "alert_open": 0}
    above = {**below, "projected": 9}
    assert [f.facts["sku"] for f in first.evaluate([below])] == ["A"]
    assert second.evaluate([above]) == []
    assert [f.facts for f in second.evaluate([below, {**below, "sku": "B"}])] == [
        below,
        {**below, "sku": "B"},
    ]
    assert first.evaluate([above]) == []


def test_a_long_stream_keeps_firing_past_the_session_limit():
    engine = make_engine("durable")
    fact = {"type": "negative", "sku": "M6", "warehouse": "WH1", "on_hand": -1, "reserved": 0}
    for n in range(3):
        batch = [{**fact, "sku": f"M6-{n}-{i}", "sid": str(i)} for i in range(1500)]
        fired = engine.evaluate(batch)
        assert [f.subject for f in fired] == [f"M6-{n}-{i}@WH1" for i in range(1500)]
