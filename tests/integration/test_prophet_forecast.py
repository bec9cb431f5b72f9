"""Real Prophet and statsforecast on the generated demo history and on synthetic series whose
structure is known: the choice by backtest, the batch, the holiday file."""

import contextlib
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import cmdstanpy
import numpy as np
import pytest

from adapters.demo_history import generate_history
from adapters.forecasting import prophet_model
from adapters.forecasting.batch import MemoryStore, forecast_all
from adapters.forecasting.chart import render_forecast_png
from adapters.forecasting.fitters import default_fitters
from adapters.forecasting.prophet_model import (
    ADDITIVE,
    MULTIPLICATIVE,
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
def history():
    by_sku = defaultdict(list)
    for row in generate_history(LAST_DAY):
        by_sku[row.sku].append((row.date, row.qty))
    return dict(by_sku)


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


class OptimizeSpy:
    """Records what each ``CmdStanModel.optimize`` call is given and the parameters it finds;
    ``fail_first`` makes the first L-BFGS run fail as a real one can, so Prophet retries."""

    def __init__(self, monkeypatch, fail_first=False):
        self.calls = []
        self.params = []
        self.fail_first = fail_first
        original = cmdstanpy.CmdStanModel.optimize

        def optimize(model, data=None, **kwargs):
            self.calls.append((data, kwargs.get("inits"), kwargs.get("algorithm")))
            if self.fail_first and len(self.calls) == 1:
                raise RuntimeError("line search failed")
            fit = original(model, data, **kwargs)
            self.params.append(fit.optimized_params_np)
            return fit

        monkeypatch.setattr(cmdstanpy.CmdStanModel, "optimize", optimize)


def plain_stan_inputs(monkeypatch):
    """Let cmdstanpy write the data and inits itself, as Prophet alone does."""
    monkeypatch.setattr(
        prophet_model, "_stan_inputs_as_files", lambda model: contextlib.nullcontext()
    )


def assert_same_fit(fast, plain):
    assert len(fast.params) == len(plain.params) >= 1
    for a, b in zip(fast.params, plain.params, strict=True):
        np.testing.assert_array_equal(a, b)


# Newton is slow on two years of daily history: its retry is tried on the last 150 days.
@pytest.mark.parametrize(
    ("days", "fail_first"), [(730, False), (150, True)], ids=["lbfgs", "newton-retry"]
)
def test_stan_inputs_written_as_json_files_give_the_same_fit(
    history, monkeypatch, days, fail_first
):
    series = daily_series(history["TAPE-48"], LAST_DAY)[-days:]
    assert len(series) == days
    fast = OptimizeSpy(monkeypatch, fail_first)
    fast_points = ProphetFitter()(series, 28)
    assert all(isinstance(d, str) and isinstance(i, str) for d, i, _ in fast.calls)
    # The files went with the fit.
    assert not any(Path(d).parent.exists() for d, _, _ in fast.calls)

    monkeypatch.undo()
    plain = OptimizeSpy(monkeypatch, fail_first)
    plain_stan_inputs(monkeypatch)
    plain_points = ProphetFitter()(series, 28)
    assert all(isinstance(d, dict) and isinstance(i, dict) for d, i, _ in plain.calls)

    expected = ["LBFGS", "Newton"] if fail_first else ["LBFGS"]
    assert [a for _, _, a in fast.calls] == [a for _, _, a in plain.calls] == expected
    assert_same_fit(fast, plain)
    assert fast_points == plain_points


def test_stan_json_keeps_ints_and_leaves_unusual_values_to_cmdstanpy():
    values = {"T": np.int64(3), "tau": 0.05, "y": np.array([[1.0, 2.5]]), "s": [1, 2]}
    assert prophet_model._stan_json(values) == b'{"T":3,"tau":0.05,"y":[[1.0,2.5]],"s":[1,2]}'
    for odd in (float("nan"), float("inf"), True, [1.0, None], np.array([True]), {1, 2}):
        assert prophet_model._stan_json({"x": odd}) is None, odd


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


@pytest.mark.parametrize("order", [("auto_ets", "mstl", "imapa"), ("mstl", "auto_ets", "adida")])
def test_every_statsforecast_model_fits_whichever_loads_first(order):
    """auto_ets loads statsforecast.ets alone, the others statsforecast.models: in a fresh
    process each fits, in either order, MSTL with a yearly season too, and statsmodels is
    whole afterwards: the stand-ins used while statsforecast loads are gone."""
    import subprocess
    import sys

    script = (
        "from datetime import date, timedelta\n"
        "from adapters.forecasting.statsforecast_models import StatsForecastFitter\n"
        "s = [(date(2024, 1, 1) + timedelta(days=i), float(i * 7919 % 13 + i % 7 * 2))"
        " for i in range(400)]\n"
        "long = [(date(2022, 1, 1) + timedelta(days=i), float(10 + i % 7)) for i in range(1100)]\n"
        f"for m in {order!r}:\n"
        "    print(m, len(StatsForecastFitter(m)(s, 3)))\n"
        "print('yearly', len(StatsForecastFitter('mstl')(long, 3)))\n"
        "import statsmodels.api, statsmodels.tsa.seasonal, statsmodels.tsa.stattools\n"
        "print(statsmodels.api.OLS.__name__, statsmodels.tsa.stattools.acf([1.0, 2, 1, 2])[0])\n"
        "print(statsmodels.tsa.seasonal.STL.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    fits = [w for m in order for w in (m, "3")]
    assert out.split() == [*fits, "yearly", "3", "OLS", "1.0", "STL"]


def test_a_prophet_fit_leaves_its_charts_unloaded_and_they_load_when_asked_for():
    """Prophet imports its chart module (matplotlib) at the top; a fit in a fresh process loads
    neither, and importing prophet.plot afterwards gives the real module."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from datetime import date, timedelta\n"
        "from adapters.forecasting.prophet_model import ProphetFitter\n"
        "s = [(date(2024, 1, 1) + timedelta(days=i), float(10 + i % 7)) for i in range(120)]\n"
        "print(len(ProphetFitter()(s, 3)), 'matplotlib.pyplot' in sys.modules)\n"
        "import prophet.plot\n"
        "print(prophet.plot.plot.__module__, 'matplotlib.pyplot' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    assert out.split() == ["3", "False", "prophet.plot", "True"]


def test_a_clear_golden_week_dip_keeps_its_depth_and_a_noisy_one_is_pulled_toward_none():
    """A busy item sells 15 % of a normal day in Golden Week: the learned factor stays near
    0.15. A slow item whose days stray as far as its level says little, and is pulled nearer 1."""
    from adapters.forecasting.holidays import GOLDEN_WEEK, HolidayAdjustment

    first = date(2023, 11, 1)
    days = [first + timedelta(days=i) for i in range(730)]
    golden = {date(y, 10, 1) + timedelta(days=k) for y in (2024, 2025) for k in range(7)}

    def learned(level: float, stray: float) -> float:
        values = [
            (0.15 if d in golden else 1.0) * level + stray * ((d.toordinal() * 7919) % 3 - 1)
            for d in days
        ]
        adjustment = HolidayAdjustment.learn(days, [max(v, 0.0) for v in values])
        return adjustment.factors[(GOLDEN_WEEK, 3)]

    assert 0.12 < learned(200, 10) < 0.2  # pulled toward 1 by a typical day: 0.32
    assert learned(2, 2) > 0.4


FAST_PROPHET_METHODS = ("make_holiday_features", "regressor_column_matrix")


@contextlib.contextmanager
def prophets_own_methods(monkeypatch):
    """The fitted class with Prophet's own holiday features and component matrix."""
    from prophet import Prophet

    fast_class = prophet_model._prophet()
    with monkeypatch.context() as patch:
        for name in FAST_PROPHET_METHODS:
            assert getattr(fast_class, name) is not getattr(Prophet, name)
            patch.setattr(fast_class, name, getattr(Prophet, name))
        yield


def test_fast_holiday_features_and_component_matrix_are_prophets_own(monkeypatch):
    import pandas as pd
    from pandas.testing import assert_frame_equal

    from adapters.forecasting.holidays import prophet_frame

    fast_class = prophet_model._prophet()
    first, last = date(2023, 12, 1), date(2025, 11, 30)
    days = pd.Series(pd.date_range(first, last, freq="D"))
    # Golden Week 2025 is cut by the shorter ranges, Spring Festival 2026 lies after them all;
    # a training holiday absent from the dates comes back undated, as in Prophet's predict.
    dated = prophet_frame(first, date(2026, 2, 28))
    frame = pd.concat([dated, pd.DataFrame({"holiday": ["gone"]})], ignore_index=True)
    assert frame["ds"].isna().sum() == 1 and frame["ds"].max() > days.max()
    new_year = days[30:33].reset_index(drop=True)  # 31 December to 2 January
    twice = pd.concat([new_year] * 2, ignore_index=True)
    ranges = [days, days[-57:].reset_index(drop=True), new_year, twice]
    for mode in (ADDITIVE, MULTIPLICATIVE):
        for dates in ranges:
            results = []
            for own in (False, True):
                model = fast_class(holidays=dated, holidays_mode=mode)
                model.add_seasonality("weekly", period=7, fourier_order=3)
                model.add_regressor("price", mode=MULTIPLICATIVE)
                df = pd.DataFrame({"ds": dates, "price": np.linspace(1.0, 2.0, len(dates))})
                with prophets_own_methods(monkeypatch) if own else contextlib.nullcontext():
                    # Sets the training holiday names ("gone" among them) ...
                    holidays = model.make_holiday_features(dates, frame)
                    # ... so that Prophet adds "gone" undated to the frame it builds here.
                    features, scales, columns, modes = model.make_all_seasonality_features(df)
                results.append((holidays, features, scales, columns, modes, model))
            (h, f, s, c, m, fast), (own_h, own_f, own_s, own_c, own_m, own) = results
            assert_frame_equal(h[0], own_h[0], check_exact=True, check_index_type=True)
            assert h[1:] == own_h[1:] and h[0].to_numpy().sum() > 0
            assert "gone" in h[2] and "gone_delim_+0" in f
            assert_frame_equal(f, own_f, check_exact=True, check_index_type=True)
            assert_frame_equal(c, own_c, check_exact=True, check_index_type=True)
            assert (s, m) == (own_s, own_m)
            assert fast.train_holiday_names.equals(own.train_holiday_names)
    for scales in ([1.0, 2.0], [0.0, 0.0]):  # inconsistent, nonpositive
        odd = frame.iloc[:2].assign(holiday="odd", prior_scale=scales)
        with pytest.raises(ValueError) as own_error, prophets_own_methods(monkeypatch):
            fast_class().make_holiday_features(days, odd)
        with pytest.raises(ValueError) as error:
            fast_class().make_holiday_features(days, odd)
        assert str(error.value) == str(own_error.value)


@pytest.mark.parametrize("mode", [ADDITIVE, MULTIPLICATIVE])
def test_a_fit_with_the_fast_prophet_methods_gives_the_same_forecast(history, monkeypatch, mode):
    series = daily_series(history["TAPE-48"], LAST_DAY)
    assert len(series) == 730
    fast_points = ProphetFitter(mode=mode)(series, 28)
    with prophets_own_methods(monkeypatch):
        own_points = ProphetFitter(mode=mode)(series, 28)
    assert fast_points == own_points
