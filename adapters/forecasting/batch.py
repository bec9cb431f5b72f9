"""Forecast a whole catalogue: joblib across local cores (loky), or a Dask cluster, with a cache
so that an item whose data has not changed is not refitted.

`forecast_catalogue` and `backtest_catalogue` are the services of the `forecast.all` and
`forecast.backtest` commands (`domain.commands_admin`); the bootstrap registers them with the
fitter, so they run through the message bus and its role checks."""

from __future__ import annotations

import contextlib
import logging
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, MutableMapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain import catalog_rows, lookup
from domain.batch_results import BacktestRow, CatalogueBacktest, CatalogueForecast
from domain.commands_admin import BacktestForecasts, ForecastCatalogue
from domain.forecasting import (
    Fitter,
    Forecast,
    ForecastError,
    Series,
    backtest_item,
    check_days,
    daily_series,
    forecast_series,
)
from domain.history import last_history_day
from domain.services.forecasts import (
    StoredForecastCache,
    as_jxc_error,
    data_version,
    demand_rows_by_item,
    settings_key,
)

from .prophet_model import ProphetFitter

logger = logging.getLogger(__name__)

CacheKey = tuple[str, str]
Progress = Callable[[int, int], None]
HistoryRows = Iterable[tuple[date, Decimal | float | int]]

PROGRESS: ContextVar[Progress | None] = ContextVar("forecast_progress", default=None)
"""Where a caller that shows progress (the CLI's bar on a terminal) wants `(done, total)`
while `forecast_catalogue` runs; commands stay plain data."""


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


# -- the services of forecast.all and forecast.backtest --------------------------------------


def _horizon(days) -> int:
    try:
        return check_days(days)
    except ForecastError as exc:
        raise as_jxc_error(exc, "") from exc


def catalogue_demand(uow, only: Iterable[str] | None = None):
    """Demand rows per SKU (items with any), SKU → item id, and the last day of history; `only`
    limits it to those SKUs (an unknown one is `UnknownItem`)."""
    rows = [lookup.item(uow, s) for s in only] if only else catalog_rows.items(uow)
    rows = sorted(rows, key=lambda r: r.sku)
    demand = demand_rows_by_item(uow)
    ids = {r.sku: r.id for r in rows}
    return {r.sku: demand[r.id] for r in rows if demand.get(r.id)}, ids, last_history_day(uow)


def forecast_catalogue(
    cmd: ForecastCatalogue, uow, user, *, uow_factory, fitter: Fitter | None, dask_scheduler=None
) -> CatalogueForecast:
    """Forecast every item with history (or `cmd.items`) for `cmd.days` days and store the
    forecasts: how many were fitted, reused and stored, why any failed, and the models used.
    Reads through the bus's read unit; stores in one short write unit of `uow_factory` after
    the fits."""
    _horizon(cmd.days)
    items, ids, last_day = catalogue_demand(uow, cmd.items)
    if not items:
        return CatalogueForecast(
            items=0,
            days=cmd.days,
            last_day_of_history=None,
            fitted=0,
            cached=0,
            stored=0,
            failed={},
            models={},
        )
    cache = StoredForecastCache(uow, ids)
    result = forecast_all(
        items,
        cmd.days,
        last_day,
        n_jobs=cmd.jobs,
        dask_scheduler=dask_scheduler,
        progress=PROGRESS.get(),
        cache=cache,
        fitter=fitter,
    )
    with uow_factory(write=True) as write:
        stored = cache.save(write)
        write.commit()
    models = Counter(fc.model for fc in result.forecasts.values())
    return CatalogueForecast(
        items=len(items),
        days=cmd.days,
        last_day_of_history=last_day.isoformat(),
        fitted=len(result.fitted),
        cached=len(result.cached),
        stored=stored,
        failed={sku: str(exc) for sku, exc in sorted(result.errors.items())},
        models=dict(sorted(models.items())),
    )


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def backtest_catalogue(
    cmd: BacktestForecasts, uow, user, *, fitter: Fitter | None
) -> CatalogueBacktest:
    """Rolling-origin backtest of every item with history (or `cmd.items`): each item's MASE
    and the seasonal naive's, and their means over the items scored."""
    import joblib

    _horizon(cmd.horizon)
    items, _, last_day = catalogue_demand(uow, cmd.items)
    skus = sorted(items)
    series = [daily_series(items[s], last_day) for s in skus]
    results = joblib.Parallel(n_jobs=cmd.jobs)(
        joblib.delayed(backtest_item)(s, fitter, cmd.horizon) for s in series
    )
    rows = tuple(
        BacktestRow(sku=sku, model=model, mase=_r(res.mase), mase_naive=_r(res.mase_naive))
        for sku, (model, res) in zip(skus, results, strict=True)
    )
    scored = [r for r in rows if r.mase is not None and r.mase_naive is not None]
    return CatalogueBacktest(
        items=rows,
        mean_mase=_r(statistics.fmean(r.mase for r in scored)) if scored else None,
        mean_mase_naive=_r(statistics.fmean(r.mase_naive for r in scored)) if scored else None,
    )
