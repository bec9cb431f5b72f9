"""`jxc serve [slack] [telegram] [scheduler]`: run the long-lived parts in one process until
SIGTERM/SIGINT (see `adapters.serve`)."""

from __future__ import annotations

import logging
import sys

import click

from adapters.cli.common import Ctx, pass_ctx
from adapters.serve import PARTS, Misuse

log = logging.getLogger(__name__)


@click.command()
@click.argument("parts", nargs=-1, type=click.Choice(PARTS))
@pass_ctx
def serve(ctx: Ctx, parts: tuple[str, ...]) -> None:
    """Run the Slack and Telegram adapters and the scheduler (digests, sweeps, alert deliveries)
    in one process until stopped. With no arguments, every part whose settings are present runs,
    and the scheduler. Prints one "ready" line naming the parts when they are up; on SIGTERM it
    takes nothing new, finishes what it acknowledged and exits 0."""
    from adapters.bootstrap import serving
    from adapters.serve import serve as run_serve

    try:
        code = run_serve(serving(ctx.app), parts, lambda line: click.echo(line, err=True))
    except Misuse as exc:
        click.echo(f"error (misuse): {exc}", err=True)
        sys.exit(2)
    sys.exit(code)


def register(group: click.Group) -> None:
    group.add_command(serve)
