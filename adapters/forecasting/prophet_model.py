"""Prophet behind the domain's fitter port: weekly and yearly seasonality set explicitly (additive
or multiplicative), CN holidays as windows (the Spring Festival and Golden Week reach days before
and after) whose effects always multiply the day's trade, an optional holiday file, 80 %
intervals, clipped at zero.

Each fit hands CmdStan its data and starting values as JSON files written with orjson: cmdstanpy
would otherwise convert Prophet's nested lists value by value in Python, which took about half of
a fit on two years of daily history. The files hold the same numbers, so the fit is the same.
The class fitted builds its holiday features and component matrix without Prophet's per-day
pandas calls (``prophet_features``), about a quarter of a fit, with the same results.

Prophet (and pandas, cmdstanpy) are imported lazily, on the first fit, so importing this module
costs nothing and a CLI that never forecasts never loads Stan.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import logging
import re
import tempfile
import threading
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from domain.planning.forecasting import ForecastPoint, Series

from .stand_ins import stand_in, standing_in

logger = logging.getLogger(__name__)

HOLIDAY_KINDS = ("holiday", "closed", "workday")
MAKE_UP_WORKDAY = "make-up workday"
# Bump when the way a model is fitted changes, so cached forecasts are refitted.
MODEL_VERSION = "prophet-3"
ADDITIVE, MULTIPLICATIVE = "additive", "multiplicative"
YEAR = 365

_import_lock = threading.Lock()
_prophet_class = None
# A bare null, true or false value (after a colon, bracket or comma; Stan names have none of
# them): a NaN, infinity, None or boolean, which orjson would write differently from cmdstanpy.
_UNPLAIN_JSON = re.compile(rb"[:\[,](?:null|true|false)")


class HolidayFileError(ValueError):
    """The holiday file cannot be read: a bad date, a missing name or an unknown kind."""


@dataclass(frozen=True)
class HolidayEntry:
    """A local day off (``closed``), a make-up working day (``workday``) or a plain holiday."""

    day: date
    name: str
    kind: str = "holiday"


def _quiet_logs() -> None:
    # cmdstanpy adds its own INFO handler unless the logger already has one.
    stan = logging.getLogger("cmdstanpy")
    if not any(isinstance(h, logging.NullHandler) for h in stan.handlers):
        stan.addHandler(logging.NullHandler())
    stan.setLevel(logging.ERROR)
    stan.propagate = False
    # Logged (at ERROR) when prophet is imported without plotly, which we never use.
    logging.getLogger("prophet.plot").setLevel(logging.CRITICAL)


def _prophet():
    """Import Prophet once, silencing its chatter (it resets its own logger level on import),
    without its chart module. The class returned is Prophet with faster holiday features and
    component matrix (``prophet_features``), which give the same fit."""
    global _prophet_class
    with _import_lock:
        if _prophet_class is None:
            _quiet_logs()
            # prophet.forecaster imports its charts (matplotlib.pyplot, about 0.3 s) at the
            # top for `Prophet.plot`, which JXC never calls.
            with standing_in({"prophet.plot": stand_in("prophet.plot", "plot", "plot_components")}):
                from prophet import Prophet

            from .prophet_features import with_fast_features

            logging.getLogger("prophet").setLevel(logging.ERROR)
            _prophet_class = with_fast_features(Prophet)
    return _prophet_class


def _stan_json(values: Mapping[str, Any]) -> bytes | None:
    """The Stan JSON of a data or inits mapping, or None when it holds something unusual.

    Prophet passes numbers and lists of numbers (``.tolist()`` of its arrays); numpy arrays
    become nested lists and numpy scalars plain numbers, ints staying ints. Anything whose JSON
    would differ from cmdstanpy's own (a boolean, a NaN or infinity, an unknown type) gives None,
    and cmdstanpy writes that mapping itself.
    """
    import numpy as np
    import orjson

    plain = {
        key: value.tolist() if isinstance(value, np.ndarray | np.generic) else value
        for key, value in values.items()
    }
    try:
        text = orjson.dumps(plain, option=orjson.OPT_SERIALIZE_NUMPY)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return None
    return None if _UNPLAIN_JSON.search(text) else text


@contextmanager
def _stan_inputs_as_files(model: Any) -> Iterator[None]:
    """While fitting ``model``, its Stan model's ``optimize`` gets its data and inits as files.

    Only this Prophet model's own ``CmdStanModel`` instance is wrapped, and only for the fit; the
    files live in a temporary directory removed afterwards. Each call writes its own files, so
    Prophet's retry with Newton after a failed L-BFGS run works as before.
    """
    stan_model = getattr(getattr(model, "stan_backend", None), "model", None)
    optimize = getattr(stan_model, "optimize", None)
    if optimize is None:
        yield
        return
    with tempfile.TemporaryDirectory(prefix="jxc-prophet-") as tmp:
        numbers = itertools.count()

        def as_file(values: Any, name: str) -> Any:
            if not isinstance(values, Mapping):
                return values
            text = _stan_json(values)
            if text is None:
                return values
            path = Path(tmp) / f"{name}-{next(numbers)}.json"
            path.write_bytes(text)
            return str(path)

        def optimize_from_files(data: Any = None, *, inits: Any = None, **kwargs: Any) -> Any:
            return optimize(as_file(data, "data"), inits=as_file(inits, "inits"), **kwargs)

        stan_model.optimize = optimize_from_files
        try:
            yield
        finally:
            del stan_model.optimize


def read_holiday_file(path: str | Path) -> tuple[HolidayEntry, ...]:
    """Read ``date,name[,kind]`` rows (header optional; kind ``closed``, ``workday`` or empty)."""
    entries: list[HolidayEntry] = []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        for lineno, row in enumerate(csv.reader(fh), start=1):
            if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
                continue
            if lineno == 1 and row[0].strip().lower() == "date":
                continue
            try:
                day = date.fromisoformat(row[0].strip())
            except ValueError:
                raise HolidayFileError(f"line {lineno}: bad date {row[0]!r}") from None
            name = row[1].strip() if len(row) > 1 else ""
            kind = (row[2].strip().lower() if len(row) > 2 else "") or "holiday"
            if not name:
                raise HolidayFileError(f"line {lineno}: a holiday needs a name")
            if kind not in HOLIDAY_KINDS:
                raise HolidayFileError(
                    f"line {lineno}: kind must be closed or workday, got {row[2].strip()!r}"
                )
            entries.append(HolidayEntry(day, name, kind))
    return tuple(entries)


@dataclass(frozen=True)
class ProphetFitter:
    """A picklable ``(series, days) -> list[ForecastPoint]`` fitting one Prophet model per call.

    ``mode`` is Prophet's ``seasonality_mode`` (``multiplicative`` for an item whose swings grow
    with its level); holidays follow it. With ``country`` "CN" the holidays are the windows of
    ``adapters.forecasting.holidays``; another country gets Prophet's own holiday days.
    Yearly seasonality needs a year of history. ``extra_holidays`` come from a holiday file:
    every entry is a holiday effect Prophet learns where it occurs in the history (make-up working days share one effect); a ``closed`` day in
    the forecast horizon is forecast as zero, since nothing is sold on it. With
    ``uncertainty_samples=0`` Prophet draws no interval and each band is its point.
    """

    # Prophet takes several times a statsforecast model's time: it races in the choice.
    slow = True

    extra_holidays: tuple[HolidayEntry, ...] = ()
    country: str | None = "CN"
    interval_width: float = 0.8
    uncertainty_samples: int = 300
    seed: int = 0
    mode: str = ADDITIVE

    @classmethod
    def from_holiday_file(cls, path: str | Path | None, **kwargs) -> ProphetFitter:
        """A fitter with the entries of a holiday file (none when ``path`` is None)."""
        return cls(extra_holidays=read_holiday_file(path) if path else (), **kwargs)

    def settings_key(self) -> str:
        """A short stable hash of everything that changes a fit, for the forecast cache."""
        text = repr(
            (
                MODEL_VERSION,
                self.country,
                self.interval_width,
                self.uncertainty_samples,
                self.seed,
                self.mode,
                sorted((h.day.isoformat(), h.name, h.kind) for h in self.extra_holidays),
            )
        )
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def _holiday_frame(self, first: date, last: date):
        import pandas as pd

        extra = None
        if self.extra_holidays:
            extra = pd.DataFrame(
                {
                    "holiday": [
                        MAKE_UP_WORKDAY if h.kind == "workday" else h.name
                        for h in self.extra_holidays
                    ],
                    "ds": pd.to_datetime([h.day for h in self.extra_holidays]),
                    "lower_window": 0,
                    "upper_window": 0,
                }
            )
        if self.country == "CN":
            from .holidays import prophet_frame

            return prophet_frame(first, last, extra)
        return extra

    def __call__(self, series: Series, days: int) -> list[ForecastPoint]:
        """Fit on the daily series and forecast the ``days`` days after its last date."""
        import numpy as np
        import pandas as pd

        prophet_class = _prophet()
        if len(series) < 2:
            raise ValueError("Prophet needs at least two days of history")
        df = pd.DataFrame(
            {
                "ds": pd.to_datetime([d for d, _ in series]),
                "y": np.asarray([q for _, q in series], dtype=float),
            }
        )
        start = series[-1][0] + timedelta(days=1)
        dates = [start + timedelta(days=i) for i in range(days)]
        model = prophet_class(
            # Explicit: "auto" turns yearly off for a history just under two years.
            yearly_seasonality=len(series) >= YEAR,
            weekly_seasonality=True,
            daily_seasonality=False,
            seasonality_mode=self.mode,
            # A holiday takes a share of the day's trade whatever the weekday (a day off that
            # fell on a Sunday last year and on a Monday this year): its effects multiply.
            holidays_mode=MULTIPLICATIVE,
            holidays=self._holiday_frame(series[0][0], dates[-1]),
            interval_width=self.interval_width,
            uncertainty_samples=self.uncertainty_samples,
        )
        if self.country and self.country != "CN":
            model.add_country_holidays(country_name=self.country)
        with warnings.catch_warnings():
            # Prophet 1.5 trips pandas' deprecation warnings (inplace=...) on every fit.
            warnings.filterwarnings("ignore", module=r"prophet(\.|$)")
            with _stan_inputs_as_files(model):
                model.fit(df)
            # Prophet samples its intervals from numpy's global generator: seed it so that the
            # same data gives the same forecast.
            np.random.seed(self.seed)
            out = model.predict(pd.DataFrame({"ds": pd.to_datetime(dates)}))
        closed = {h.day for h in self.extra_holidays if h.kind == "closed"}
        yhats = out["yhat"].to_numpy()
        # With uncertainty_samples=0 Prophet draws no interval: the band is the point.
        lows = out["yhat_lower"].to_numpy() if "yhat_lower" in out else yhats
        highs = out["yhat_upper"].to_numpy() if "yhat_upper" in out else yhats
        points = []
        for day, yhat, lo, hi in zip(dates, yhats, lows, highs, strict=True):
            if day in closed:
                points.append(ForecastPoint(day, 0.0, 0.0, 0.0))
                continue
            y = max(float(yhat), 0.0)
            points.append(ForecastPoint(day, y, min(max(float(lo), 0.0), y), max(float(hi), y)))
        return points
