"""`jxc serve`: one process, one asyncio loop for the chat adapters (Slack, Telegram) and the
scheduler (its own threads, started and stopped from the loop).

Each part has a `name`, `async start()` (returns when it is ready) and `async stop()` (takes
nothing new, finishes what it acknowledged). With no part named, every part whose settings are
present runs, and the scheduler; a part named without its settings is misuse (exit 2).
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import signal
from collections.abc import Callable
from functools import partial

log = logging.getLogger(__name__)
PARTS = ("slack", "telegram", "scheduler")


class Misuse(Exception):
    """A part named that cannot run as configured (the CLI exits 2 with this line)."""


class SchedulerPart:
    """The timed jobs (digests, reminders and escalations, sweeps) in the scheduler's threads."""

    name = "scheduler"

    def __init__(self, app, notifier=None):
        self.app = app
        self.notifier = notifier or app.notifier
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

    def __init__(self, app, channels: tuple[str, ...] | None, notifier=None):
        self.app = app
        self.channels = channels
        self.notifier = notifier or app.notifier
        self.loop = None

    async def start(self) -> None:
        from adapters.scheduler import FeedLoop

        self.loop = FeedLoop(self.app, self.notifier, channels=self.channels).start()

    async def stop(self) -> None:
        if self.loop is not None:
            await asyncio.to_thread(self.loop.stop)


def _telegram_module():
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
    telegram = _telegram_module()
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


class Pacers:
    """One pacer per platform for the whole process: a chat reply and an alert delivery to the
    same Slack channel or Telegram chat wait in the same queue, so together they stay within
    the platform's limits."""

    def __init__(self):
        self._slack = self._telegram = None

    def slack(self):
        if self._slack is None:
            from adapters.slack.sender import post_pacing

            self._slack = post_pacing()
        return self._slack

    def telegram(self):
        if self._telegram is None:
            from adapters.telegram.sending import Pacing

            self._telegram = Pacing()
        return self._telegram


def feed_channels(names: list[str]) -> tuple[str, ...] | None:
    """The channels whose deliveries a process running `names` sends: every one with the
    scheduler, else those of its chat parts."""
    if "scheduler" in names:
        return None
    return tuple(n for n in names if n in ("slack", "telegram"))


def build_parts(
    app, names: list[str], notifier, pacers: Pacers | None = None, feed: bool = False
) -> list:
    """The part objects, in order, handed the chat `notifier` (the scheduler and the feed
    deliver through it, the chat parts edit every copy of an alert after a tap) and one
    conversation for the chat parts; `feed`: the rules feed and deliveries first (started
    before the others and stopped after them, so what the chat parts finish is still
    delivered)."""
    from adapters.deliveries import refresh_for_tap

    pacers = pacers or Pacers()
    chat = {"conversation": None, "refresh_copies": partial(refresh_for_tap, app, notifier)}
    if "slack" in names or "telegram" in names:
        chat["conversation"] = app.conversation(charts=True)
    built = [FeedPart(app, feed_channels(names), notifier)] if feed and names else []
    for name in names:
        if name == "slack":
            from adapters.slack import make_part

            built.append(make_part(app, app.settings, pacers.slack(), **chat))
        elif name == "telegram":
            built.append(_telegram_module().make_part(app, app.settings, pacers.telegram(), **chat))
        elif name == "scheduler":
            built.append(SchedulerPart(app, notifier))
    return built


class ChatNotifiers:
    """The notifiers of the configured chat channels, on the serve loop, behind one
    `ChannelNotifier` (the console for anyone without a chat id)."""

    def __init__(self, app, pacers: Pacers | None = None):
        self.app = app
        self.pacers = pacers or Pacers()
        self.notifier = None
        self._bot = None
        self._client = None

    async def start(self):
        from adapters.notify import ChannelNotifier

        loop = asyncio.get_running_loop()
        settings, by_channel = self.app.settings, {}
        if settings.slack_bot_token:
            from adapters.slack.notifier import SlackNotifier
            from adapters.slack.sender import make_client

            self._client = make_client(settings.slack_bot_token, settings.slack_api_url, retries=0)
            by_channel["slack"] = SlackNotifier(self._client, loop, self.pacers.slack())
        if settings.telegram_token and _telegram_module() is not None:
            from adapters.telegram.notifier import TelegramNotifier, make_bot

            self._bot = make_bot(settings)
            await self._bot.initialize()
            by_channel["telegram"] = TelegramNotifier(self._bot, loop, self.pacers.telegram())
        self.notifier = ChannelNotifier(by_channel, fallback=self.app.notifier)
        return self.notifier

    async def stop(self) -> None:
        if self._bot is not None:
            await self._bot.shutdown()
        session = getattr(self._client, "session", None)
        if session is not None:
            await session.close()


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


async def run(app, names: list[str], say: Callable[[str], None]) -> int:
    """Start the parts, say "ready", serve until SIGTERM/SIGINT, then stop them; exit status."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    pacers = Pacers()
    notifiers = ChatNotifiers(app, pacers)
    started, gone = [], []
    watcher = None
    try:
        parts = build_parts(app, names, await notifiers.start(), pacers, feed=True)
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


def serve(app, named: tuple[str, ...], say: Callable[[str], None]) -> int:
    """Run `jxc serve` on a new event loop (raises `Misuse` before starting anything)."""
    names = choose_parts(app.settings, named)
    return asyncio.run(run(app, names, say))
