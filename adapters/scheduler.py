"""The scheduler: APScheduler 3 with its jobs persisted in the application's database (table
`apscheduler_jobs`), in `JXC_TIMEZONE`.

Digests are jobs made from the definitions stored as data (`adapters.digest`). Reminders and
escalations of approvals belong here too (persisted jobs, not rules-engine timers).

Missed runs: every job coalesces (several missed runs become one) and has a misfire grace time
of its period less an hour, so after downtime the scheduler sends one catch-up — unless the next
regular run is less than an hour away — and never a burst.

Jobs in a persistent store are kept by reference (`adapters.scheduler:run_digest_job`) with plain
arguments; the application and notifier they need are registered under a runtime name when a
scheduler is built, not at import time.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from adapters.digest import Schedule, load_schedules, send_digest

logger = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"
DIGEST_PREFIX = "digest."
DAILY_GRACE = timedelta(hours=23)
WEEKLY_GRACE = timedelta(days=7) - timedelta(hours=1)

# runtime name → (app, notifier), filled by build_scheduler.
_RUNTIMES: dict[str, tuple[object, object]] = {}


def run_digest_job(kind: str, to: list[str], runtime: str = "default") -> None:
    """The digest job: build the digest now and send it to its recipients."""
    app, notifier = _RUNTIMES[runtime]
    send_digest(app, notifier, kind, to)


def build_scheduler(app, notifier, *, runtime: str = "default", blocking: bool = False):
    """A scheduler on the application's database and time zone (not started)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    if blocking:
        from apscheduler.schedulers.blocking import BlockingScheduler as cls
    else:
        from apscheduler.schedulers.background import BackgroundScheduler as cls

    _RUNTIMES[runtime] = (app, notifier)
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


def start_scheduler(app, notifier, *, runtime: str = "default"):
    """Build a background scheduler, bring its digest jobs in line with the stored definitions,
    and run it. Missed runs are processed only after the sync (it starts paused)."""
    scheduler = build_scheduler(app, notifier, runtime=runtime)
    scheduler.start(paused=True)
    with app.uow(write=False) as uow:
        schedules = load_schedules(uow)
    jobs = sync_digest_jobs(scheduler, schedules, app.settings.timezone, runtime)
    scheduler.resume()
    for job in jobs:
        logger.info("scheduled %s, next run %s", job.name, job.next_run_time)
    return scheduler
