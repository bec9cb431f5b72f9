"""The table of fitters the domain chooses among (`domain.planning.choice`): Prophet additive
and multiplicative, statsforecast's `auto_ets`, `mstl`, `croston_sba`, `adida`, `imapa`.

Building the table imports nothing heavy: each fitter loads its library on its first fit.
"""

from __future__ import annotations

from domain.planning.candidates import PROPHET_MULTIPLICATIVE
from domain.planning.forecasting import ADIDA, AUTO_ETS, CROSTON_SBA, IMAPA, MSTL, PROPHET, Fitter

from .prophet_model import MULTIPLICATIVE, HolidayEntry, ProphetFitter
from .statsforecast_models import StatsForecastFitter


def default_fitters(
    extra_holidays: tuple[HolidayEntry, ...] = (), prophet: bool = True
) -> dict[str, Fitter]:
    """Every candidate's fitter by name; without `prophet` the table has no Prophet."""
    table: dict[str, Fitter] = {
        name: StatsForecastFitter(name) for name in (AUTO_ETS, MSTL, CROSTON_SBA, ADIDA, IMAPA)
    }
    if prophet:
        # Prophet draws no interval: a chosen Prophet's band is the 10th-90th percentile of
        # past days around its backtest forecasts (domain.planning.bands), calibrated where
        # Prophet's own sampled interval is not, and each fit is a fifth quicker.
        table[PROPHET] = ProphetFitter(extra_holidays=extra_holidays, uncertainty_samples=0)
        table[PROPHET_MULTIPLICATIVE] = ProphetFitter(
            extra_holidays=extra_holidays, mode=MULTIPLICATIVE, uncertainty_samples=0
        )
    return table
