"""`jxc serve`: one process, one asyncio loop for the chat adapters (Slack, Telegram) and the
scheduler (its own threads, started and stopped from the loop).

Each part has a `name`, `async start()` (returns when it is ready) and `async stop()` (takes
nothing new, finishes what it acknowledged). With no part named, every part whose settings are
present runs, and the scheduler; a part named without its settings is misuse (exit 2). The
parts, the chat notifiers they deliver through and the pacers they share are built by the
composition root (`adapters.bootstrap.serving`) and handed in.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import signal
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from adapters.bootstrap import Serving
    from adapters.notify import Notifier

log = logging.getLogger(__name__)
PARTS = ("slack", "telegram", "scheduler")


class Misuse(Exception):
    """A part named that cannot run as configured (the CLI exits 2 with this line)."""


class SchedulerPart:
    """The timed jobs (digests, reminders and escalations, sweeps) in the scheduler's threads."""

    name = "scheduler"

    def __init__(self, app, notifier: Notifier):
        self.app = app
        self.notifier = notifier
        self.scheduler = None

    @property
    def where(self) -> str:
        jobs = self.scheduler.get_jobs() if self.scheduler is not None else []
        return f"{len(jobs)} job(s)"

    async def start(self) -> None:
        from adapters.scheduler import start_scheduler

        self.scheduler = await asyncio.to_thread(
            start_scheduler, self.app, self.notifier, feed=False
        )

    async def stop(self) -> None:
        if self.scheduler is not None:
            await asyncio.to_thread(self.scheduler.shutdown, True)


class FeedPart:
    """The rules feed and the deliveries (alerts, decisions, digests queued), part of every
    `jxc serve` process: a process serving a chat platform sends that platform's deliveries
    whether or not it runs the scheduler; with the scheduler it sends every channel's (the
    console's too). Not named on the command line, not shown in the ready line."""

    name = "feed"
    shown = False

    def __init__(self, app, channels: tuple[str, ...] | None, notifier: Notifier):
        self.app = app
        self.channels = channels
        self.notifier = notifier
        self.loop = None

    async def start(self) -> None:
        from adapters.scheduler import FeedLoop

        self.loop = FeedLoop(self.app, self.notifier, channels=self.channels).start()

    async def stop(self) -> None:
        if self.loop is not None:
            await asyncio.to_thread(self.loop.stop)


def telegram_module():
    try:
        return importlib.import_module("adapters.telegram")
    except ImportError:
        return None


def _slack_missing(settings) -> list[str]:
    from adapters.slack import missing_settings

    return missing_settings(settings)


def _telegram_missing(settings) -> list[str]:
    return [] if settings.telegram_token else ["JXC_TELEGRAM_TOKEN"]


def choose_parts(settings, named: tuple[str, ...]) -> list[str]:
    """The parts to run: those named (each must be configured), else every configured one and
    the scheduler. Raises `Misuse` for a part named without its settings."""
    telegram = telegram_module()
    if named:
        for part in dict.fromkeys(named):
            if part == "slack" and (missing := _slack_missing(settings)):
                raise Misuse(f"jxc serve slack needs {' and '.join(missing)}")
            if part == "telegram":
                if missing := _telegram_missing(settings):
                    raise Misuse(f"jxc serve telegram needs {' and '.join(missing)}")
                if telegram is None:
                    raise Misuse("jxc serve telegram: the Telegram adapter is not installed")
        return list(dict.fromkeys(named))
    parts = []
    if not _slack_missing(settings):
        parts.append("slack")
    if not _telegram_missing(settings) and telegram is not None:
        parts.append("telegram")
    return [*parts, "scheduler"]


def feed_channels(names: list[str]) -> tuple[str, ...] | None:
    """The channels whose deliveries a process running `names` sends: every one with the
    scheduler, else those of its chat parts."""
    if "scheduler" in names:
        return None
    return tuple(n for n in names if n in ("slack", "telegram"))


WATCH_INTERVAL = 1.0
"""Seconds between two looks at the SQLite database file under a running `jxc serve`."""


async def watch_database(app, gone: list, stop: asyncio.Event) -> None:
    """Stop the process (`gone` gets the error) once its SQLite database file was removed or
    replaced: it would otherwise write into a file nobody reads."""
    from adapters.db import check_database_file
    from domain.errors import DatabaseUnavailable

    while not stop.is_set():
        await asyncio.sleep(WATCH_INTERVAL)
        try:
            await asyncio.to_thread(check_database_file, app.engine)
        except DatabaseUnavailable as exc:
            gone.append(exc)
            stop.set()
            return


def _describe(part) -> str:
    where = getattr(part, "where", "")
    return f"{part.name} ({where})" if where else part.name


async def run(serving: Serving, names: list[str], say: Callable[[str], None]) -> int:
    """Start the chat notifiers and the parts `serving` builds, say "ready", serve until
    SIGTERM/SIGINT, then stop them; exit status."""
    app, notifiers = serving.app, serving.notifiers
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    started, gone = [], []
    watcher = None
    try:
        parts = serving.parts(names, await notifiers.start(), feed=True)
        for part in parts:
            await part.start()
            started.append(part)
        say("ready: " + ", ".join(_describe(p) for p in started if getattr(p, "shown", True)))
        watcher = asyncio.create_task(watch_database(app, gone, stop))
        await stop.wait()
        if gone:
            say(f"error ({gone[0].code}): {gone[0]}")
        say("stopping: finishing the work in hand")
    finally:
        if watcher is not None:
            watcher.cancel()
        # Stopped in reverse order: the chat parts finish their replies while the scheduler
        # still runs; every part is stopped even if another fails to.
        for part in reversed(started):
            try:
                await part.stop()
            except Exception:  # noqa: BLE001 - logged; the other parts must still stop
                log.exception("stopping %s failed", part.name)
        try:
            await notifiers.stop()
        except Exception:  # noqa: BLE001 - logged; stopping goes on
            log.exception("closing the chat notifiers failed")
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)
    say("stopped")
    return 1 if gone else 0


def serve(serving: Serving, named: tuple[str, ...], say: Callable[[str], None]) -> int:
    """Run `jxc serve` as `serving` (adapters.bootstrap.serving) wires it, on a new event loop
    (raises `Misuse` before starting anything)."""
    names = choose_parts(serving.app.settings, named)
    return asyncio.run(run(serving, names, say))
