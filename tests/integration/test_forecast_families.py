"""The choice with the real models on series of known structure: two years of daily demand with
a weekday pattern and, on top, a yearly wave, a trend, a level shift, or sales on few days. The
chosen model must be of the right kind and forecast the next 28 days' true level and weekly
shape."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from adapters.forecasting.fitters import default_fitters
from domain.planning.choice import choose, forecast_with
from domain.planning.forecasting import ADIDA, CROSTON_SBA, IMAPA, SEASONAL_MEAN

pytestmark = pytest.mark.slow

LAST, N, H = date(2025, 11, 30), 730, 28
DAYS = [LAST - timedelta(days=N - 1 - i) for i in range(N + H)]
T = np.arange(N + H)
WEEK = np.array([1.1, 1.05, 1.0, 1.05, 1.1, 0.45, 0.2])[[d.weekday() for d in DAYS]]
REGULAR = {
    "weekly": 50 * WEEK,
    "yearly wave": 50 * WEEK * (1 + 0.5 * np.sin(2 * np.pi * (T - N + 60) / 365)),
    "trend": 20 * WEEK * (1 + 1.5 * T / N),
    "level shift": 30 * WEEK * np.where(T > N - 70, 2.0, 1.0),
}
FITTERS = default_fitters()


def choose_and_forecast(values):
    series = [(d, float(q)) for d, q in zip(DAYS[:N], values[:N], strict=True)]
    choice = choose(series, FITTERS, LAST.isoformat(), score_latest=False)
    return choice, forecast_with("X", series, H, choice, FITTERS)


@pytest.mark.parametrize("structure", sorted(REGULAR))
def test_a_regular_series_gets_a_regular_model_that_knows_its_level_and_week(structure):
    mean = REGULAR[structure]
    choice, fc = choose_and_forecast(np.random.default_rng(2).poisson(mean))
    assert choice.kind == "regular" and choice.model not in (SEASONAL_MEAN, CROSTON_SBA)
    level = np.mean([p.yhat for p in fc.points]) / mean[N:].mean()
    assert 0.85 < level < 1.15, f"{structure}: {choice.reason}"
    saturdays = [p.yhat for p in fc.points if p.date.weekday() == 5]
    mondays = [p.yhat for p in fc.points if p.date.weekday() == 0]
    assert np.mean(saturdays) / np.mean(mondays) == pytest.approx(0.45 / 1.1, abs=0.1)
    if structure == "level shift":  # at the new level, about 64 a weekday, not the old 32
        assert np.mean([p.yhat for p in fc.points if p.date.weekday() < 5]) > 55


def test_sales_on_few_days_get_an_intermittent_model_its_rate_kept_as_the_mean():
    rng = np.random.default_rng(2)
    values = (rng.random(N + H) < 0.2) * rng.poisson(3, N + H) * 1.0  # a rate of 0.6 a day
    choice, fc = choose_and_forecast(values)
    assert choice.kind == "intermittent" and choice.model in (CROSTON_SBA, ADIDA, IMAPA)
    rate = np.mean([p.expected for p in fc.points])
    assert 0.45 < rate < 0.8
    assert all(p.yhat <= p.expected for p in fc.points)
