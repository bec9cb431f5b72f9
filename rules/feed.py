"""The feed: outbox rows → facts → the rules engine → alerts and deliveries.

One batch is one transaction: claim unprocessed outbox rows in id order (`FOR UPDATE SKIP
LOCKED` on PostgreSQL, so workers never take the same row), add the facts the rules need from the
CURRENT state of each subject (reorder figures as `jxc report below_reorder` computes them, the
request's status, the balance), post them to the engine, store what fired and mark the rows
processed. Each row is read back into its typed event (`domain.messages.events.event_from_row`); a row
that cannot be read is marked failed with its error; the others go on.
Events older than `BACKLOG_AGE` when first processed update alerts but are not delivered.

The facts come from `rules.facts`; the approval sweep (reminders, escalations: `rules.sweeps`)
and the reorder sweep compare with the injected clock and are safe to run in several workers:
each delivery is unique per alert × recipient × purpose.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update

from domain.alerts import records as alerts
from domain.messages.events import Event, MalformedEvent, event_from_row
from domain.model import Outbox, User
from domain.reports.stock import reorder_figures
from domain.uow import UnitOfWork
from rules.alerts_text import (
    alert_texts,
    decision_texts,
    pick,
)
from rules.engine import EngineCrashed, Fired, RulesEngine
from rules.facts import Enricher, Malformed, dedupe
from rules.sweeps import sweep_approvals

log = logging.getLogger(__name__)

outbox_t = Outbox.__table__
BATCH = 500
BACKLOG_AGE = timedelta(days=1)


# Kinds whose alert stands for a state of its subject: one per period (a re-armed reorder
# alert is the next period), not one per event.
STATEFUL = {"reorder", "anomaly.negative"}


def read_event(row) -> Event:
    """The typed event an outbox row holds; `Malformed` when it is not one."""
    try:
        return event_from_row(row.event, row.payload)
    except MalformedEvent as exc:
        raise Malformed(str(exc)) from None


@dataclass
class FeedStats:
    """What one run did."""

    rows: int = 0
    failed: int = 0
    opened: int = 0
    resolved: int = 0
    deliveries: int = 0
    opened_ids: list[int] = field(default_factory=list)

    def add(self, other: FeedStats) -> None:
        self.rows += other.rows
        self.failed += other.failed
        self.opened += other.opened
        self.resolved += other.resolved
        self.deliveries += other.deliveries
        self.opened_ids += other.opened_ids


def _cause(uow, fired: Fired) -> str:
    f = fired.facts
    if fired.kind in STATEFUL:
        period = f"#{alerts.episode(uow, fired.kind, fired.subject) + 1}"
    elif fired.kind == "anomaly.demand":
        period = str(f.get("date", ""))
    elif fired.kind == "anomaly.count":
        period = str(f.get("count_id", ""))
    else:
        period = ""
    return f"{fired.kind}:{fired.subject}:{period}"


def _langs(uow) -> dict[str, str]:
    u = User.__table__
    return {r.name: r.lang for r in uow.execute(select(u.c.name, u.c.lang))}


class Feed:
    """Runs the outbox through the rules engine (see the module's docstring)."""

    def __init__(
        self,
        uow_factory: Callable[..., UnitOfWork],
        engine: RulesEngine,
        *,
        batch: int = BATCH,
        channels: tuple[str, ...] = (),
    ):
        self.uow_factory = uow_factory
        self.engine = engine
        self.batch = batch
        # The chat channels configured ("slack", "telegram"): a delivery goes by each one the
        # recipient has an id for, else to the console.
        self.channels = channels

    # -- the outbox --------------------------------------------------------------------------

    def _claim(self, uow: UnitOfWork):
        q = (
            select(outbox_t)
            .where(outbox_t.c.processed_at.is_(None))
            .order_by(outbox_t.c.id)
            .limit(self.batch)
        )
        if uow.dialect == "postgresql":
            q = q.with_for_update(skip_locked=True)
        return uow.execute(q).all()

    def run_once(self) -> FeedStats:
        """Process one batch of the outbox in one transaction; returns what it did."""
        stats = FeedStats()
        with self.uow_factory(write=True) as uow:
            rows = self._claim(uow)
            if not rows:
                return stats
            enricher = Enricher(uow)
            facts: list[dict] = []
            good, failed = [], []
            backlog_ids = set()
            events: dict[int, Event] = {}

            def fail(row, exc: Malformed) -> None:
                log.warning("outbox row %s failed: %s", row.id, exc, extra={"outbox": row.id})
                failed.append((row.id, str(exc)[:500]))

            for row in rows:
                try:
                    events[row.id] = read_event(row)
                except Malformed as exc:
                    fail(row, exc)
                    continue
                enricher.wants(events[row.id])
            for row in rows:
                if row.id not in events:
                    continue
                try:
                    facts += enricher.facts(row, events[row.id])
                    good.append(row.id)
                    if row.at < uow.now - BACKLOG_AGE:
                        backlog_ids.add(row.id)
                except Malformed as exc:
                    fail(row, exc)
            fired = self._evaluate(dedupe(facts))
            self._store(uow, fired, backlog_ids, stats)
            if good:
                uow.execute(
                    update(outbox_t)
                    .where(outbox_t.c.id.in_(good))
                    .values(processed_at=uow.now, status="processed")
                )
            for row_id, error in failed:
                uow.execute(
                    update(outbox_t)
                    .where(outbox_t.c.id == row_id)
                    .values(processed_at=uow.now, status="failed", error=error)
                )
            self.sweep_approvals(uow, stats)
            uow.commit()
        stats.rows, stats.failed = len(rows), len(failed)
        return stats

    def run(self, max_batches: int | None = None) -> FeedStats:
        """Process the outbox until it is empty (or `max_batches` batches)."""
        total = FeedStats()
        n = 0
        while max_batches is None or n < max_batches:
            stats = self.run_once()
            total.add(stats)
            n += 1
            if stats.rows < self.batch:
                break
        return total

    def _evaluate(self, facts: list[dict]) -> list[Fired]:
        if not facts:
            return []
        try:
            return self.engine.evaluate(facts)
        except EngineCrashed:
            log.warning("rules engine restarted; posting the batch again")
            return self.engine.evaluate(facts)

    # -- storing what fired ------------------------------------------------------------------

    def _store(self, uow: UnitOfWork, fired: list[Fired], backlog: set[int], stats: FeedStats):
        by_role = None
        langs = None
        for f in fired:
            if f.action == "resolve":
                if f.kind == "approval":
                    closed = alerts.resolve_alert(uow, f.kind, f.subject, f.facts)
                    if (
                        closed is not None
                        and f.facts.get("status") == "cancelled"
                        and f.facts.get("event_id") not in backlog
                    ):
                        # Nobody is told (whoever cancelled or amended knows), but every copy
                        # already posted is edited to say the request is gone.
                        stats.deliveries += alerts.add_closing(uow, closed.id)
                    if closed is not None and f.facts.get("status") in ("approved", "rejected"):
                        if f.facts.get("event_id") not in backlog:
                            langs = langs or _langs(uow)
                            requester = f.facts.get("requested_by", "")
                            if requester in langs:
                                text = pick(decision_texts(f.facts), langs[requester])
                                if alerts.add_delivery(
                                    uow, closed.id, requester, text, "decision", self.channels
                                ):
                                    stats.deliveries += 1
                else:
                    closed = alerts.resolve_alert(uow, f.kind, f.subject, f.facts)
                stats.resolved += closed is not None
                continue
            en, zh = alert_texts(f.kind, f.facts)
            alert_id = alerts.open_alert(uow, f.kind, f.subject, _cause(uow, f), f.facts, en, zh)
            if alert_id is None:
                continue
            stats.opened += 1
            stats.opened_ids.append(alert_id)
            if f.facts.get("event_id") in backlog:
                continue
            by_role = by_role if by_role is not None else alerts.users_by_role(uow)
            for user in alerts.recipients(uow, f.kind, f.facts, by_role):
                text = zh if user.lang == "zh" else en
                if alerts.add_delivery(uow, alert_id, user.name, text, channels=self.channels):
                    stats.deliveries += 1

    # -- sweeps ------------------------------------------------------------------------------

    def sweep_approvals(self, uow: UnitOfWork, stats: FeedStats | None = None) -> int:
        """The approval sweep (`rules.sweeps`) in `uow`; returns the deliveries queued."""
        queued = sweep_approvals(uow, self.channels)
        if stats is not None:
            stats.deliveries += queued
        return queued

    def sweep(self) -> int:
        """The approval sweep in its own transaction (the scheduler's periodic job)."""
        with self.uow_factory(write=True) as uow:
            queued = self.sweep_approvals(uow)
            uow.commit()
        return queued

    def sweep_reorder(self) -> FeedStats:
        """Re-check every item's reorder point (it moves without a stock move: a new forecast,
        the history window, `jxc rules set`): open or resolve reorder alerts."""
        stats = FeedStats()
        with self.uow_factory(write=True) as uow:
            enricher = Enricher(uow)
            enricher._figures = reorder_figures(uow)
            skus = set(enricher._figures["rows"]) | {s for k, s in enricher._live if k == "reorder"}
            facts = [enricher.stock_level(s) for s in sorted(skus)]
            self._store(uow, self._evaluate(facts), set(), stats)
            uow.commit()
        return stats
