"""The composition root: builds the engine, clock, units of work and the message bus from the
configuration and hands them in. Nothing is wired at import time."""

from __future__ import annotations

import importlib
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from adapters.config import Settings
from adapters.db import SqlUnitOfWork, make_engine, migrate
from adapters.forecasting.fitters import default_fitters
from adapters.notify import Notifier, make_notifier
from domain.clock import Clock, clock_from_setting
from domain.forecast_choice import FitterTable
from domain.messagebus import MessageBus
from domain.services.queries import query_digest
from domain.uow import UnitOfWork, UowFactory


@dataclass
class App:
    """Everything a front end needs."""

    settings: Settings
    engine: Engine
    clock: Clock
    bus: MessageBus
    notifier: Notifier | None = None
    fitters: FitterTable | None = None

    def uow(self, write: bool = True) -> UnitOfWork:
        """A new unit of work on the application's database."""
        return SqlUnitOfWork(self.engine, self.clock, write=write)

    def conversation(self, charts: bool = False):
        """The chat on this application. With `charts`, report answers carry a PNG drawn into
        a private directory (for Slack and Telegram; the console shows text). Answers that are
        documents (delivery notes, statements) carry their PDF on every channel."""
        from adapters.documents.company import company_names
        from adapters.documents.port import Documents
        from bot.conversation import Conversation

        drawer = None
        if charts:
            from adapters.charts import ReportCharts

            drawer = ReportCharts()
        documents = Documents(company_names(self.uow), currency=self.settings.currency)
        return Conversation(
            self.bus,
            self.uow,
            self.clock,
            charts=drawer,
            documents=documents,
            llm=self.assistant(),
        )

    def assistant(self):
        """The LLM path (`bot.llm.Assistant`) when `JXC_LLM_PROVIDER` names a provider, built
        once; None with `none`: no client, no LangChain import, no socket."""
        if self.settings.llm_provider == "none":
            return None
        if "_assistant" not in self.__dict__:
            from adapters.llm import chat_model
            from bot.llm.session import Assistant

            model = chat_model(self.settings)
            self.__dict__["_assistant"] = Assistant(model, self.settings.llm_timeout)
        return self.__dict__["_assistant"]


def bootstrap(
    settings: Settings | None = None, *, clock: Clock | None = None, migrate_schema: bool = False
) -> App:
    """Build the application from settings (default: the environment)."""
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    if migrate_schema:
        migrate(engine)
    clock = clock or clock_from_setting(settings.now, settings.timezone)
    # Each fitter imports its library on its first fit, so building the table costs nothing.
    fitters, notifier = default_fitters(), make_notifier(settings)
    uow_factory: UowFactory = partial(SqlUnitOfWork, engine, clock)
    bus = MessageBus(uow_factory, handler_table(uow_factory, settings, fitters, notifier))
    return App(settings, engine, clock, bus, notifier=notifier, fitters=fitters)


def handler_table(
    uow_factory, settings: Settings, fitters: FitterTable, notifier: Notifier
) -> dict:
    """The service of every intent, each handed the ports it needs. The batch services (forecast
    batch and backtest, digest sending and schedules) and the forecast are loaded when one runs."""
    from domain import alerts
    from domain.reports.service import run_report
    from domain.services import amend, approvals, delegation, purchasing, queries, sales, stock
    from domain.services.orders import APPROVAL_SUBJECTS, query_orders

    return {
        "stock.query": stock.query_stock,
        "stock.receive": stock.receive_stock,
        "stock.issue": stock.issue_stock,
        "stock.transfer": stock.transfer_stock,
        "stock.count": stock.count_stock,
        "purchase.create": purchasing.create_purchase_order,
        "purchase.receive": purchasing.receive_purchase_order,
        "purchase.cancel": purchasing.cancel_purchase_order,
        "purchase.amend": amend.amend_purchase_order,
        "sales.create": sales.create_sales_order,
        "sales.ship": sales.ship_sales_order,
        "sales.cancel": sales.cancel_sales_order,
        "sales.amend": amend.amend_sales_order,
        "order.query": query_orders,
        "approval.list": partial(approvals.list_approvals, subjects=APPROVAL_SUBJECTS),
        "approval.decide": partial(approvals.decide_approval, subjects=APPROVAL_SUBJECTS),
        "approval.query": partial(queries.query_approval, subjects=APPROVAL_SUBJECTS),
        "approval.delegate": delegation.delegate_approvals,
        "approval.undelegate": delegation.end_delegation,
        "price.query": queries.query_price,
        "partner.balance": queries.partner_balance,
        "report": run_report,
        "alert.list": alerts.list_alerts,
        "alert.ack": alerts.ack_alert,
        "alert.snooze": alerts.snooze_alert,
        "alert.order": alerts.order_from_alert,
        "forecast": _later(
            "domain.services.forecasts:forecast_item", fitters=fitters, uow_factory=uow_factory
        ),
        "forecast.all": _later(
            "adapters.forecasting.batch:forecast_catalogue",
            uow_factory=uow_factory,
            fitters=fitters,
            dask_scheduler=settings.dask_scheduler,
        ),
        "forecast.backtest": _later(
            "adapters.forecasting.batch:backtest_catalogue",
            fitters=fitters,
            uow_factory=uow_factory,
        ),
        "digest.send": _later(
            "adapters.digest:send_digest_now", notifier=notifier, currency=settings.currency
        ),
        "digest.schedules": _later("adapters.digest:set_schedules"),
        "digest": partial(query_digest, digest=partial(digest_now, currency=settings.currency)),
        "delivery_note": _later("domain.services.delivery_notes:delivery_note"),
    }


def digest_now(uow, kind: str, lang: str, *, currency: str) -> tuple[str, str | None]:
    """The port `digest` questions are answered through: the scheduled digest's text in `lang`
    and its chart (drawn into a private directory; none when there is nothing to report)."""
    from adapters import digest

    data = digest.gather_in(uow, kind)
    text, has_news = digest.render_text(data, kind, currency, lang)
    if not has_news:
        return text, None
    folder = Path(tempfile.mkdtemp(prefix="jxc-digest-"))
    png = digest.render_png(data, kind, folder / f"jxc-digest-{kind}-{data['today']}.png")
    return text, str(png)


def _later(where: str, **ports):
    """A service from `module:function`, imported on its first call and handed `ports`."""

    module, name = where.split(":")

    def service(cmd, uow, user):
        return getattr(importlib.import_module(module), name)(cmd, uow, user, **ports)

    service.__qualname__ = where
    return service


# -- alerts: the rules engine and the feed ------------------------------------------------------


RULES_ENGINES = ("durable", "reference", "process")


def make_rules_engine(kind: str = "durable"):
    """The rules engine of `kind`: "durable" (durable-rules in this process), "reference"
    (plain Python), or "process" (durable-rules in a child process, restarted when it dies).
    Only the chosen implementation is loaded."""
    if kind == "durable":
        from rules.durable_engine import DurableEngine

        return DurableEngine()
    if kind == "reference":
        from rules.reference import ReferenceEngine

        return ReferenceEngine()
    if kind == "process":
        from rules.host import ProcessEngine

        return ProcessEngine()
    raise ValueError(f"unknown rules engine {kind!r}; expected one of {', '.join(RULES_ENGINES)}")


def rules_feed(app: App, kind: str = "durable"):
    """The application's feed from the outbox to alerts, on a rules engine of `kind`
    ("durable", "reference", or "process": durable-rules in a child process); built once."""
    feeds = app.__dict__.setdefault("_feeds", {})
    if kind not in feeds:
        from adapters.notify import configured_channels
        from rules.feed import Feed

        feeds[kind] = Feed(
            app.uow, make_rules_engine(kind), channels=configured_channels(app.settings)
        )
    return feeds[kind]


def close_feeds(app: App) -> None:
    """Stop the rules engines the feeds started."""
    for feed in app.__dict__.pop("_feeds", {}).values():
        feed.engine.close()


def run_feed_inline(app: App, kind: str = "durable") -> None:
    """The feed after a CLI or console-chat command: the outbox's new rows, and the approval
    sweep while approval alerts are open. Cheap when there is nothing to do (one read); the
    rules engine is built only when rows wait."""
    from sqlalchemy import exists, select

    from domain.alerts import alert_t
    from domain.model import Outbox

    outbox = Outbox.__table__
    with app.uow(write=False) as uow:
        waiting = uow.execute(select(exists().where(outbox.c.processed_at.is_(None)))).scalar()
        pending = uow.execute(
            select(
                exists().where(
                    (alert_t.c.kind == "approval") & alert_t.c.status.in_(("open", "acknowledged"))
                )
            )
        ).scalar()
    if waiting:
        rules_feed(app, kind).run()
    elif pending:
        rules_feed(app, kind).sweep()
