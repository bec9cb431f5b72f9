"""Forecast a whole catalogue: joblib across local cores (loky), or a Dask cluster, with a cache
so that an item whose data has not changed is not refitted."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.forecasting import (
    Fitter,
    Forecast,
    ForecastError,
    Series,
    check_days,
    daily_series,
    forecast_series,
)
from domain.services.forecasts import data_version, settings_key

from .prophet_model import ProphetFitter

logger = logging.getLogger(__name__)

CacheKey = tuple[str, str]
Progress = Callable[[int, int], None]
HistoryRows = Iterable[tuple[date, Decimal | float | int]]


@dataclass
class BatchResult:
    """What a batch produced: forecasts by SKU, items that failed, and which were refitted or
    served from the cache."""

    forecasts: dict[str, Forecast] = field(default_factory=dict)
    errors: dict[str, Exception] = field(default_factory=dict)
    fitted: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)


def _fit_one(sku: str, series: Series, days: int, fitter: Fitter | None):
    # Runs in a worker: return the error rather than raising, so one bad item spares the rest.
    try:
        return sku, forecast_series(sku, series, days, fitter), None
    except Exception as exc:  # noqa: BLE001 - reported per item in BatchResult.errors
        return sku, None, exc


@contextlib.contextmanager
def _dask_backend(dask_scheduler):
    import joblib

    if dask_scheduler is None:
        yield None
        return
    from distributed import Client

    if isinstance(dask_scheduler, Client):
        with joblib.parallel_config(backend="dask"):
            yield dask_scheduler
        return
    with Client(dask_scheduler) as client, joblib.parallel_config(backend="dask"):
        yield client


def forecast_all(
    items: dict[str, HistoryRows],
    days: int,
    last_day: date,
    n_jobs: int = -1,
    dask_scheduler=None,
    progress: Progress | None = None,
    cache: MutableMapping[CacheKey, Forecast] | None = None,
    fitter: Fitter | None = None,
    use_prophet: bool = True,
) -> BatchResult:
    """Forecast every item ``days`` days after ``last_day``.

    ``items`` maps SKU → ``(date, qty)`` rows. Fits run through joblib: the loky backend on
    ``n_jobs`` local processes (-1: all cores), or on a Dask cluster when ``dask_scheduler`` (an
    address such as ``tcp://host:8786``, or a ``distributed.Client``) is given. ``cache`` is any
    mapping keyed by ``(sku, data version)``; a hit is returned as is, without refitting.
    ``progress(done, total)`` is called as items complete. ``fitter`` defaults to Prophet with CN
    holidays; with ``use_prophet=False`` only the fallback models are used.
    """
    import joblib

    check_days(days)
    fitter = (fitter or ProphetFitter()) if use_prophet else None
    cache = {} if cache is None else cache
    settings = settings_key(fitter)
    result = BatchResult()
    total, done = len(items), 0
    todo: list[tuple[str, Series, str]] = []

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    for sku, rows in items.items():
        series = daily_series(rows, last_day)
        if not series:
            result.errors[sku] = ForecastError(
                f"{sku} has no sales history to forecast from", "unknown_item"
            )
            tick()
            continue
        version = data_version(series, days, settings)
        hit = cache.get((sku, version))
        if hit is not None:
            result.forecasts[sku] = hit
            result.cached.append(sku)
            tick()
        else:
            todo.append((sku, series, version))

    if todo:
        versions = {sku: version for sku, _, version in todo}
        with _dask_backend(dask_scheduler) as client:
            parallel = joblib.Parallel(
                n_jobs=n_jobs,
                backend=None if client is not None else "loky",
                return_as="generator_unordered",
            )
            for sku, fc, exc in parallel(
                joblib.delayed(_fit_one)(sku, series, days, fitter) for sku, series, _ in todo
            ):
                if exc is not None:
                    logger.warning("forecast failed", extra={"sku": sku}, exc_info=exc)
                    result.errors[sku] = exc
                else:
                    result.forecasts[sku] = fc
                    result.fitted.append(sku)
                    cache[(sku, versions[sku])] = fc
                tick()
    logger.info(
        "forecast batch done",
        extra={"fitted": len(result.fitted), "cached": len(result.cached)},
    )
    return result
