"""`jxc orders` and `jxc rules`."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from adapters.cli.common import Ctx, emit_json, fail, pass_ctx, resolve_user
from domain import settings
from domain.errors import JxcError
from domain.messages.commands import QueryOrders
from domain.messages.results import OrderLineRow
from domain.orders.questions import STATUSES
from domain.roles import require_admin


@click.command()
@click.argument("order", required=False)
@click.option("--status", type=click.Choice(STATUSES), default=None)
@click.option("--partner", default=None, help="Customer or supplier code.")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def orders(
    ctx: Ctx, order: str | None, status: str | None, partner: str | None, as_json: bool
) -> None:
    """Purchase and sales orders: {order, kind, partner, status, total, lines}."""
    app = ctx.app
    try:
        user = resolve_user(app, None)
        query = QueryOrders(order=order, status=status, partner=partner)
        rows = app.bus.execute(query, user).orders
    except JxcError as exc:
        fail(exc, as_json)
    if as_json:
        emit_json([row.to_json() for row in rows])
        return
    table = Table(title="Orders")
    for col in ("order", "kind", "partner", "status", "total", "lines"):
        table.add_column(col, justify="right" if col == "total" else "left")
    for r in rows:
        lines = ", ".join(_line_text(ln) for ln in r.lines)
        table.add_row(r.order, r.kind, r.partner, r.status, r.total, lines)
    Console().print(table)
    for r in rows:
        if r.reason:
            click.echo(f"{r.order} rejected: {r.reason}")
    if not rows:
        click.echo("no orders")


def _line_text(ln: OrderLineRow) -> str:
    text = f"{ln.item} × {ln.qty} @ {ln.price}"
    discount = ln.discount
    if discount and discount != "0":
        if discount.startswith("-"):
            text += f" ({discount[1:]}% over list {ln.list_price})"
        else:
            text += f" ({discount}% off {ln.list_price})"
    for word in ("shipped", "received"):
        done = getattr(ln, word)
        if done not in (None, "0", ln.qty):  # part of the line: say how much
            text += f" ({done} {word})"
    return text


@click.group()
def rules() -> None:
    """Show or change the named thresholds (approval, anomaly, reorder, stock)."""


@rules.command("show")
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def rules_show(ctx: Ctx, as_json: bool) -> None:
    """Every named setting with its current value."""
    with ctx.app.uow(write=False) as uow:
        values = settings.all_settings(uow)
    if as_json:
        emit_json(values)
        return
    for name, value in values.items():
        click.echo(f"{name} = {value}")


@rules.command("set")
@click.argument("name")
@click.argument("value")
@click.option("--user", "user_name", default=None, help="Acting user (an admin).")
@pass_ctx
def rules_set(ctx: Ctx, name: str, value: str, user_name: str | None) -> None:
    """Change a named setting (validated), e.g. `jxc rules set approval.purchase_total 20000`."""
    app = ctx.app
    try:
        user = resolve_user(app, user_name)
        require_admin(user.name, user.role, "rules.set")
        with app.uow() as uow:
            settings.validate(name, value)  # an unknown name or a value out of range first
            name = settings.canonical_name(uow, name)
            old = settings.get(uow, name)
            stored = settings.set_value(uow, name, value)
            uow.audit(user.name, "rules.set", "", {"name": name, "old": old, "new": stored})
            uow.commit()
    except JxcError as exc:
        fail(exc)
    click.echo(f"{name} = {stored}")


def register(group: click.Group) -> None:
    group.add_command(orders)
    group.add_command(rules)
