"""`jxc forecast`: one item (through the message bus), a backtest of every item, or a batch
forecast of the whole catalogue stored for reorder points."""

from __future__ import annotations

import contextlib
import logging
import sys
from datetime import date
from pathlib import Path

import click

from adapters.cli.common import (
    Ctx,
    emit_json,
    fail,
    jobs_count,
    pass_ctx,
    png_path,
    resolve_user,
)
from bot.forecast_text import total_range
from bot.report_text import (
    chance_of_a_sale,
    chance_text,
    is_sparse,
    model_label,
    weekly_totals,
)
from domain.errors import JxcError
from domain.ledger import lookup
from domain.ledger.history import last_history_day
from domain.messages.commands import Forecast as ForecastCommand
from domain.messages.commands_admin import BacktestForecasts, ForecastCatalogue
from domain.messages.results import ForecastAnswer
from domain.numbers import forecast_display
from domain.planning.demand import demand_rows_by_item
from domain.planning.forecasting import MAX_DAYS, Forecast, ForecastPoint, daily_series
from domain.planning.forecasts import DEFAULT_DAYS

log = logging.getLogger(__name__)


def _as_forecast(result: ForecastAnswer) -> Forecast:
    return Forecast(
        result.sku,
        result.model,
        result.reason,
        [
            ForecastPoint(date.fromisoformat(p.date), p.yhat, p.yhat_lower, p.yhat_upper, p.mean)
            for p in result.points
        ],
    )


def _print_forecast(result: ForecastAnswer, uom: str | None) -> None:
    """A forecast for people: quantities rounded to what the item's unit allows (whole for
    counted units); the JSON keeps the model's numbers."""
    pts = result.points
    total = sum(p.expected for p in pts)
    lo, hi = total_range(pts)
    unit = f" {uom}" if uom else ""

    def q(x: float) -> str:
        return forecast_display(x, uom)

    model = result.model
    click.echo(f"{result.sku}: {model_label(model)} ({model}) — {result.reason}")
    click.echo(
        f"next {len(pts)} days ({pts[0].date} – {pts[-1].date}): about {q(total)}{unit} "
        f"(80 % range of the daily sums {q(lo)} – {q(hi)})"
    )
    # "0 [0 – 2]" every day says nothing: weeks, and the chance of a sale (a horizon shorter
    # than a week keeps its days).
    if len(pts) >= 7 and is_sparse(pts):
        day = chance_text(chance_of_a_sale(total / len(pts)))
        click.echo(f"most days sell nothing (a sale on a given day: about {day}); by week:")
        for w in weekly_totals(pts):
            span = f"{w['start']} – {w['end']}" + (f" ({w['days']} days)" if w["days"] < 7 else "")
            click.echo(
                f"  {span}  {w['expected']:.1f}{unit} on average [{q(w['low'])} – {q(w['high'])}], "
                f"chance of any sale {chance_text(w['chance'])}"
            )
        return
    width = max(len(q(p.yhat)) for p in pts)
    for p in pts:
        click.echo(f"  {p.date}  {q(p.yhat):>{width}}  [{q(p.yhat_lower)} – {q(p.yhat_upper)}]")


def _one(ctx: Ctx, sku: str, days: int, as_json: bool, png: Path | None, user_name) -> None:
    app = ctx.app
    try:
        user = resolve_user(app, user_name)
        result = app.bus.execute(ForecastCommand(item=sku, days=days), user)
        if png is not None:
            from adapters.forecasting.chart import render_forecast_png

            with app.uow(write=False) as uow:
                item = lookup.item(uow, sku)
                last_day = last_history_day(uow)
                rows = demand_rows_by_item(uow, item.id).get(item.id, [])
            series = daily_series(rows, last_day) if last_day else []
            render_forecast_png(_as_forecast(result), series, png, item.name_zh or item.name)
    except JxcError as exc:
        fail(exc, as_json)
    if as_json:
        emit_json(result.to_json())
    else:
        with app.uow(write=False) as uow:
            uom = lookup.item(uow, result.sku).uom
        _print_forecast(result, uom)
    if png is not None:
        click.echo(f"chart: {png}", err=as_json)


def _backtest(ctx: Ctx, horizon: int, as_json: bool, only, jobs: int, user_name) -> None:
    app = ctx.app
    try:
        user = resolve_user(app, user_name)
        out = app.bus.execute(BacktestForecasts(horizon=horizon, items=only, jobs=jobs), user)
    except JxcError as exc:
        fail(exc, as_json)
    if as_json:
        emit_json(out.to_json())
        return
    click.echo(
        f"backtest: 4 origins 28 days apart, horizon {horizon}; each item's model chosen on the "
        "three older origins, its MASE (lower is better; 1 = as good as repeating the last "
        "week) on the latest"
    )
    click.echo(f"{'sku':<12} {'model':<14} {'mase':>8} {'naive':>8}")
    for r in out.items:
        m, n = r.mase, r.mase_naive
        click.echo(
            f"{r.sku:<12} {r.model:<14} "
            f"{'-' if m is None else f'{m:.3f}':>8} {'-' if n is None else f'{n:.3f}':>8}"
        )
    click.echo(f"mean MASE {out.mean_mase} vs seasonal naive {out.mean_mase_naive}")
    click.echo("by model: how many items chose it, and their mean MASE")
    for f in out.families:
        m = f.mean_mase
        click.echo(
            f"  {f.model:<14} {model_label(f.model)}: {f.items} item"
            f"{'s' if f.items != 1 else ''}, mean MASE {'-' if m is None else f'{m:.3f}'}"
        )


@contextlib.contextmanager
def _progress(enabled: bool):
    """A rich progress bar on a terminal (stderr); otherwise no progress callback."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("forecasting", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _all(ctx: Ctx, days: int, as_json: bool, only, jobs: int, user_name) -> None:
    from adapters.forecasting.batch import PROGRESS

    app = ctx.app
    try:
        user = resolve_user(app, user_name)
        cmd = ForecastCatalogue(days=days, items=only, jobs=jobs)
        with _progress(sys.stderr.isatty() and not as_json) as progress:
            token = PROGRESS.set(progress)
            try:
                summary = app.bus.execute(cmd, user)
            finally:
                PROGRESS.reset(token)
    except JxcError as exc:
        fail(exc, as_json)
    if not summary.items:
        click.echo("no item has sales history: nothing to forecast", err=True)
        sys.exit(1)
    last_day = summary.last_day_of_history
    if as_json:
        emit_json(summary.to_json())
    else:
        click.echo(
            f"forecast {summary.items} items for {days} days after {last_day}: "
            f"{summary.fitted} fitted ({summary.chosen} with a model chosen anew), "
            f"{summary.cached} unchanged (stored forecast reused), "
            f"{len(summary.failed)} failed; models: "
            + ", ".join(f"{m} {n}" for m, n in summary.models.items())
        )
        for sku, msg in summary.failed.items():
            click.echo(f"  {sku}: {msg}", err=True)
    if summary.failed:
        sys.exit(1)


def _split(value: str | None) -> tuple[str, ...] | None:
    return tuple(s.strip() for s in value.split(",") if s.strip()) if value else None


@click.command()
@click.argument("sku", required=False)
@click.option(
    "--days",
    type=click.IntRange(1, MAX_DAYS),
    default=DEFAULT_DAYS,
    show_default=True,
    help=f"Days to forecast (1–{MAX_DAYS}).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON document on stdout.")
@click.option(
    "--png",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=png_path,
    help="Write a chart.",
)
@click.option(
    "--backtest",
    is_flag=True,
    help="Choose every item's model by rolling-origin backtest and show the MASE per model.",
)
@click.option("--horizon", type=click.IntRange(1, MAX_DAYS), default=28, show_default=True)
@click.option("--all", "all_items", is_flag=True, help="Forecast every item and store it.")
@click.option("--items", help="With --backtest or --all: only these SKUs (comma-separated).")
@click.option(
    "--jobs",
    type=int,
    default=-1,
    show_default=True,
    callback=jobs_count,
    help="Parallel workers (-1: all cores, else 1–256).",
)
@click.option(
    "--user",
    "user_name",
    default=None,
    help="Acting user (default: the first admin); --all needs a buyer, --backtest a viewer.",
)
@pass_ctx
def forecast(
    ctx: Ctx,
    sku: str | None,
    days: int,
    as_json: bool,
    png: Path | None,
    backtest: bool,
    horizon: int,
    all_items: bool,
    items: str | None,
    jobs: int,
    user_name: str | None,
) -> None:
    """Forecast daily demand: `jxc forecast SKU [--days N] [--json] [--png FILE]`,
    `jxc forecast --backtest [--horizon 28] [--items A,B]`, `jxc forecast --all [--days N]`."""
    modes = sum(bool(x) for x in (sku, backtest, all_items))
    if modes != 1:
        raise click.UsageError("give a SKU, or --backtest, or --all (exactly one)")
    if sku and items:
        raise click.UsageError("--items goes with --backtest or --all")
    if png is not None and not sku:
        raise click.UsageError("--png goes with a single SKU")
    if backtest:
        _backtest(ctx, horizon, as_json, _split(items), jobs, user_name)
    elif all_items:
        _all(ctx, days, as_json, _split(items), jobs, user_name)
    else:
        _one(ctx, sku, days, as_json, png, user_name)


def register(group: click.Group) -> None:
    group.add_command(forecast)
