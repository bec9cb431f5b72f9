"""`jxc alerts`: the alerts sent to a user; `jxc alerts ack ID`, `jxc alerts snooze ID`."""

from __future__ import annotations

import click

from adapters.cli.common import Ctx, emit_json, pass_ctx, resolve_user
from domain.messages.commands import MAX_SNOOZE_DAYS, AckAlert, ListAlerts, SnoozeAlert


@click.group(invoke_without_command=True)
@click.option("--all", "every", is_flag=True, help="Alerts in every state, not only open ones.")
@click.option("--user", "user_name", default=None, help="Act as this user (default: first admin).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def alerts(click_ctx: click.Context, every: bool, user_name: str | None, as_json: bool) -> None:
    """Open alerts of the user (admins: all): {id, kind, subject, message, status}."""
    click_ctx.meta["jxc.alerts.user"] = user_name
    if click_ctx.invoked_subcommand is not None:
        return
    ctx = click_ctx.find_object(Ctx) or click_ctx.ensure_object(Ctx)
    app = ctx.app
    user = resolve_user(app, user_name)
    rows = app.bus.execute(ListAlerts(all=every or None), user).alerts
    if as_json:
        emit_json([row.to_json() for row in rows])
        return
    if not rows:
        click.echo("没有预警" if user.lang == "zh" else "no alerts")
        return
    for r in rows:
        status = "" if r.status == "open" else f" [{r.status}]"
        click.echo(f"#{r.id} {r.kind}{status}: {r.message}")


def _user(ctx: Ctx, user_name: str | None):
    parent = click.get_current_context().parent
    name = user_name or (parent.meta.get("jxc.alerts.user") if parent else None)
    return resolve_user(ctx.app, name)


@alerts.command()
@click.argument("alert_id", type=int)
@click.option("--user", "user_name", default=None)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def ack(ctx: Ctx, alert_id: int, user_name: str | None, as_json: bool) -> None:
    """Acknowledge an alert sent to you."""
    user = _user(ctx, user_name)
    result = ctx.app.bus.execute(AckAlert(alert=alert_id), user)
    _done(result, user, as_json)


@alerts.command()
@click.argument("alert_id", type=int)
@click.option("--days", type=click.IntRange(1, MAX_SNOOZE_DAYS), default=1, show_default=True)
@click.option("--user", "user_name", default=None)
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def snooze(ctx: Ctx, alert_id: int, days: int, user_name: str | None, as_json: bool) -> None:
    """Put an alert aside for some days; it is open again after that."""
    user = _user(ctx, user_name)
    result = ctx.app.bus.execute(SnoozeAlert(alert=alert_id, days=days), user)
    _done(result, user, as_json)


def _done(result, user, as_json: bool) -> None:
    if as_json:
        emit_json({"ok": True, "result": result.to_json()})
        return
    from bot.render.results import result_reply

    click.echo(result_reply(result, user.lang or "en").text)


def register(group: click.Group) -> None:
    group.add_command(alerts)
