from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.planning.candidates import INTERMITTENT, REGULAR, SHORT, series_kind
from domain.planning.choice import forecast_series
from domain.planning.forecasting import (
    PROPHET,
    SEASONAL_MEAN,
    ForecastError,
    ForecastPoint,
    backtest,
    daily_series,
    mase,
    seasonal_mean,
)


def forecast(sku, rows, days, last_day, fitters=None):
    return forecast_series(sku, daily_series(rows, last_day), days, fitters)


LAST = date(2025, 6, 30)


def weekly_rows(days: int, last: date = LAST, pattern=(10, 12, 11, 13, 14, 4, 2)):
    first = last - timedelta(days=days - 1)
    return [
        (first + timedelta(days=i), Decimal(pattern[(first + timedelta(days=i)).weekday()]))
        for i in range(days)
    ]


def fake_prophet(series, days):
    """Stands in for Prophet: returns unordered, partly negative bounds to be cleaned up."""
    start = series[-1][0] + timedelta(days=1)
    return [ForecastPoint(start + timedelta(days=i), -1.0, 5.0, -3.0) for i in range(days)]


def test_daily_series_sums_each_day_and_fills_gaps_with_zero():
    rows = [
        (date(2025, 6, 1), Decimal("2")),
        (date(2025, 6, 1), Decimal("3.5")),
        (datetime(2025, 6, 3, 15, 0), 4),
        ("2025-06-07", Decimal("1")),  # after last_day: left out
    ]
    series = daily_series(rows, last_day=date(2025, 6, 5))
    assert series == [
        (date(2025, 6, 1), 5.5),
        (date(2025, 6, 2), 0.0),
        (date(2025, 6, 3), 4.0),
        (date(2025, 6, 4), 0.0),
        (date(2025, 6, 5), 0.0),
    ]
    assert daily_series([], LAST) == []


def test_the_kind_of_series_picks_the_candidates_and_says_why():
    kind, why = series_kind(daily_series(weekly_rows(59), LAST))
    assert kind == SHORT and "59 days" in why
    assert series_kind(daily_series(weekly_rows(60), LAST))[0] == REGULAR
    rows = weekly_rows(200)
    # In the last 90 days sell only on 35 of them: 61 % zero days.
    recent = [(d, q) for d, q in rows if (LAST - d).days >= 90 or (LAST - d).days % 90 < 35]
    kind, why = series_kind(daily_series(recent, LAST))
    assert kind == INTERMITTENT and "61%" in why and "90" in why
    exactly_60 = [(d, q) for d, q in rows if (LAST - d).days >= 90 or (LAST - d).days < 36]
    assert series_kind(daily_series(exactly_60, LAST))[0] == REGULAR


def test_without_any_fitter_the_seasonal_mean_stands_in_and_the_reason_says_so():
    fc = forecast("TAPE-48", weekly_rows(200), 14, LAST)
    assert fc.model == SEASONAL_MEAN
    assert "no model" in fc.reason


def test_forecast_dates_start_the_day_after_history_even_when_sales_stopped_earlier():
    rows = weekly_rows(100, last=LAST - timedelta(days=10))
    fc = forecast("M6-20", rows, 30, LAST)
    assert [p.date for p in fc.points] == [LAST + timedelta(days=i + 1) for i in range(30)]


def test_prophet_points_are_clipped_at_zero_and_ordered():
    fc = forecast("M6-20", weekly_rows(200), 7, LAST, fitters=fake_prophet)
    assert fc.model == PROPHET
    for p in fc.points:
        assert 0 <= p.yhat_lower <= p.yhat <= p.yhat_upper
    assert fc.points[0] == ForecastPoint(LAST + timedelta(days=1), 0.0, 0.0, 0.0)


@pytest.mark.parametrize("days", [0, -1, 366, 2.5, True])
def test_a_horizon_outside_1_to_365_days_is_refused(days):
    with pytest.raises(ForecastError) as err:
        forecast("M6-20", weekly_rows(100), days, LAST)
    assert err.value.code == "invalid_quantity"
    assert isinstance(err.value, ValueError)


def test_an_item_without_history_cannot_be_forecast():
    with pytest.raises(ForecastError, match="no sales history") as err:
        forecast("NEW-1", [], 30, LAST)
    assert err.value.code == "unknown_item"


def test_seasonal_mean_repeats_the_weekday_pattern():
    series = daily_series(weekly_rows(56), LAST)
    points = seasonal_mean(series, 7)
    assert [p.yhat for p in points] == [
        pytest.approx([10, 12, 11, 13, 14, 4, 2][p.date.weekday()]) for p in points
    ]
    # A perfectly regular week leaves no residual: the interval collapses on the mean.
    assert all(p.yhat_lower == pytest.approx(p.yhat_upper) for p in points)


def test_mase_scales_by_the_in_sample_seasonal_naive_error():
    insample = [0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2]  # lag-7 naive MAE = 2
    assert mase([3, 3], [2, 4], insample) == pytest.approx(0.5)
    assert mase([1], [1], [5] * 14) is None  # flat history: no scale


def test_backtest_scores_a_perfect_model_at_zero_and_the_naive_above_it():
    series = [(LAST - timedelta(days=200 - i), float(i % 7 + i / 50)) for i in range(200)]
    values = dict(series)

    def oracle(train, h):
        start = train[-1][0]
        return [values[start + timedelta(days=i + 1)] for i in range(h)]

    result = backtest(series, oracle)
    assert result.origins == 4
    assert result.mase == 0
    assert result.mase_naive > 0
