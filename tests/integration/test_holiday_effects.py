"""Holidays and seasons in the forecast: windows of days keyed by whether they are days off,
effects learned from past years, the chosen model's forecast of a holiday it saw before, and
last year's wave for the models without a yearly season."""

from datetime import date, timedelta

import numpy as np
import pytest

from adapters.forecasting.fitters import default_fitters
from adapters.forecasting.statsforecast_models import StatsForecastFitter
from domain.planning.choice import forecast_series
from domain.planning.forecasting import daily_series


def forecast(sku, rows, days, last_day):
    return forecast_series(sku, daily_series(rows, last_day), days, default_fitters())


@pytest.mark.slow
def test_the_chosen_model_forecasts_the_golden_week_dip_it_saw_in_past_years():
    """Two years of a weekly pattern in which trade nearly stops in the first week of October:
    whichever regular model wins, its forecast knows the holiday is coming."""
    last = date(2025, 9, 25)
    rows = []
    for i in range(730):
        day = last - timedelta(days=729 - i)
        level = (10, 11, 10, 11, 12, 5, 3)[day.weekday()] + (i * 7919) % 5
        if day.month == 10 and day.day <= 7:
            level *= 0.1
        rows.append((day, level))
    fc = forecast("GW", rows, 21, last)
    assert fc.model in ("prophet", "auto_ets", "mstl", "ensemble")
    day = {p.date: p.yhat for p in fc.points}
    holiday = [day[date(2025, 10, d)] for d in range(2, 7)]
    normal = [day[date(2025, 10, d)] for d in (13, 14, 15)]  # Monday to Wednesday after
    assert max(holiday) < 0.4 * min(normal)


def test_a_clear_golden_week_dip_keeps_its_depth_and_a_noisy_one_is_pulled_toward_none():
    """A busy item sells 15 % of a normal day in Golden Week: the learned factor stays near
    0.15. A slow item whose days stray as far as its level says little, and is pulled nearer 1."""
    from adapters.forecasting.holidays import GOLDEN_WEEK, OFF, HolidayAdjustment

    first = date(2023, 11, 1)
    days = [first + timedelta(days=i) for i in range(730)]
    golden = {date(y, 10, 1) + timedelta(days=k) for y in (2024, 2025) for k in range(7)}

    def learned(level: float, stray: float) -> float:
        values = [
            (0.15 if d in golden else 1.0) * level + stray * ((d.toordinal() * 7919) % 3 - 1)
            for d in days
        ]
        adjustment = HolidayAdjustment.learn(days, [max(v, 0.0) for v in values])
        return adjustment.factors[(GOLDEN_WEEK, OFF, 3)]

    assert 0.12 < learned(200, 10) < 0.2  # pulled toward 1 by a typical day: 0.32
    assert learned(2, 2) > 0.4


def test_a_holiday_window_s_days_are_keyed_by_whether_they_are_days_off():
    """Golden Week ran from 1 to 7 October 2024 and from 1 to 8 October 2025; 6 October was a
    Sunday in 2024 and a Monday in 2025; 29 September 2024 and 28 September 2025 were Sundays
    worked in exchange. A day is keyed by its status and its distance from 1 October."""
    from adapters.forecasting.holidays import AFTER, BEFORE, GOLDEN_WEEK, MAKEUP, OFF, day_keys

    keys = day_keys(date(2024, 9, 1), date(2026, 10, 31))
    assert keys[date(2024, 10, 6)] == keys[date(2025, 10, 6)] == (GOLDEN_WEEK, OFF, 5)
    assert keys[date(2024, 10, 8)] == (GOLDEN_WEEK, AFTER, 7)
    assert keys[date(2025, 10, 8)] == (GOLDEN_WEEK, OFF, 7)
    assert keys[date(2025, 10, 9)] == (GOLDEN_WEEK, AFTER, 8)
    assert keys[date(2024, 9, 29)] == keys[date(2025, 9, 28)] == (GOLDEN_WEEK, MAKEUP, 0)
    assert keys[date(2025, 9, 26)] == (GOLDEN_WEEK, BEFORE, -5)
    assert date(2025, 9, 20) not in keys and date(2025, 10, 20) not in keys
    # 2026: the Mid-Autumn Festival's days off (25-27 September) sit in Golden Week's window,
    # three working days before its own; those stay working days.
    assert [keys[date(2026, 9, d)][1] for d in range(25, 31)] == [OFF] * 3 + [BEFORE] * 3
    assert keys[date(2026, 10, 8)] == (GOLDEN_WEEK, AFTER, 7)


def test_a_day_off_that_was_a_working_day_last_year_gets_the_days_off_dip():
    """Trade sells a tenth of a normal day on the official days off of Golden Week. In 2025
    the 6th fell on a Monday (a Sunday in 2024) and the 8th was a day off (a Tuesday at work in
    2024): the forecast from September 2025 has both at the dip, and the 9th back at work."""
    import holidays

    cn = holidays.China(years=[2023, 2024, 2025])
    last = date(2025, 9, 20)
    first = last - timedelta(days=729)
    rows = []
    for i in range(730):
        day = first + timedelta(days=i)
        level = (100, 110, 100, 110, 120, 50, 30)[day.weekday()] + (i * 7919) % 7
        golden_weekend = day.weekday() >= 5 and date(day.year, 10, 1) <= day <= date(
            day.year, 10, 7
        )
        if day in cn or golden_weekend:
            level *= 0.1
        rows.append((day, float(level)))
    for model in ("auto_ets", "mstl"):
        points = StatsForecastFitter(model)(rows, 26)
        day = {p.date: p.yhat for p in points}
        assert day[date(2025, 10, 6)] < 0.3 * day[date(2025, 10, 13)], model  # Mondays
        assert day[date(2025, 10, 8)] < 0.3 * day[date(2025, 10, 15)], model  # Wednesdays
        assert day[date(2025, 10, 9)] > 0.7 * day[date(2025, 10, 16)], model  # Thursdays


def test_last_year_s_wave_is_kept_for_a_clear_series_and_shrunk_for_a_lumpy_one():
    """Demand rises 40 % from its yearly low over the next eight weeks, as it did last year.
    A busy item whose days stray little keeps most of last year's rise; an item sold in lumps
    of a hundred, whose weeks say little, keeps almost none of it."""
    from adapters.forecasting.statsforecast_models import yearly_factors

    rng = np.random.default_rng(3)
    first = date(2023, 12, 1)
    days = [first + timedelta(days=i) for i in range(730)]
    weekdays = [d.weekday() for d in days]
    # The series ends at the wave's low; 56 days on it is 40 % higher.
    t = np.arange(730 + 56)
    wave = 1 + 0.4 * (1 - np.cos(2 * np.pi * (t - 730) / 365)) / (1 - np.cos(2 * np.pi * 56 / 365))
    weekly = np.array([1.1, 1.05, 1.0, 1.05, 1.1, 0.45, 0.2])[
        [(first + timedelta(days=int(i))).weekday() for i in t]
    ]
    clear = rng.poisson(100 * weekly * wave)[:730].astype(float)
    lumpy = 100.0 * rng.poisson(weekly * wave * 0.3)[:730]
    rise = wave[730 + 41 : 730 + 56].mean() / wave[730 - 14 : 730].mean()  # about 1.29
    kept = yearly_factors(clear, weekdays, 56)[41:].mean()
    assert 1 + 0.7 * (rise - 1) < kept < 1 + 1.15 * (rise - 1)
    assert abs(yearly_factors(lumpy, weekdays, 56)[41:].mean() - 1) < 0.35 * (rise - 1)
    assert list(yearly_factors(clear[:300], weekdays[:300], 5)) == [1.0] * 5


def test_auto_ets_forecasts_last_year_s_rise_from_the_low():
    """The same busy item: AutoETS alone would hold the low level; with last year's wave the
    forecast's last two weeks sit well above its first two, as the true demand does."""
    rng = np.random.default_rng(4)
    first = date(2023, 12, 1)
    t = np.arange(730)
    wave = 1 + 0.2 * (1 - np.cos(2 * np.pi * (t - 730) / 365))
    weekly = np.array([1.1, 1.05, 1.0, 1.05, 1.1, 0.45, 0.2])[
        [(first + timedelta(days=int(i))).weekday() for i in t]
    ]
    rows = [
        (first + timedelta(days=int(i)), float(q))
        for i, q in zip(t, rng.poisson(100 * weekly * wave), strict=True)
    ]
    points = StatsForecastFitter("auto_ets", holidays=False)(rows, 56)
    early = np.mean([p.yhat for p in points[:14]])
    late = np.mean([p.yhat for p in points[42:]])
    truth = (1 + 0.2 * (1 - np.cos(2 * np.pi * 49 / 365))) / (
        1 + 0.2 * (1 - np.cos(2 * np.pi * 7 / 365))
    )
    assert late / early > 1 + 0.6 * (truth - 1)
