"""`jxc serve [slack] [telegram] [scheduler]`: run the long-lived parts until SIGTERM/SIGINT."""

from __future__ import annotations

import logging
import signal
import threading

import click

from adapters.cli.common import Ctx, fail, pass_ctx
from domain.errors import NotAvailable

log = logging.getLogger(__name__)
PARTS = ("slack", "telegram", "scheduler")
AVAILABLE = ("scheduler",)


@click.command()
@click.argument("parts", nargs=-1, type=click.Choice(PARTS))
@pass_ctx
def serve(ctx: Ctx, parts: tuple[str, ...]) -> None:
    """Run the scheduler (digests) — and, once they exist, the chat adapters — until stopped.
    With no arguments, every available part runs."""
    missing = [p for p in parts if p not in AVAILABLE]
    if missing:
        fail(NotAvailable(f"jxc serve {' '.join(missing)} is not available yet"))
    parts = parts or AVAILABLE
    from adapters.scheduler import start_scheduler

    app = ctx.app
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    scheduler = start_scheduler(app, app.notifier)
    jobs = scheduler.get_jobs()
    click.echo(
        f"serving: {', '.join(parts)}; {len(jobs)} scheduled job(s)"
        + "".join(f"\n  {j.name}: next {j.next_run_time}" for j in jobs),
        err=True,
    )
    try:
        while not stop.wait(1.0):
            pass
    finally:
        scheduler.shutdown(wait=True)
        click.echo("stopped", err=True)


def register(group: click.Group) -> None:
    group.add_command(serve)
