"""Faster holiday features and component matrix for Prophet, with the same results.

Prophet rebuilds its regressors three times per fit and forecast (fit, predict,
predict_uncertainty), and two steps of that are pandas overhead:

* ``make_holiday_features`` calls ``pd.to_datetime`` and ``DatetimeIndex.get_loc`` for every
  day of every holiday window (Spring Festival 36 days, Golden Week 18): hundreds of pandas
  calls per build. Here each window day is looked up in a dict of date -> row position.
* ``regressor_column_matrix`` grows a table of (column, component) rows with ``pd.concat``
  per group and counts it with ``pd.crosstab``. Here the rows are a list, counted with numpy.

On two years of daily history a fit and 30-day forecast took 0.125 s with Prophet's own
methods, 0.114 s with the holiday features alone and 0.093 s with both; the forecasts are
identical.

This module imports numpy and pandas; it is imported only when Prophet is (see
``prophet_model._prophet``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import numpy as np
import pandas as pd


def with_fast_features(prophet_class: type) -> type:
    """A subclass of ``prophet_class`` (Prophet) with the faster ``make_holiday_features`` and
    ``regressor_column_matrix``."""

    class FastFeaturesProphet(prophet_class):
        def make_holiday_features(self, dates, holidays):
            """Prophet's ``make_holiday_features`` (prophet 1.x) with its per-day
            ``pd.to_datetime`` + ``get_loc`` replaced by a dict lookup; the same frame (columns
            sorted by name, 1.0 on each window day within ``dates``), prior scale list, holiday
            names, errors and ``train_holiday_names``. ``dates`` with a day twice (get_loc would
            give a slice or mask) are left to Prophet's own method."""
            days = dates.dt.date  # Prophet strips the times too
            position = {day: i for i, day in enumerate(days)}
            if len(position) < len(days):
                return super().make_holiday_features(dates, holidays)
            expanded_holidays = defaultdict(lambda: np.zeros(dates.shape[0]))
            prior_scales = {}
            for row in holidays.itertuples():
                dt = row.ds.date()
                try:
                    lw = int(getattr(row, "lower_window", 0))
                    uw = int(getattr(row, "upper_window", 0))
                except ValueError:
                    lw = uw = 0
                ps = float(getattr(row, "prior_scale", self.holidays_prior_scale))
                if np.isnan(ps):
                    ps = float(self.holidays_prior_scale)
                if row.holiday in prior_scales and prior_scales[row.holiday] != ps:
                    raise ValueError(
                        f"Holiday {row.holiday!r} does not have consistent prior "
                        "scale specification."
                    )
                if ps <= 0:
                    raise ValueError("Prior scale must be > 0")
                prior_scales[row.holiday] = ps
                for offset in range(lw, uw + 1):
                    sign = "+" if offset >= 0 else "-"
                    column = expanded_holidays[f"{row.holiday}_delim_{sign}{abs(offset)}"]
                    loc = position.get(dt + timedelta(days=offset))
                    if loc is not None:
                        column[loc] = 1.0
            features = pd.DataFrame(expanded_holidays)
            features = features[sorted(features.columns.tolist())]
            prior_scale_list = [prior_scales[h.split("_delim_")[0]] for h in features.columns]
            holiday_names = list(prior_scales.keys())
            if self.train_holiday_names is None:
                self.train_holiday_names = pd.Series(holiday_names)
            return features, prior_scale_list, holiday_names

        def regressor_column_matrix(self, seasonal_features, modes):
            """Prophet's ``regressor_column_matrix`` (prophet 1.x) with its table of (column,
            component) rows kept as a list and counted into the indicator matrix with numpy,
            where Prophet grows a DataFrame with ``pd.concat`` per group and counts it with
            ``pd.crosstab``; the same frame (int64 counts, index ``col``, columns
            ``component`` sorted by name), the same additions to ``modes``, the same checks."""
            rows = [(col, name.split("_delim_")[0]) for col, name in enumerate(seasonal_features)]

            def add_group(name, group):  # Prophet's add_group_component
                group = set(group)
                rows.extend((col, name) for col in dict.fromkeys(c for c, n in rows if n in group))

            if self.train_holiday_names is not None:
                add_group("holidays", self.train_holiday_names.unique())
            for mode in ("additive", "multiplicative"):
                add_group(f"{mode}_terms", modes[mode])
                regressors = [
                    r for r, props in self.extra_regressors.items() if props["mode"] == mode
                ]
                add_group(f"extra_regressors_{mode}", regressors)
                modes[mode] += [f"{mode}_terms", f"extra_regressors_{mode}"]
            modes[self.holidays_mode].append("holidays")
            names = sorted({n for _, n in rows})
            where = {n: j for j, n in enumerate(names)}
            counts = np.zeros((seasonal_features.shape[1], len(names)), dtype=np.int64)
            for col, name in rows:
                counts[col, where[name]] += 1
            component_cols = pd.DataFrame(
                counts,
                index=pd.Index(np.arange(len(counts)), name="col"),
                columns=pd.Index(names, name="component"),
            )
            # From here on as Prophet.
            for name in ("additive_terms", "multiplicative_terms"):
                if name not in component_cols:
                    component_cols[name] = 0
            component_cols.drop("zeros", axis=1, inplace=True, errors="ignore")
            if max(component_cols["additive_terms"] + component_cols["multiplicative_terms"]) > 1:
                raise Exception("A bug occurred in seasonal components.")
            if self.train_component_cols is not None:
                component_cols = component_cols[self.train_component_cols.columns]
                if not component_cols.equals(self.train_component_cols):
                    raise Exception("A bug occurred in constructing regressors.")
            return component_cols, modes

    return FastFeaturesProphet
