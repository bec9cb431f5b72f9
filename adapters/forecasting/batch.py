"""Forecast a whole catalogue: joblib across local cores (loky), or a Dask cluster, with a store
so that an item whose data has not changed is not refitted, and an item whose model choice is
current is not chosen again.

`forecast_catalogue` and `backtest_catalogue` are the services of the `forecast.all` and
`forecast.backtest` commands (`domain.messages.commands_admin`); the bootstrap registers them with the
fitters, so they run through the message bus and its role checks."""

from __future__ import annotations

import contextlib
import logging
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from domain.ledger import catalog_rows, lookup
from domain.ledger.history import last_history_day
from domain.messages.batch_results import (
    BacktestRow,
    CatalogueBacktest,
    CatalogueForecast,
    FamilyRow,
)
from domain.messages.commands_admin import BacktestForecasts, ForecastCatalogue
from domain.planning.candidates import FitterTable, as_table
from domain.planning.choice import HORIZON, Choice, choice_key, choose, forecast_with
from domain.planning.demand import demand_rows_by_item
from domain.planning.forecast_store import ForecastStore, data_version
from domain.planning.forecasting import (
    MODELS,
    Forecast,
    ForecastError,
    Series,
    check_days,
    daily_series,
)
from domain.planning.forecasts import as_jxc_error, current_choice

from .fitters import default_fitters

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
HistoryRows = Iterable[tuple[date, Decimal | float | int]]
# A choice is made again in a batch once the history has grown this many days past it (one
# backtest spacing): the older origins it was scored on have moved.
CHOICE_MAX_AGE_DAYS = 28

PROGRESS: ContextVar[Progress | None] = ContextVar("forecast_progress", default=None)
"""Where a caller that shows progress (the CLI's bar on a terminal) wants `(done, total)`
while `forecast_catalogue` runs; commands stay plain data."""


@dataclass
class BatchResult:
    """What a batch produced: forecasts by SKU, items that failed, which were refitted or
    served from the store, and for which the model was chosen."""

    forecasts: dict[str, Forecast] = field(default_factory=dict)
    errors: dict[str, Exception] = field(default_factory=dict)
    fitted: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    chosen: list[str] = field(default_factory=list)


class MemoryStore:
    """A store in memory, with the interface of `domain.planning.forecast_store.ForecastStore`."""

    def __init__(self) -> None:
        self.choices: dict[str, Choice] = {}
        self.forecasts: dict[str, tuple[str, Forecast]] = {}

    def choice(self, sku: str) -> Choice | None:
        """The item's choice."""
        return self.choices.get(sku)

    def forecast(self, sku: str, version: str, days: int) -> Forecast | None:
        """The stored forecast of that version for at least `days` days."""
        found = self.forecasts.get(sku)
        if found is None or found[0] != version or len(found[1].points) < days:
            return None
        return replace(found[1], points=found[1].points[:days])

    def keep(self, sku: str, version: str, fc: Forecast, choice: Choice | None) -> None:
        """Store a forecast (and a new choice)."""
        self.forecasts[sku] = (version, fc)
        if choice is not None:
            self.choices[sku] = choice


def _fit_one(sku: str, series: Series, days: int, fitters: FitterTable, choice: Choice | None):
    # Runs in a worker: return the error rather than raising, so one bad item spares the rest.
    try:
        new = None
        if choice is None:
            # The latest origin's score is the backtest's to report, not the batch's.
            choice = new = choose(series, fitters, series[-1][0].isoformat(), score_latest=False)
        return sku, forecast_with(sku, series, days, choice, fitters), new, None
    except Exception as exc:  # noqa: BLE001 - reported per item in BatchResult.errors
        return sku, None, None, exc


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


def _fresh(choice: Choice | None, key: str, last_day: date) -> bool:
    if not current_choice(choice, key):
        return False
    made = date.fromisoformat(choice.last_day)
    return (last_day - made).days < CHOICE_MAX_AGE_DAYS


def forecast_all(
    items: dict[str, HistoryRows],
    days: int,
    last_day: date,
    n_jobs: int = -1,
    dask_scheduler=None,
    progress: Progress | None = None,
    store=None,
    fitters: FitterTable | None = None,
) -> BatchResult:
    """Forecast every item ``days`` days after ``last_day``.

    ``items`` maps SKU → ``(date, qty)`` rows. Fits run through joblib: the loky backend on
    ``n_jobs`` local processes (-1: all cores), or on a Dask cluster when ``dask_scheduler`` (an
    address such as ``tcp://host:8786``, or a ``distributed.Client``) is given. ``store`` (a
    `MemoryStore` by default, a `ForecastStore` on the database) gives each item's stored choice
    and forecast and keeps the new ones: an item whose forecast of the same data version is
    stored is not refitted; one whose choice is missing, made under other candidates or
    `CHOICE_MAX_AGE_DAYS` old is chosen again by backtest. ``progress(done, total)`` is called as
    items complete. ``fitters`` defaults to `default_fitters()`.
    """
    import joblib

    check_days(days)
    fitters = default_fitters() if fitters is None else as_table(fitters)
    store = MemoryStore() if store is None else store
    key = choice_key(fitters)
    result = BatchResult()
    total, done = len(items), 0
    todo: list[tuple[str, Series, Choice | None]] = []

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
        choice = store.choice(sku)
        if not _fresh(choice, key, last_day):
            todo.append((sku, series, None))
            continue
        hit = store.forecast(sku, data_version(series, choice), days)
        if hit is not None:
            result.forecasts[sku] = hit
            result.cached.append(sku)
            tick()
        else:
            todo.append((sku, series, choice))

    if todo:
        by_sku = {sku: (series, choice) for sku, series, choice in todo}
        with _dask_backend(dask_scheduler) as client:
            parallel = joblib.Parallel(
                n_jobs=n_jobs,
                backend=None if client is not None else "loky",
                return_as="generator_unordered",
            )
            for sku, fc, new_choice, exc in parallel(
                joblib.delayed(_fit_one)(sku, series, days, fitters, choice)
                for sku, series, choice in todo
            ):
                if exc is not None:
                    logger.warning("forecast failed", extra={"sku": sku}, exc_info=exc)
                    result.errors[sku] = exc
                else:
                    series, choice = by_sku[sku]
                    choice = new_choice or choice
                    result.forecasts[sku] = fc
                    result.fitted.append(sku)
                    if new_choice is not None:
                        result.chosen.append(sku)
                    store.keep(sku, data_version(series, choice), fc, new_choice)
                tick()
    logger.info(
        "forecast batch done",
        extra={
            "fitted": len(result.fitted),
            "cached": len(result.cached),
            "chosen": len(result.chosen),
        },
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
    cmd: ForecastCatalogue,
    uow,
    user,
    *,
    uow_factory,
    fitters: FitterTable | None,
    dask_scheduler=None,
) -> CatalogueForecast:
    """Forecast every item with history (or `cmd.items`) for `cmd.days` days and store the
    forecasts and the model choices made: how many were fitted (and of those, chosen anew),
    reused and stored, why any failed, and the models used. Reads through the bus's read unit;
    stores in one short write unit of `uow_factory` after the fits."""
    _horizon(cmd.days)
    items, ids, last_day = catalogue_demand(uow, cmd.items)
    if not items:
        return CatalogueForecast(
            items=0,
            days=cmd.days,
            last_day_of_history=None,
            fitted=0,
            cached=0,
            chosen=0,
            stored=0,
            failed={},
            models={},
        )
    store = ForecastStore(uow, {sku: ids[sku] for sku in items})
    result = forecast_all(
        items,
        cmd.days,
        last_day,
        n_jobs=cmd.jobs,
        dask_scheduler=dask_scheduler,
        progress=PROGRESS.get(),
        store=store,
        fitters=fitters,
    )
    with uow_factory(write=True) as write:
        stored = store.save(write)
        write.commit()
    models = Counter(fc.model for fc in result.forecasts.values())
    return CatalogueForecast(
        items=len(items),
        days=cmd.days,
        last_day_of_history=last_day.isoformat(),
        fitted=len(result.fitted),
        cached=len(result.cached),
        chosen=len(result.chosen),
        stored=stored,
        failed={sku: str(exc) for sku, exc in sorted(result.errors.items())},
        models=dict(sorted(models.items())),
    )


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _choose_one(sku: str, series: Series, fitters: FitterTable, horizon: int):
    try:
        return sku, choose(series, fitters, series[-1][0].isoformat(), horizon), None
    except Exception as exc:  # noqa: BLE001 - one bad item spares the rest
        return sku, None, exc


def backtest_report(choices: dict[str, Choice]) -> CatalogueBacktest:
    """The design's backtest answer from the choices made: each item's model and scores, the
    means over the items scored, and `families` (a family's `items` counts the items that chose
    it, its `mean_mase` is over those of them scored on the latest origin)."""
    rows = tuple(
        BacktestRow(sku=sku, model=c.model, mase=_r(c.mase), mase_naive=_r(c.mase_naive))
        for sku, c in sorted(choices.items())
    )
    scored = [r for r in rows if r.mase is not None and r.mase_naive is not None]
    families = []
    for model in MODELS:
        chose = [r for r in rows if r.model == model]
        if not chose:
            continue
        scores = [r.mase for r in chose if r in scored]
        families.append(
            FamilyRow(
                model=model,
                items=len(chose),
                mean_mase=_r(statistics.fmean(scores)) if scores else None,
            )
        )
    return CatalogueBacktest(
        items=rows,
        mean_mase=_r(statistics.fmean(r.mase for r in scored)) if scored else None,
        mean_mase_naive=_r(statistics.fmean(r.mase_naive for r in scored)) if scored else None,
        families=tuple(families),
    )


def backtest_catalogue(
    cmd: BacktestForecasts, uow, user, *, fitters: FitterTable | None, uow_factory=None
) -> CatalogueBacktest:
    """Choose every item's model by backtest (or `cmd.items`'), store the choices (a forecast
    made next reuses them) and report them (`backtest_report`). 4 origins 28 days apart, horizon
    28 (another `cmd.horizon` is reported but not stored): the choice scores the candidates on
    the three older origins, the `mase` reported is the chosen model's on the latest."""
    import joblib

    _horizon(cmd.horizon)
    items, ids, last_day = catalogue_demand(uow, cmd.items)
    fitters = default_fitters() if fitters is None else as_table(fitters)
    skus = sorted(items)
    choices: dict[str, Choice] = {}
    for sku, choice, exc in joblib.Parallel(n_jobs=cmd.jobs)(
        joblib.delayed(_choose_one)(s, daily_series(items[s], last_day), fitters, cmd.horizon)
        for s in skus
    ):
        if exc is not None:
            logger.warning("backtest failed", extra={"sku": sku}, exc_info=exc)
        else:
            choices[sku] = choice
    if uow_factory is not None and choices and cmd.horizon == HORIZON:
        from domain.planning.forecast_store import store_choice

        with uow_factory(write=True) as write:
            for sku, choice in choices.items():
                store_choice(write, ids[sku], choice)
            write.commit()
    return backtest_report(choices)
