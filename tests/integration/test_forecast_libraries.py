"""The forecasting libraries as JXC loads and drives them: statsforecast and Prophet load
without what no fit needs, and the faster paths JXC gives Prophet (its Stan inputs written as
JSON files, its holiday features and component matrix) fit exactly as Prophet's own."""

import contextlib
import subprocess
import sys
from datetime import date
from pathlib import Path

import cmdstanpy
import numpy as np
import pytest

from adapters.forecasting import prophet_model
from adapters.forecasting.prophet_model import ADDITIVE, MULTIPLICATIVE, ProphetFitter
from domain.planning.forecasting import daily_series

LAST_DAY = date(2025, 11, 30)


def fresh_process(script: str) -> list[str]:
    """The words a Python script prints, run in a fresh process."""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return out.split()


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


@pytest.mark.parametrize("order", [("auto_ets", "mstl", "imapa"), ("mstl", "auto_ets", "adida")])
def test_every_statsforecast_model_fits_whichever_loads_first(order):
    """auto_ets loads statsforecast.ets alone, the others statsforecast.models: in a fresh
    process each fits, in either order, MSTL with a yearly season too, and statsmodels is
    whole afterwards: the stand-ins used while statsforecast loads are gone."""
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
    fits = [w for m in order for w in (m, "3")]
    assert fresh_process(script) == [*fits, "yearly", "3", "OLS", "1.0", "STL"]


def test_a_prophet_fit_leaves_its_charts_unloaded_and_they_load_when_asked_for():
    """Prophet imports its chart module (matplotlib) at the top; a fit in a fresh process loads
    neither, and importing prophet.plot afterwards gives the real module."""
    script = (
        "import sys\n"
        "from datetime import date, timedelta\n"
        "from adapters.forecasting.prophet_model import ProphetFitter\n"
        "s = [(date(2024, 1, 1) + timedelta(days=i), float(10 + i % 7)) for i in range(120)]\n"
        "print(len(ProphetFitter()(s, 3)), 'matplotlib.pyplot' in sys.modules)\n"
        "import prophet.plot\n"
        "print(prophet.plot.plot.__module__, 'matplotlib.pyplot' in sys.modules)\n"
    )
    assert fresh_process(script) == ["3", "False", "prophet.plot", "True"]


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


def test_statsforecast_fits_without_scipy_and_its_intervals_are_scipy_s():
    """statsforecast loads without scipy (its normal quantile comes from the standard library):
    an auto_ets fit in a fresh process leaves scipy.stats unloaded, and its interval is the one
    the same fit gives when statsforecast finds the real scipy.stats."""
    fit = (
        "from datetime import date, timedelta\n"
        "from adapters.forecasting.statsforecast_models import StatsForecastFitter\n"
        "s = [(date(2024, 1, 1) + timedelta(days=i), float(i * 7919 % 13 + i % 7 * 2))"
        " for i in range(400)]\n"
        "for p in StatsForecastFitter('auto_ets')(s, 5):\n"
        "    print(repr(p.yhat_lower), repr(p.yhat_upper))\n"
        "print('scipy.stats' in sys.modules)\n"
    )
    without = fresh_process("import sys\n" + fit)
    with_scipy = fresh_process("import sys, scipy.stats\n" + fit)
    assert without[-1] == "False" and with_scipy[-1] == "True"
    assert [float(x) for x in without[:-1]] == pytest.approx(
        [float(x) for x in with_scipy[:-1]], rel=1e-12
    )


def test_the_normal_quantile_stand_in_agrees_with_scipy():
    import scipy.stats

    from adapters.forecasting.stand_ins import scipy_stats_stand_in

    norm = scipy_stats_stand_in().norm
    q = np.array([1e-9, 0.01, 0.1, 0.5, 0.9, 0.975, 1 - 1e-9])
    assert norm(scale=2.5).ppf(q) == pytest.approx(scipy.stats.norm(scale=2.5).ppf(q), rel=1e-12)
    assert norm.ppf(0.95) == pytest.approx(scipy.stats.norm.ppf(0.95), rel=1e-12)
    assert list(norm.ppf([0.0, 1.0])) == [-np.inf, np.inf]
    assert norm(scale=2.0).cdf(0.0) == 0.5  # anything else is scipy's own
