"""The composition root: builds the engine, clock, units of work and the message bus from the
configuration, the handler table, the rules engines and feeds, and what `jxc serve` runs (the
pacers, the chat notifiers and the parts), and hands them in through constructors. Nothing is
wired at import time."""

from __future__ import annotations

import asyncio
import importlib
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import Engine

from adapters.config import Settings
from adapters.db import SqlUnitOfWork, make_engine, migrate
from adapters.forecasting.fitters import default_fitters
from adapters.notify import ChannelNotifier, Notifier, make_notifier
from domain.clock import Clock, clock_from_setting
from domain.messages.bus import MessageBus
from domain.orders.quotes import query_digest
from domain.planning.candidates import FitterTable
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
        documents (delivery notes, statements, label sheets) carry their PDF on every channel."""
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
        migrate(engine, settings.timezone)
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
    from domain.alerts import actions as alert_actions
    from domain.approvals import delegation
    from domain.approvals import policy as approvals
    from domain.ledger import stock, stock_counts, stock_query
    from domain.money import balances, payments, returns, statement
    from domain.orders import amend, purchasing, sales, shipping
    from domain.orders import quotes as queries
    from domain.orders.questions import APPROVAL_SUBJECTS, query_orders
    from domain.reports.service import run_report

    return {
        "stock.query": stock_query.query_stock,
        "stock.receive": stock.receive_stock,
        "stock.issue": stock.issue_stock,
        "stock.transfer": stock.transfer_stock,
        "stock.count": stock_counts.count_stock,
        "purchase.create": purchasing.create_purchase_order,
        "purchase.receive": purchasing.receive_purchase_order,
        "purchase.cancel": purchasing.cancel_purchase_order,
        "purchase.amend": amend.amend_purchase_order,
        "sales.create": sales.create_sales_order,
        "sales.ship": shipping.ship_sales_order,
        "sales.cancel": sales.cancel_sales_order,
        "sales.amend": amend.amend_sales_order,
        "order.query": query_orders,
        "approval.list": partial(approvals.list_approvals, subjects=APPROVAL_SUBJECTS),
        "approval.decide": partial(approvals.decide_approval, subjects=APPROVAL_SUBJECTS),
        "approval.query": partial(queries.query_approval, subjects=APPROVAL_SUBJECTS),
        "approval.delegate": delegation.delegate_approvals,
        "approval.undelegate": delegation.end_delegation,
        "price.query": queries.query_price,
        "partner.balance": balances.partner_balance,
        "sales.return": returns.return_sales_order,
        "purchase.return": returns.return_purchase_order,
        "payment.receive": payments.receive_payment,
        "payment.pay": payments.make_payment,
        "statement": statement.statement,
        "report": run_report,
        "alert.list": alert_actions.list_alerts,
        "alert.ack": alert_actions.ack_alert,
        "alert.snooze": alert_actions.snooze_alert,
        "alert.order": alert_actions.order_from_alert,
        "forecast": _later(
            "domain.planning.forecasts:forecast_item", fitters=fitters, uow_factory=uow_factory
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
        "delivery_note": _later("domain.orders.delivery_notes:delivery_note"),
        "labels": _later("domain.ledger.labels:print_labels"),
    }


def digest_now(
    uow, kind: str, lang: str, role: str | None = None, *, currency: str
) -> tuple[str, str | None]:
    """The port `digest` questions are answered through: the scheduled digest's text in `lang`
    as a user of `role` receives it, and its chart (drawn into a private directory; none when
    there is nothing to report)."""
    from adapters import digest_text

    data = digest_text.gather_in(uow, kind)
    money = role in digest_text.MONEY_ROLES
    text, has_news = digest_text.render_text(data, kind, currency, lang, money=money)
    if not has_news:
        return text, None
    folder = Path(tempfile.mkdtemp(prefix="jxc-digest-"))
    png = digest_text.render_png(data, kind, folder / f"jxc-digest-{kind}-{data['today']}.png")
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

    from domain.alerts.records import alert_t
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


# -- jxc serve: the pacers, the chat notifiers and the parts ------------------------------------


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


class ChatNotifiers:
    """The configured chat channels' notifiers, on the serve loop, behind one `ChannelNotifier`
    (`fallback`, the console, for anyone without a chat id); each paced by `pacers`."""

    def __init__(self, settings: Settings, pacers: Pacers, fallback: Notifier | None):
        self.settings = settings
        self.pacers = pacers
        self.fallback = fallback
        self.notifier: ChannelNotifier | None = None
        self._bot = None
        self._client = None

    async def start(self) -> ChannelNotifier:
        """Build the notifiers on the running loop (a Telegram bot is initialized on it)."""
        from adapters.serve import telegram_module

        loop = asyncio.get_running_loop()
        settings, by_channel = self.settings, {}
        if settings.slack_bot_token:
            from adapters.slack.notifier import SlackNotifier
            from adapters.slack.sender import make_client

            self._client = make_client(settings.slack_bot_token, settings.slack_api_url, retries=0)
            by_channel["slack"] = SlackNotifier(self._client, loop, self.pacers.slack())
        if settings.telegram_token and telegram_module() is not None:
            from adapters.telegram.notifier import TelegramNotifier, make_bot

            self._bot = make_bot(settings)
            await self._bot.initialize()
            by_channel["telegram"] = TelegramNotifier(self._bot, loop, self.pacers.telegram())
        self.notifier = ChannelNotifier(by_channel, fallback=self.fallback)
        return self.notifier

    async def stop(self) -> None:
        if self._bot is not None:
            await self._bot.shutdown()
        session = getattr(self._client, "session", None)
        if session is not None:
            await session.close()


@dataclass
class Serving:
    """What `jxc serve` runs on `app`: the chat notifiers (started on the serve loop before the
    parts, closed after them) and the parts built on them, sharing `pacers`."""

    app: App
    pacers: Pacers
    notifiers: ChatNotifiers

    def parts(self, names: list[str], notifier: Notifier, feed: bool = False) -> list:
        """The part objects, in order, handed the chat `notifier` (the scheduler and the feed
        deliver through it, the chat parts edit every copy of an alert after a tap) and one
        conversation for the chat parts; `feed`: the rules feed and deliveries first (started
        before the others and stopped after them, so what the chat parts finish is still
        delivered)."""
        from adapters.deliveries import refresh_for_tap
        from adapters.serve import FeedPart, SchedulerPart, feed_channels, telegram_module

        app = self.app
        chat = {"conversation": None, "refresh_copies": partial(refresh_for_tap, app, notifier)}
        if "slack" in names or "telegram" in names:
            chat["conversation"] = app.conversation(charts=True)
        built = [FeedPart(app, feed_channels(names), notifier)] if feed and names else []
        for name in names:
            if name == "slack":
                from adapters.slack import make_part

                built.append(make_part(app, app.settings, self.pacers.slack(), **chat))
            elif name == "telegram":
                telegram = telegram_module()
                built.append(telegram.make_part(app, app.settings, self.pacers.telegram(), **chat))
            elif name == "scheduler":
                built.append(SchedulerPart(app, notifier))
        return built


def serving(app: App) -> Serving:
    """`jxc serve`'s wiring on `app`: one pacer per platform for the chat replies and the
    deliveries alike, and the chat notifiers over the application's notifier."""
    pacers = Pacers()
    return Serving(app, pacers, ChatNotifiers(app.settings, pacers, fallback=app.notifier))
