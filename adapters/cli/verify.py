"""`jxc verify [--json]`: rebuild the books from the moves and documents and compare."""

from __future__ import annotations

import sys

import click

from adapters.cli.common import Ctx, emit_json, pass_ctx
from domain.ledger.verify import Difference, verify_books


def describe(d: Difference) -> str:
    """One line per difference, e.g. `balance M6-20 @ MAIN: on_hand stored 7, rebuilt 5`."""
    where = f" {d.invoice}" if d.invoice else ""
    if d.partner:
        where += f" of {d.partner}"
    if d.warehouse:
        where += f" @ {d.warehouse}"
    if d.order:
        where += f" on {d.order}"
    if d.layer is not None:
        where += f" layer {d.layer}"
    shown = d.to_dict()
    what = f" {d.sku}" if d.sku else ""
    return f"{d.kind}{what}{where}: {d.field} stored {shown['stored']}, rebuilt {shown['rebuilt']}"


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON document.")
@pass_ctx
def verify(ctx: Ctx, as_json: bool) -> None:
    """Rebuild every balance (on hand, reserved, value), FIFO layer and order's shipped and
    received quantities from the append-only moves and documents; print each difference (exit
    1 if any)."""
    with ctx.app.uow(write=False) as uow:
        result = verify_books(uow)
    if as_json:
        emit_json(result.to_dict())
    elif result.ok:
        click.echo(
            f"books balance: {result.balances} balances, {result.fifo_layers} FIFO layers and "
            f"{result.order_lines} order lines rebuilt from {result.moves} moves; "
            f"{result.invoices} invoices, {result.payments} payments and {result.partners} "
            "partner balances rebuilt from the moves, orders and allocations"
        )
    else:
        for d in result.differences:
            click.echo(describe(d))
        click.echo(f"{len(result.differences)} difference(s): the books do not balance", err=True)
    sys.exit(0 if result.ok else 1)


def register(group: click.Group) -> None:
    group.add_command(verify)
