"""statsforecast's models behind the domain's fitter port: `auto_ets` and `mstl` for regular
items (fitted on a holiday-cleaned series, the holiday effects put back on the forecast), and
`croston_sba`, `adida`, `imapa` for intermittent ones.

`auto_ets` fits statsforecast's AutoETS (additive errors, `ETS_MODELS`) to the series with its
weekday profile divided out (the profile is the share of each weekday in the last year's
holiday-cleaned weeks, stable where a seasonal ETS state re-learns it from a few noisy weeks),
then multiplies the profile back. MSTL's trend goes on at its last level (`MSTL_TREND`). Neither
has a yearly season under three years of history, so their forecast days get last year's change
over the same weeks, shrunk by how much the item's noise lets it be told (`yearly_factors`).
`mstl` has a yearly season only with three years of history: from two it would be little more
than last year's noise, and the backtest's origins, which see less history than the final
fit, would choose a model the final fit is not.

Only the model modules are loaded, on the first fit, and only the one a model needs: `auto_ets`
calls `statsforecast.ets` (the functions AutoETS itself calls), the others
`statsforecast.models`. `import statsforecast` would also load its DataFrame front end
(`StatsForecast`, fugue, dask.dataframe), which a model never needs and which costs seconds.
statsforecast's modules import `statsmodels.api`, `statsmodels.tsa.seasonal` and
`statsmodels.tsa.stattools` at the top (most of statsmodels, about 0.4 s) for ARIMA, theta,
CES and seasonal ETS, which JXC does not fit: while they load, those names get stand-ins that
import the real module when a fit first uses them (MSTL asks only for statsmodels' STL, taken
from `statsmodels.tsa.seasonal` alone). A fitter is a frozen dataclass, picklable for loky and
Dask workers.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
import threading
import warnings
from dataclasses import dataclass
from datetime import timedelta
from types import ModuleType

from domain.planning.forecasting import (
    ADIDA,
    AUTO_ETS,
    CROSTON_SBA,
    IMAPA,
    MSTL,
    ForecastPoint,
    Series,
)

from .stand_ins import real, scipy_stats_stand_in, stand_in, standing_in

# Bump when the way a model is fitted changes, so stored choices and forecasts are redone.
MODEL_VERSION = "sf-6"
# The ETS models AutoETS chooses among (by AICc) for a series whose weekly and holiday pattern
# is taken out: additive errors, no trend, a trend or a damped trend, no season. A
# multiplicative error gives the same point forecasts from nearly the same fit; leaving it out
# halves the fits (on the benchmark's sets the choice's MASE is the same to 0.001).
ETS_MODELS = "AZN"
# MSTL's trend part goes on at its last level; the change ahead comes from last year's weeks
# (`yearly_factors`). Against AutoETS's choice of trend this is one fit instead of three, and on
# the benchmark's synthetic set 0.004 better (the demo: the same).
MSTL_TREND = "ANN"
LEVEL = 80
WEEK, YEAR = 7, 365
INTERMITTENT_MODELS = (CROSTON_SBA, ADIDA, IMAPA)
_lock = threading.Lock()


def _package_shell() -> None:
    """Register `statsforecast` as a package whose `__init__` runs only when something asks
    for one of its names (`statsforecast.StatsForecast`), so `statsforecast.models` loads
    without the DataFrame front end."""
    if "statsforecast" in sys.modules:
        return
    spec = importlib.util.find_spec("statsforecast")
    shell = ModuleType("statsforecast")
    shell.__spec__, shell.__path__, shell.__file__ = (
        spec,
        spec.submodule_search_locations,
        spec.origin,
    )

    def __getattr__(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        del shell.__getattr__
        spec.loader.exec_module(shell)
        return getattr(shell, name)

    shell.__getattr__ = __getattr__
    sys.modules["statsforecast"] = shell


class _StatsmodelsApi(ModuleType):
    """Stands in for `statsmodels.api` while statsforecast's modules load: `arima` and `mstl`
    import it at the top (about 0.35 s, most of statsmodels) and use it only inside a fit.
    A name asked of it later is taken from the real module, imported then; `sm.tsa.STL`,
    all an MSTL fit asks for, from `statsmodels.tsa.seasonal` alone (0.02 s)."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if name == "tsa":
            return _StatsmodelsTsa("statsmodels.tsa")
        return getattr(real("statsmodels.api", self), name)


class _StatsmodelsTsa(ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in ("STL", "MSTL", "seasonal_decompose"):
            return getattr(importlib.import_module("statsmodels.tsa.seasonal"), name)
        return getattr(importlib.import_module("statsmodels.api").tsa, name)


def _load(name: str) -> ModuleType:
    """`statsforecast.<name>`, imported once, without what no model here needs."""
    full = f"statsforecast.{name}"
    with _lock:
        if full not in sys.modules:
            _package_shell()
            # utilsforecast loads dask.dataframe when it is installed, for DataFrames no model
            # here is given: hide it while statsforecast loads (the batch's Dask backend does
            # not need it either). The statsmodels modules statsforecast imports at the top
            # get stand-ins while it loads, and are imported for real when a fit uses them.
            hidden: dict[str, ModuleType | None] = {
                "dask.dataframe": None,
                "statsmodels.api": _StatsmodelsApi("statsmodels.api"),
                "statsmodels.tsa.seasonal": stand_in(
                    "statsmodels.tsa.seasonal", "seasonal_decompose"
                ),
                "statsmodels.tsa.stattools": stand_in("statsmodels.tsa.stattools", "acf"),
                # scipy serves ARIMA, theta, GARCH and TBATS fits, which JXC does not make,
                # and the normal quantile of an interval, which the stand-in computes.
                "scipy.stats": scipy_stats_stand_in(),
                "scipy.special": stand_in("scipy.special", "inv_boxcox"),
                "scipy.optimize": stand_in("scipy.optimize", "minimize"),
                "scipy.signal": stand_in("scipy.signal", "convolve"),
                "scipy.linalg": stand_in("scipy.linalg"),
            }
            with standing_in(hidden), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                importlib.import_module(full)
        return sys.modules[full]


def models() -> ModuleType:
    """`statsforecast.models`, imported once, without what no model here needs."""
    return _load("models")


@dataclass(frozen=True)
class StatsForecastFitter:
    """One statsforecast model as a `(series, days) -> list[ForecastPoint]` fitter.

    Regular models (`auto_ets`, `mstl`) give their own 80 % interval; the intermittent ones
    give a rate only (the band comes from the backtest's residuals, in the domain).
    """

    model: str
    holidays: bool = True

    def settings_key(self) -> str:
        """A short stable hash of everything that changes a fit."""
        text = repr((MODEL_VERSION, self.model, self.holidays))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def _estimator(self, n: int):
        m = models()
        if self.model == MSTL:
            # The trend goes to a non-seasonal ETS.
            seasons = [WEEK, YEAR] if n >= 3 * YEAR else [WEEK]
            return m.MSTL(season_length=seasons, trend_forecaster=m.AutoETS(model=MSTL_TREND))
        if self.model == CROSTON_SBA:
            return m.CrostonSBA()
        if self.model == ADIDA:
            return m.ADIDA()
        if self.model == IMAPA:
            return m.IMAPA()
        raise ValueError(f"unknown statsforecast model {self.model!r}")

    def __call__(self, series: Series, days: int) -> list[ForecastPoint]:
        """Fit on the daily series and forecast the `days` days after its last date."""
        import numpy as np

        if len(series) < 2:
            raise ValueError(f"{self.model} needs at least two days of history")
        dates = [d for d, _ in series]
        y = np.asarray([q for _, q in series], dtype=float)
        start = dates[-1] + timedelta(days=1)
        future = [start + timedelta(days=i) for i in range(days)]
        regular = self.model not in INTERMITTENT_MODELS
        factors = [1.0] * days
        if regular and self.holidays:
            from .holidays import HolidayAdjustment

            adjustment = HolidayAdjustment.learn(dates, y)
            y = adjustment.clean
            factors = adjustment.factors_for(future)
        weekdays = [d.weekday() for d in dates]
        if self.model == AUTO_ETS or (self.model == MSTL and len(y) < 3 * YEAR):
            profile = weekday_profile(y, weekdays)
            # No yearly season in the model: last year's change over the same weeks, as far
            # as the history's noise lets it be told.
            yearly = yearly_factors(y, weekdays, days, profile)
            factors = [float(f * k) for f, k in zip(factors, yearly, strict=True)]
        if self.model == AUTO_ETS:
            y = y / profile[weekdays]
            factors = [
                float(f * profile[d.weekday()]) for f, d in zip(factors, future, strict=True)
            ]
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if self.model == AUTO_ETS:
                # What AutoETS(season_length=1).forecast calls, from statsforecast.ets alone.
                ets = _load("ets")
                out = ets.forecast_ets(ets.ets_f(y, m=1, model=ETS_MODELS), h=days, level=[LEVEL])
            else:
                out = self._estimator(len(y)).forecast(
                    y=y, h=days, level=[LEVEL] if regular else None
                )
        mean = np.asarray(out["mean"], dtype=float)
        lower = np.asarray(out.get(f"lo-{LEVEL}", mean), dtype=float)
        upper = np.asarray(out.get(f"hi-{LEVEL}", mean), dtype=float)
        points = []
        for day, f, yhat, lo, hi in zip(future, factors, mean, lower, upper, strict=True):
            if not np.isfinite(yhat):
                raise ValueError(f"{self.model} gave no forecast")
            lo = lo if np.isfinite(lo) else yhat
            hi = hi if np.isfinite(hi) else yhat
            points.append(ForecastPoint(day, float(yhat) * f, float(lo) * f, float(hi) * f))
        return points


def weekday_profile(y, weekdays: list[int], days: int = 365):
    """Each weekday's demand relative to the average day (mean 1), from the last `days` days:
    what the weekday sold over what its centred 7-day average sold. A weekday that never sold
    gets a small floor, so dividing by the profile stays finite; a series too short for two
    weeks, or that never sold, gets a flat profile."""
    import numpy as np

    y = np.asarray(y, dtype=float)[-days:]
    dow = np.asarray(weekdays[-days:])
    flat = np.ones(WEEK)
    if len(y) < 2 * WEEK or y.sum() <= 0:
        return flat
    week_mean = np.convolve(y, np.ones(WEEK) / WEEK, mode="same")
    inner = slice(WEEK // 2, len(y) - WEEK // 2)  # whole weeks around each day
    y, dow, week_mean = y[inner], dow[inner], week_mean[inner]
    profile = np.array(
        [
            y[dow == k].sum() / week_mean[dow == k].sum() if week_mean[dow == k].sum() > 0 else 1.0
            for k in range(WEEK)
        ]
    )
    profile = np.maximum(profile / profile.mean(), 0.05)
    return profile / profile.mean()


# The yearly change a forecast day gets: last year's from the two weeks before the forecast's
# start to the eight weeks around that day, pulled toward none by the noise of those means
# against a prior spread of about 7 % (a variance of 0.005).
_YEAR_LAG, _BASE_DAYS, _AROUND_DAYS, _YEARLY_PRIOR = 364, 14, 56, 0.005


def yearly_factors(y, weekdays: list[int], days: int, profile=None):
    """Each forecast day's yearly factor, for a model with no yearly season of its own: what
    the series (holiday-cleaned) sold in the 56 days around the same day 52 weeks before, over
    what it sold in the 14 days before the forecast's start 52 weeks before, shrunk toward 1 as
    an empirical Bayes estimate: by the noise of the two means (each day's stray from its
    weekday and week, over the last year) against a prior spread of yearly changes. A busy item
    with a clear yearly wave keeps most of it; a lumpy one, whose few weeks say little, keeps
    little. Under 52 weeks and 14 days of history, no change. `profile` is the series'
    `weekday_profile`, when the caller has it already."""
    import numpy as np

    y = np.asarray(y, dtype=float)
    n = len(y)
    flat = np.ones(days)
    start = n - _YEAR_LAG
    if start - _BASE_DAYS < 0:
        return flat
    base = y[start - _BASE_DAYS : start].mean()
    if profile is None:
        profile = weekday_profile(y, weekdays)
    last = y[-_YEAR_LAG:] / profile[np.asarray(weekdays[-_YEAR_LAG:])]
    week = np.convolve(last, np.ones(WEEK) / WEEK, mode="valid")
    if base <= 0 or week.mean() <= 0:
        return flat
    inner = last[WEEK // 2 : WEEK // 2 + len(week)]
    stray = float(np.var(inner / np.maximum(week, 1e-9)))
    out = np.ones(days)
    for h in range(days):
        lo = max(start + h - _AROUND_DAYS // 2, 0)
        hi = min(start + h + _AROUND_DAYS // 2, n)
        if hi <= lo:
            break
        change = y[lo:hi].mean() / base - 1
        noise = stray / (hi - lo) + stray / _BASE_DAYS
        out[h] = 1 + change * _YEARLY_PRIOR / (_YEARLY_PRIOR + noise)
    return out
