"""The scheduler: APScheduler 3 with its jobs persisted in the application's database (table
`apscheduler_jobs`), in `JXC_TIMEZONE`.

Digests are jobs made from the definitions stored as data (`adapters.digest_schedules`).
Reminders and escalations of approvals belong here too (persisted jobs, not rules-engine
timers).

Missed runs: every job coalesces (several missed runs become one) and has a misfire grace time
of its period less an hour, so after downtime the scheduler sends one catch-up — unless the next
regular run is less than an hour away — and never a burst.

Jobs in a persistent store are kept by reference (`adapters.scheduler:run_digest_job`) with plain
arguments; the application and notifier they need are registered under a runtime name when a
scheduler is built, not at import time.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from zoneinfo import ZoneInfo

from adapters.digest_schedules import Schedule, load_schedules

logger = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
DIGEST_PREFIX = "digest."
DAILY_GRACE = timedelta(hours=23)
WEEKLY_GRACE = timedelta(days=7) - timedelta(hours=1)

# runtime name → (app, notifier), filled by build_scheduler.
_RUNTIMES: dict[str, tuple[object, object]] = {}


DATABASE_DOWN = threading.Event()
"""Set while the feed loop finds the database unavailable: the timed jobs and the scheduler's
own look at its job store say nothing more about it (the feed said it once)."""


class _QuietWhileDown(logging.Filter):
    """Drops APScheduler's warning about its job store (every 10 s) during an outage the feed
    loop already reported."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (DATABASE_DOWN.is_set() and str(record.msg).startswith("Error getting due jobs"))


def quietly_while_down(job):
    """A timed job that, while the database is unavailable, logs one line instead of a
    traceback (none at all once the outage was reported); the next run tries again."""
    import functools

    @functools.wraps(job)
    def run(*args, **kwargs):
        from domain.errors import Busy, DatabaseUnavailable

        try:
            return job(*args, **kwargs)
        except (DatabaseUnavailable, Busy) as exc:
            if not DATABASE_DOWN.is_set():
                logger.warning("%s did not run: %s", job.__name__, exc)
            return None

    return run


JOB_LOCK = 0x4A5843  # the PostgreSQL advisory lock key of scheduled jobs ("JXC")


def claim_run(app, job: str, then=None) -> bool:
    """Whether this worker runs `job` (a digest of one day): one worker at a time under a
    database lock (a PostgreSQL advisory lock; SQLite's write lock), and once — the run is
    recorded, so a second worker after the first finds it taken. `then(uow)` does the run's
    work in the transaction that records it: both happen, or neither."""
    from sqlalchemy import text

    from domain.messages import inbound

    with app.uow() as uow:
        if uow.dialect == "postgresql":
            uow.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": JOB_LOCK})
        if not inbound.claim(uow, "job", job):
            return False
        if then is not None:
            then(uow)
        uow.commit()
    return True


@quietly_while_down
def run_digest_job(kind: str, to: list[str], runtime: str = "default") -> None:
    """The digest job: build the digest now and queue it for its recipients in the transaction
    that claims the day's run (once however many workers run it, see `claim_run`), then send
    what was queued. A chat platform that is down, or a crash after the claim, leaves the
    messages queued for the delivery loop: the day's digest is late, not lost."""
    from adapters.deliveries import deliver_pending
    from adapters.digest import queue
    from adapters.notify import configured_channels

    app, notifier = _RUNTIMES[runtime]
    today = app.clock.now().astimezone(ZoneInfo(app.settings.timezone)).date()
    channels = configured_channels(app.settings)

    def queue_it(uow):
        queue(uow, kind, to, app.settings.currency, channels)

    if not claim_run(app, f"digest.{kind}:{today.isoformat()}", queue_it):
        logger.info("digest %s of %s sent by another worker", kind, today)
        return
    deliver_pending(app, notifier)


def build_scheduler(app, notifier, *, runtime: str = "default", blocking: bool = False):
    """A scheduler on the application's database and time zone (not started)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    if blocking:
        from apscheduler.schedulers.blocking import BlockingScheduler as cls
    else:
        from apscheduler.schedulers.background import BackgroundScheduler as cls

    _RUNTIMES[runtime] = (app, notifier)
    quiet = logging.getLogger("apscheduler.scheduler")
    if not any(isinstance(f, _QuietWhileDown) for f in quiet.filters):
        quiet.addFilter(_QuietWhileDown())
    return cls(
        jobstores={"default": SQLAlchemyJobStore(engine=app.engine, tablename=JOB_TABLE)},
        executors={"default": ThreadPoolExecutor(2)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone=ZoneInfo(app.settings.timezone),
    )


def digest_trigger(schedule: Schedule, tz: str):
    """The cron trigger of a digest definition."""
    from apscheduler.triggers.cron import CronTrigger

    hour, minute = schedule.hour_minute
    return CronTrigger(
        day_of_week=schedule.day_of_week, hour=hour, minute=minute, timezone=ZoneInfo(tz)
    )


def sync_digest_jobs(scheduler, schedules: list[Schedule], tz: str, runtime: str = "default"):
    """Make the scheduler's digest jobs match the definitions.

    A job that already exists keeps its stored next run time (so a run missed while the process
    was down still gets its catch-up); only its recipients or trigger are updated. Jobs of
    definitions that were removed are removed. Returns the digest jobs.
    """
    existing = {j.id: j for j in scheduler.get_jobs() if j.id.startswith(DIGEST_PREFIX)}
    wanted = set()
    for s in schedules:
        trigger = digest_trigger(s, tz)
        kwargs = {"kind": s.kind, "to": list(s.to), "runtime": runtime}
        grace = WEEKLY_GRACE if s.day_of_week else DAILY_GRACE
        wanted.add(s.job_id)
        job = existing.get(s.job_id)
        if job is None:
            scheduler.add_job(
                run_digest_job,
                trigger,
                id=s.job_id,
                name=f"{s.kind} digest at {s.at}",
                kwargs=kwargs,
                coalesce=True,
                misfire_grace_time=int(grace.total_seconds()),
            )
            continue
        if job.kwargs != kwargs:
            scheduler.modify_job(s.job_id, kwargs=kwargs)
        if (str(job.trigger), str(job.trigger.timezone)) != (str(trigger), str(trigger.timezone)):
            scheduler.reschedule_job(s.job_id, trigger=trigger)
    for job_id in set(existing) - wanted:
        scheduler.remove_job(job_id)
    return [j for j in scheduler.get_jobs() if j.id.startswith(DIGEST_PREFIX)]


# -- rules: the sweeps (persisted jobs) and the continuous feed ----------------------------------

APPROVAL_SWEEP = "rules.approval_sweep"
REORDER_SWEEP = "rules.reorder_sweep"
FEED_INTERVAL = 0.1
"""Seconds between two looks at the outbox (one cheap read when idle): an approval request
reaches the approvers well within 0.2 s of its command."""


@quietly_while_down
def run_approval_sweep(runtime: str = "default") -> None:
    """The approval sweep job: reminders and escalations due by the injected clock, each once."""
    from adapters.bootstrap import rules_feed

    app, _notifier = _RUNTIMES[runtime]
    rules_feed(app, "durable").sweep()


@quietly_while_down
def run_reorder_sweep(runtime: str = "default") -> None:
    """The daily reorder sweep: reorder points move without a stock move (a new forecast, the
    history window, `jxc rules set`)."""
    from adapters.bootstrap import rules_feed

    app, _notifier = _RUNTIMES[runtime]
    rules_feed(app, "durable").sweep_reorder()


def sync_rule_jobs(scheduler, runtime: str = "default") -> None:
    """Add the persisted sweep jobs beside the digest jobs (kept when they exist)."""
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    existing = {j.id for j in scheduler.get_jobs()}
    if APPROVAL_SWEEP not in existing:
        scheduler.add_job(
            run_approval_sweep,
            IntervalTrigger(minutes=5),
            id=APPROVAL_SWEEP,
            name="approval reminders and escalations",
            kwargs={"runtime": runtime},
            misfire_grace_time=300,
        )
    if REORDER_SWEEP not in existing:
        scheduler.add_job(
            run_reorder_sweep,
            CronTrigger(hour=6, minute=30),
            id=REORDER_SWEEP,
            name="reorder point sweep",
            kwargs={"runtime": runtime},
            misfire_grace_time=int(DAILY_GRACE.total_seconds()),
        )


OUTAGE_WAIT = (0.5, 30.0)
"""Seconds between two tries while the database is unavailable: from the first, doubling, up
to the second (a PostgreSQL server that is down is not asked ten times a second)."""


class FeedLoop:
    """The feed and the deliveries, run continuously in a thread of every `jxc serve` process.
    `channels`: the chat channels whose deliveries this process sends (None: all, the console
    included). `stop()` finishes the batch in hand and the delivery being sent, then returns.

    While the database is unavailable it tries again with a growing delay (`OUTAGE_WAIT`),
    saying so in one line when the outage begins and one when it ends."""

    def __init__(
        self,
        app,
        notifier,
        interval: float = FEED_INTERVAL,
        kind: str = "process",
        channels: tuple[str, ...] | None = None,
    ):
        import threading

        self.app, self.notifier, self.interval, self.kind = app, notifier, interval, kind
        self.channels = channels
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="jxc-feed", daemon=True)

    def start(self) -> FeedLoop:
        self._thread.start()
        return self

    def _pass(self, feed) -> bool:
        """One look at the outbox and the due deliveries; whether there was work."""
        from adapters.deliveries import deliver_pending

        busy = feed.run_once().rows > 0
        deliver_pending(
            self.app, self.notifier, should_stop=self._stop.is_set, channels=self.channels
        )
        return busy

    def _run(self) -> None:
        from tenacity import Retrying, wait_exponential

        from adapters.bootstrap import rules_feed

        feed = rules_feed(self.app, self.kind)
        first, most = OUTAGE_WAIT
        while not self._stop.is_set():
            outage: list[BaseException] = []

            def went_away(state, outage=outage) -> None:
                if not outage:
                    outage.append(state.outcome.exception())
                    _log_outage(outage[0])

            busy = Retrying(
                sleep=self._stop.wait,  # stopping cuts a wait short
                wait=wait_exponential(multiplier=first, min=first, max=most),
                stop=lambda _state: self._stop.is_set(),
                before_sleep=went_away,
                retry_error_callback=lambda _state: False,
            )(self._pass, feed)
            if outage and not self._stop.is_set():
                DATABASE_DOWN.clear()
                logger.warning("the database is back: the rules feed and deliveries go on")
            if not busy:
                self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        from adapters.bootstrap import close_feeds

        close_feeds(self.app)


def _log_outage(exc: BaseException) -> None:
    """One line for the start of an outage: the database's own words, or the traceback of
    anything else (a bug is not retried quietly)."""
    from domain.errors import Busy, DatabaseUnavailable

    if isinstance(exc, DatabaseUnavailable | Busy):
        DATABASE_DOWN.set()
        logger.warning(
            "the database is unavailable (%s): the rules feed and deliveries wait, trying again "
            "every %g s up to every %g s",
            exc,
            *OUTAGE_WAIT,
        )
    else:
        logger.error("the rules feed failed; trying again", exc_info=exc)


def start_scheduler(app, notifier, *, runtime: str = "default", feed: bool = True):
    """Build a background scheduler, bring its digest jobs in line with the stored definitions,
    and run it. Missed runs are processed only after the sync (it starts paused). `feed`: also
    run the rules feed and the deliveries (a `FeedLoop`) until it shuts down; `jxc serve` runs
    its own, so only the timed jobs are the scheduler's."""
    scheduler = build_scheduler(app, notifier, runtime=runtime)
    scheduler.start(paused=True)
    with app.uow(write=False) as uow:
        schedules = load_schedules(uow)
    jobs = sync_digest_jobs(scheduler, schedules, app.settings.timezone, runtime)
    sync_rule_jobs(scheduler, runtime)
    if feed:
        _stop_with(scheduler, FeedLoop(app, notifier).start())
    scheduler.resume()
    for job in jobs:
        logger.info("scheduled %s, next run %s", job.name, job.next_run_time)
    return scheduler


def _stop_with(scheduler, loop: FeedLoop) -> None:
    """Stop the feed loop when the scheduler shuts down (a clean stop of `jxc serve`)."""
    from apscheduler.events import EVENT_SCHEDULER_SHUTDOWN

    scheduler.add_listener(lambda _event: loop.stop(), EVENT_SCHEDULER_SHUTDOWN)
