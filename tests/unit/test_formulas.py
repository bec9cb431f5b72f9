import math
from decimal import Decimal

import pytest

from domain.planning.formulas import (
    COUNT_FREQUENCY,
    abc_classes,
    count_frequency,
    demand_stats,
    eoq,
    reorder_point,
    safety_stock,
    suggested_order_qty,
    turnover,
    z_for_service_level,
)


def test_service_level_95_percent_gives_z_1_645():
    assert round(z_for_service_level(0.95), 3) == 1.645
    assert round(z_for_service_level(Decimal("0.99")), 3) == 2.326
    assert z_for_service_level(0.5) == pytest.approx(0.0)


@pytest.mark.parametrize("p", [0, 1, -0.1, 1.5])
def test_service_level_outside_zero_and_one_is_refused(p):
    with pytest.raises(ValueError, match="service level"):
        z_for_service_level(p)


def test_safety_stock_grows_with_the_square_root_of_lead_time():
    assert safety_stock(1.645, 10, 4) == pytest.approx(32.9)
    assert safety_stock(1.645, 10, 16) == pytest.approx(2 * safety_stock(1.645, 10, 4))
    assert safety_stock(1.645, 0, 7) == 0


def test_reorder_point_is_lead_time_demand_plus_safety_stock():
    # 20 a day, 7 days' lead time, σ 5: ROP = 140 + 1.645 × 5 × √7
    ss = safety_stock(z_for_service_level(0.95), 5, 7)
    assert reorder_point(20, 7, ss) == pytest.approx(140 + 1.6449 * 5 * math.sqrt(7), rel=1e-4)


def test_eoq_follows_the_course_formula():
    # D 12,000 a year, S 200 an order, H 25 % of a unit cost of 12 = 3
    assert eoq(12000, Decimal("200"), Decimal("3")) == pytest.approx(math.sqrt(2 * 12000 * 200 / 3))
    assert eoq(0, 200, 3) == 0


def test_eoq_needs_a_positive_holding_cost():
    with pytest.raises(ValueError, match="holding cost"):
        eoq(1000, 200, 0)


def test_suggested_order_is_eoq_rounded_up_but_never_below_moq():
    assert suggested_order_qty(1264.9, Decimal("1000")) == Decimal("1265")
    assert suggested_order_qty(87.2, Decimal("500")) == Decimal("500")
    assert isinstance(suggested_order_qty(3.0, 5), Decimal)


def test_demand_stats_count_zero_days_and_use_the_sample_deviation():
    mean, sd = demand_stats([0, 0, 6, 0, 4])
    assert mean == pytest.approx(2.0)
    assert sd == pytest.approx(math.sqrt((4 + 4 + 16 + 4 + 4) / 4))
    assert demand_stats([Decimal("3")]) == (3.0, 0.0)


def test_demand_stats_without_history_is_an_error():
    with pytest.raises(ValueError, match="no demand history"):
        demand_stats([])


def test_abc_classes_use_the_cumulative_share_before_each_item():
    rows = [
        ("C1", Decimal("10")),
        ("A1", Decimal("700")),
        ("B1", Decimal("100")),
        ("A2", Decimal("150")),  # before it 70 % → A, though it takes the total to 85 %
        ("C2", Decimal("40")),  # before it 95 % → C
    ]
    result = abc_classes(rows)
    assert [(r["sku"], r["class"]) for r in result] == [
        ("A1", "A"),
        ("A2", "A"),
        ("B1", "B"),
        ("C2", "C"),
        ("C1", "C"),
    ]
    first = result[0]
    assert first["value"] == Decimal("700")
    assert first["share"] == pytest.approx(0.7)
    assert first["cum_share"] == pytest.approx(0.7)
    assert result[-1]["cum_share"] == pytest.approx(1.0)
    assert set(first) == {"sku", "class", "value", "share", "cum_share"}


def test_abc_with_nothing_sold_puts_every_item_in_c():
    result = abc_classes([("X", Decimal(0)), ("Y", Decimal(0))])
    assert [r["class"] for r in result] == ["C", "C"]
    assert all(r["share"] == 0 for r in result)


def test_counting_frequency_per_class():
    assert COUNT_FREQUENCY == {"A": 12, "B": 4, "C": 1}
    assert count_frequency("B") == 4
    with pytest.raises(ValueError):
        count_frequency("D")


def test_turnover_is_cogs_over_average_month_end_stock():
    ratio, days = turnover(Decimal("240000"), [Decimal("8000"), Decimal("12000")])
    assert ratio == Decimal(24)
    assert days == pytest.approx(Decimal(365) / 24)


def test_turnover_without_stock_or_sales_has_no_days():
    assert turnover(Decimal("100"), [Decimal(0)]) == (None, None)
    ratio, days = turnover(Decimal(0), [Decimal("500")])
    assert ratio == 0 and days is None
    with pytest.raises(ValueError):
        turnover(Decimal(1), [])
