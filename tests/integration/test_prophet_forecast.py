"""Real Prophet and statsforecast on the generated demo history and on synthetic series whose
structure is known: the choice by backtest, the batch, the holiday file."""

from collections import defaultdict
from datetime import date, timedelta

import pytest

from adapters.demo_history import generate_history
from adapters.forecasting.batch import MemoryStore, forecast_all
from adapters.forecasting.chart import render_forecast_png
from adapters.forecasting.fitters import default_fitters
from adapters.forecasting.prophet_model import (
    HolidayFileError,
    ProphetFitter,
    read_holiday_file,
)
from domain.planning.choice import choose, forecast_series
from domain.planning.forecasting import (
    ADIDA,
    CROSTON_SBA,
    IMAPA,
    SEASONAL_MEAN,
    daily_series,
)

INTERMITTENT_MODELS = (CROSTON_SBA, ADIDA, IMAPA)
FITTERS = default_fitters()


def forecast(sku, rows, days, last_day, fitters=FITTERS):
    return forecast_series(sku, daily_series(rows, last_day), days, fitters)


LAST_DAY = date(2025, 11, 30)


@pytest.fixture(scope="module")
def tape_forecast(history):
    return forecast("TAPE-48", history["TAPE-48"], 30, LAST_DAY)


class CountingFitter(ProphetFitter):
    """A real Prophet fitter that counts its fits (run in-process with n_jobs=1)."""

    calls = 0

    def __call__(self, series, days):
        CountingFitter.calls += 1
        return super().__call__(series, days)


def counting_table():
    return {**FITTERS, "prophet": CountingFitter(), "prophet_multiplicative": CountingFitter()}


def test_demo_history_is_deterministic_and_plausible(history):
    again = generate_history(LAST_DAY)
    regrouped = defaultdict(list)
    for row in again:
        regrouped[row.sku].append((row.date, row.qty))
    assert regrouped == history
    assert max(r.date for r in again) == LAST_DAY
    assert min(r.date for r in again) == LAST_DAY - timedelta(days=729)
    assert {r.customer for r in again} == {"ACME", "BETA", "GREEN", "SUNRISE", "MEILIN", "XINDA"}
    assert all(r.qty == r.qty.to_integral_value() for r in again if r.sku == "M6-20")
    assert any(r.qty != r.qty.to_integral_value() for r in again if r.sku == "WIRE-2.5")
    assert len(daily_series(history["GLUE-AB"], LAST_DAY)) == 45


def test_the_chosen_forecast_has_n_consecutive_days_after_history_with_ordered_bounds(
    tape_forecast,
):
    assert tape_forecast.model in ("prophet", "auto_ets", "mstl", "ensemble")
    assert "chosen by backtest on 3 origins" in tape_forecast.reason
    assert [p.date for p in tape_forecast.points] == [
        LAST_DAY + timedelta(days=i + 1) for i in range(30)
    ]
    for p in tape_forecast.points:
        assert 0 <= p.yhat_lower <= p.yhat <= p.yhat_upper
    # Weekends are quiet in the history, and the forecast knows it.
    by_dow = defaultdict(list)
    for p in tape_forecast.points:
        by_dow[p.date.weekday()].append(p.yhat)
    assert max(by_dow[6]) < min(by_dow[1])


def test_slow_movers_and_new_items_fall_back_with_a_reason(history):
    drill = forecast("DRILL-18V", history["DRILL-18V"], 14, LAST_DAY)
    glue = forecast("GLUE-AB", history["GLUE-AB"], 14, LAST_DAY)
    assert drill.model in INTERMITTENT_MODELS and glue.model == SEASONAL_MEAN
    assert "intermittent" in drill.reason
    assert "45 days" in glue.reason
    for fc in (drill, glue):
        assert len(fc.points) == 14
        assert all(0 <= p.yhat_lower <= p.yhat <= p.yhat_upper for p in fc.points)


def test_an_unchanged_item_is_served_from_the_store_without_refitting(history):
    items = {"M6-20": history["M6-20"], "HELMET": history["HELMET"], "EMPTY": []}
    store = MemoryStore()
    CountingFitter.calls = 0
    first = forecast_all(items, 14, LAST_DAY, n_jobs=1, store=store, fitters=counting_table())
    assert sorted(first.fitted) == sorted(first.chosen) == ["HELMET", "M6-20"]
    assert first.errors["EMPTY"].code == "unknown_item"
    # Prophet's backtest fits (HELMET is intermittent: none): the first origin at least, where
    # it races, and the final fit when it won.
    chosen = CountingFitter.calls
    assert chosen >= 1

    progress = []
    second = forecast_all(
        items, 14, LAST_DAY, n_jobs=1, store=store, fitters=counting_table(),
        progress=lambda done, total: progress.append((done, total)),
    )  # fmt: skip
    assert CountingFitter.calls == chosen
    assert sorted(second.cached) == ["HELMET", "M6-20"] and second.fitted == []
    assert second.forecasts["M6-20"] == first.forecasts["M6-20"]
    assert progress[-1] == (3, 3)
    shorter = forecast_all(items, 7, LAST_DAY, n_jobs=1, store=store, fitters=counting_table())
    assert (
        shorter.fitted == []
        and shorter.forecasts["HELMET"].points == (first.forecasts["HELMET"].points[:7])
    )

    # A new sale changes the item's data version: that item, and only that one, is refitted
    # with its stored choice.
    items["M6-20"] = [*items["M6-20"], (LAST_DAY, 100)]
    third = forecast_all(items, 14, LAST_DAY, n_jobs=1, store=store, fitters=counting_table())
    assert third.fitted == ["M6-20"] and third.cached == ["HELMET"] and third.chosen == []
    uses_prophet = store.choice("M6-20").candidate.count("prophet")
    assert CountingFitter.calls == chosen + uses_prophet


def test_a_closed_day_in_the_holiday_file_is_forecast_as_zero(tmp_path, history):
    closed = LAST_DAY + timedelta(days=3)
    path = tmp_path / "holidays.csv"
    path.write_text(
        "date,name,kind\n"
        f"{closed.isoformat()},stocktake,closed\n"
        "2025-09-28,make-up day,workday\n"
        "2025-06-01,company anniversary,\n",
        encoding="utf-8",
    )
    fitter = ProphetFitter.from_holiday_file(path)
    assert [h.kind for h in fitter.extra_holidays] == ["closed", "workday", "holiday"]
    assert fitter.settings_key() != ProphetFitter().settings_key()
    points = fitter(daily_series(history["BOX-M"], LAST_DAY), 7)
    day = {p.date: p for p in points}
    assert (day[closed].yhat, day[closed].yhat_upper) == (0.0, 0.0)
    assert day[closed + timedelta(days=1)].yhat > 0


def test_without_uncertainty_samples_the_band_is_the_point(history):
    series = daily_series(history["TAPE-48"], LAST_DAY)
    banded = ProphetFitter()(series, 14)
    points = ProphetFitter(uncertainty_samples=0)(series, 14)
    assert [p.date for p in points] == [p.date for p in banded]
    assert [p.yhat for p in points] == [p.yhat for p in banded]
    assert all(p.yhat_lower == p.yhat == p.yhat_upper for p in points)
    assert any(p.yhat_lower < p.yhat_upper for p in banded)


def test_a_bad_holiday_file_names_its_line(tmp_path):
    path = tmp_path / "holidays.csv"
    path.write_text("date,name,kind\n2025-10-01,ok,closed\n2025-13-01,bad,closed\n")
    with pytest.raises(HolidayFileError, match="line 3"):
        read_holiday_file(path)
    path.write_text("2025-10-01,party,vacation\n")
    with pytest.raises(HolidayFileError, match="line 1: kind"):
        read_holiday_file(path)


def test_forecast_chart_is_a_png(tmp_path, history, tape_forecast):
    out = render_forecast_png(
        tape_forecast,
        daily_series(history["TAPE-48"], LAST_DAY),
        tmp_path / "f.png",
        name="48mm封箱胶带",
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_the_choice_on_demo_history_beats_the_seasonal_naive(history):
    for sku in ("TAPE-48", "M6-20", "WIRE-2.5"):
        choice = choose(daily_series(history[sku], LAST_DAY), FITTERS)
        assert choice.origins == 3
        assert choice.mase < choice.mase_naive, sku
    # One slow mover's 28 days decide little: its choice is among its own kind's models.
    drill = choose(daily_series(history["DRILL-18V"], LAST_DAY), FITTERS)
    assert drill.model in INTERMITTENT_MODELS and set(drill.scores) == set(INTERMITTENT_MODELS)


@pytest.mark.slow
def test_batch_runs_across_processes_with_loky(history):
    items = {sku: history[sku] for sku in ("M8-30", "BOX-S", "GRINDER")}
    result = forecast_all(items, 10, LAST_DAY, n_jobs=2)
    assert sorted(result.fitted) == ["BOX-S", "GRINDER", "M8-30"]
    assert result.forecasts["GRINDER"].model in INTERMITTENT_MODELS
    assert all(len(fc.points) == 10 for fc in result.forecasts.values())


@pytest.mark.slow
def test_batch_runs_on_a_dask_cluster_given_its_address(history):
    distributed = pytest.importorskip("distributed")
    items = {sku: history[sku] for sku in ("HAMMER", "PLIERS", "GLUE-AB")}
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        result = forecast_all(
            items, 7, LAST_DAY, dask_scheduler=cluster.scheduler_address,
            fitters=default_fitters(prophet=False),
        )  # fmt: skip
    assert sorted(result.forecasts) == ["GLUE-AB", "HAMMER", "PLIERS"]
    assert result.forecasts["GLUE-AB"].model == SEASONAL_MEAN
    assert result.forecasts["HAMMER"].model in ("auto_ets", "mstl", "ensemble")


def test_auto_ets_puts_back_the_weekday_profile_it_divides_out():
    """Weekends sell a fifth of a weekday: the forecast keeps that shape, from a profile the
    fit learned rather than from a noisy seasonal state."""
    from adapters.forecasting.statsforecast_models import StatsForecastFitter, weekday_profile

    first = date(2024, 3, 4)  # a Monday
    shape = (10, 10, 10, 10, 10, 2, 2)
    series = [
        (first + timedelta(days=i), float(shape[i % 7] + (i * 7919) % 3 - 1)) for i in range(400)
    ]
    profile = weekday_profile([q for _, q in series], [d.weekday() for d, _ in series])
    assert profile.mean() == pytest.approx(1.0)
    assert profile[5] / profile[0] == pytest.approx(0.2, abs=0.05)
    points = StatsForecastFitter("auto_ets", holidays=False)(series, 14)
    weekday = [p.yhat for p in points if p.date.weekday() < 5]
    weekend = [p.yhat for p in points if p.date.weekday() >= 5]
    assert min(weekday) > 8 and max(weekend) < 3
    assert all(p.yhat_lower <= p.yhat <= p.yhat_upper for p in points)
