"""Real Prophet on the generated demo history."""

from collections import defaultdict
from datetime import date, timedelta

import pytest

from adapters.demo_history import generate_history
from adapters.forecasting.batch import forecast_all
from adapters.forecasting.chart import render_forecast_png
from adapters.forecasting.prophet_model import (
    HolidayFileError,
    ProphetFitter,
    read_holiday_file,
)
from domain.forecasting import (
    CROSTON_SBA,
    PROPHET,
    SEASONAL_MEAN,
    backtest_item,
    daily_series,
    forecast,
)

LAST_DAY = date(2025, 11, 30)


@pytest.fixture(scope="module")
def history():
    by_sku = defaultdict(list)
    for row in generate_history(LAST_DAY):
        by_sku[row.sku].append((row.date, row.qty))
    return dict(by_sku)


@pytest.fixture(scope="module")
def tape_forecast(history):
    return forecast("TAPE-48", history["TAPE-48"], 30, LAST_DAY, ProphetFitter())


class CountingFitter(ProphetFitter):
    """A real Prophet fitter that counts its fits (run in-process with n_jobs=1)."""

    calls = 0

    def __call__(self, series, days):
        CountingFitter.calls += 1
        return super().__call__(series, days)


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


def test_prophet_forecast_has_n_consecutive_days_after_history_with_ordered_bounds(tape_forecast):
    assert tape_forecast.model == PROPHET
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
    fitter = ProphetFitter()
    drill = forecast("DRILL-18V", history["DRILL-18V"], 14, LAST_DAY, fitter)
    glue = forecast("GLUE-AB", history["GLUE-AB"], 14, LAST_DAY, fitter)
    assert (drill.model, glue.model) == (CROSTON_SBA, SEASONAL_MEAN)
    assert "intermittent" in drill.reason
    assert "45 days" in glue.reason
    for fc in (drill, glue):
        assert len(fc.points) == 14
        assert all(0 <= p.yhat_lower <= p.yhat <= p.yhat_upper for p in fc.points)


def test_an_unchanged_item_is_served_from_the_cache_without_refitting(history):
    items = {"M6-20": history["M6-20"], "HELMET": history["HELMET"], "EMPTY": []}
    cache = {}
    CountingFitter.calls = 0
    first = forecast_all(items, 14, LAST_DAY, n_jobs=1, cache=cache, fitter=CountingFitter())
    assert CountingFitter.calls == 1  # HELMET is intermittent: no Prophet fit
    assert sorted(first.fitted) == ["HELMET", "M6-20"]
    assert first.errors["EMPTY"].code == "unknown_item"

    progress = []
    second = forecast_all(
        items,
        14,
        LAST_DAY,
        n_jobs=1,
        cache=cache,
        fitter=CountingFitter(),
        progress=lambda done, total: progress.append((done, total)),
    )
    assert CountingFitter.calls == 1
    assert sorted(second.cached) == ["HELMET", "M6-20"] and second.fitted == []
    assert second.forecasts["M6-20"] == first.forecasts["M6-20"]
    assert progress[-1] == (3, 3)

    # A new sale changes the data version: that item, and only that one, is refitted.
    items["M6-20"] = [*items["M6-20"], (LAST_DAY, 100)]
    third = forecast_all(items, 14, LAST_DAY, n_jobs=1, cache=cache, fitter=CountingFitter())
    assert third.fitted == ["M6-20"] and third.cached == ["HELMET"]
    assert CountingFitter.calls == 2


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
    fc = forecast("BOX-M", history["BOX-M"], 7, LAST_DAY, fitter)
    day = {p.date: p for p in fc.points}
    assert (day[closed].yhat, day[closed].yhat_upper) == (0.0, 0.0)
    assert day[closed + timedelta(days=1)].yhat > 0


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
def test_backtest_on_demo_history_beats_the_seasonal_naive(history):
    fitter = ProphetFitter()
    scores = {}
    for sku in ("TAPE-48", "DRILL-18V", "GLUE-AB"):
        model, result = backtest_item(daily_series(history[sku], LAST_DAY), fitter)
        assert result.origins >= 1
        scores[sku] = (model, result.mase, result.mase_naive)
    assert scores["TAPE-48"][0] == PROPHET
    assert all(mase < naive for _, mase, naive in scores.values())


@pytest.mark.slow
def test_batch_runs_across_processes_with_loky(history):
    items = {sku: history[sku] for sku in ("M8-30", "BOX-S", "GRINDER")}
    result = forecast_all(items, 10, LAST_DAY, n_jobs=2)
    assert sorted(result.fitted) == ["BOX-S", "GRINDER", "M8-30"]
    assert result.forecasts["GRINDER"].model == CROSTON_SBA
    assert all(len(fc.points) == 10 for fc in result.forecasts.values())


@pytest.mark.slow
def test_batch_runs_on_a_dask_cluster_given_its_address(history):
    distributed = pytest.importorskip("distributed")
    items = {sku: history[sku] for sku in ("HAMMER", "PLIERS", "GLUE-AB")}
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        result = forecast_all(
            items, 7, LAST_DAY, dask_scheduler=cluster.scheduler_address, use_prophet=False
        )
    assert sorted(result.forecasts) == ["GLUE-AB", "HAMMER", "PLIERS"]
    assert result.forecasts["HAMMER"].model == SEASONAL_MEAN
