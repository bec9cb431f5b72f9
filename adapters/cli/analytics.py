"""`jxc report NAME [--period P] [--json] [--png FILE] [--lang en|zh]`."""

from __future__ import annotations

from pathlib import Path

import click

from adapters.cli.common import Ctx, emit_json, fail, pass_ctx, png_path, resolve_user
from bot.report_text import render_text
from domain.errors import JxcError
from domain.messages.commands import Report
from domain.reports.service import NAMES


@click.command(help="Run a report: " + ", ".join(NAMES) + ".")
@click.argument("name")
@click.option(
    "--period",
    default=None,
    help="today, this_week, last_week, this_month, last_month, this_quarter, last_quarter, "
    "this_year, last_year, last_7_days, last_30_days or YYYY-MM.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.option(
    "--png",
    "png",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=png_path,
    help="Also draw a chart.",
)
@click.option("--lang", type=click.Choice(["en", "zh"]), default=None)
@click.option("--user", "user_name", default=None, help="Acting user (default: the first admin).")
@pass_ctx
def report(
    ctx: Ctx,
    name: str,
    period: str | None,
    as_json: bool,
    png: Path | None,
    lang: str | None,
    user_name: str | None,
) -> None:
    app = ctx.app
    try:
        user = resolve_user(app, user_name)
        result = app.bus.execute(Report(name=name, period=period), user)
    except JxcError as exc:
        fail(exc, as_json)
    lang = lang or getattr(user, "lang", None) or "en"
    if png is not None:
        from adapters.charts import render_report_png

        render_report_png(result, png, lang)
    if as_json:
        emit_json(result.to_json())
        return
    click.echo(render_text(result, lang))
    if png is not None:
        click.echo(f"chart: {png}")


def register(group: click.Group) -> None:
    group.add_command(report)
