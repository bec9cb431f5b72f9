"""Numbers as people read them in text: whole counted units, money with separators, shares as
percentages. JSON keeps the exact strings (`qty_str`, `money_str`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.numbers import (
    cost_display,
    forecast_display,
    is_counted,
    money_display,
    money_str,
    pct_display,
    qty_display,
    qty_str,
)

D = Decimal


def test_reorder_points_and_eoq_of_counted_units_round_up_to_whole_units():
    assert qty_display(121.312, "pcs", up=True) == "122"
    assert qty_display(795.2, "box", up=True) == "796"
    assert qty_display(D("122"), "pcs", up=True) == "122"  # already whole: unchanged
    assert qty_display(6976.15, "pcs", up=True) == "6,977"
    assert qty_display(D("12.3451"), "kg", up=True) == "12.346"  # measured: 3 decimals


def test_quantities_are_whole_for_counted_units_and_grouped_in_thousands():
    assert qty_display(D("1615")) == "1,615"
    assert qty_display(D("1000000"), "pcs") == "1,000,000"
    assert qty_display(121.5, "pcs") == "122"  # half-up
    assert qty_display(D("2.5"), "m") == "2.5"
    assert qty_display(D("-1234"), "个") == "-1,234"
    assert qty_display("20.000") == "20"


@pytest.mark.parametrize(
    ("value", "uom", "shown"),
    [(3.4, "pcs", "3"), (3.5, "台", "4"), (0.2, "pcs", "0"), (12.34567, "kg", "12.346")],
)
def test_forecasts_are_rounded_to_what_the_unit_allows(value, uom, shown):
    assert forecast_display(value, uom) == shown


def test_money_has_thousands_separators_and_two_decimals_half_up():
    assert money_display(D("398999601")) == "398,999,601.00"
    assert money_display("5") == "5.00"
    assert money_display(D("1234.565")) == "1,234.57"
    assert money_display(D("-0.005")) == "-0.01"
    assert cost_display(D("1240.5")) == "1,240.5000"


def test_shares_are_percentages():
    assert pct_display(0.125) == "12.5 %"
    assert pct_display(1) == "100.0 %"
    assert pct_display(0.0023, 2) == "0.23 %"


def test_counted_units_and_the_json_forms_stay_exact():
    assert is_counted("PCS") and is_counted("台") and not is_counted("kg") and not is_counted(None)
    assert qty_str(D("1615")) == "1615" and money_str(D("398999601")) == "398999601.00"
