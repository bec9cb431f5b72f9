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
    """The service of every intent, each handed the ports it needs. Every service is imported
    on its first call (a command imports its own subject's modules, not the whole domain:
    `jxc stock` loads none of the order, money or approval services)."""
    subjects = _Ref("domain.orders.questions:APPROVAL_SUBJECTS")
    table = {
        "stock.query": "domain.ledger.stock_query:query_stock",
        "stock.receive": "domain.ledger.stock:receive_stock",
        "stock.issue": "domain.ledger.stock:issue_stock",
        "stock.transfer": "domain.ledger.stock:transfer_stock",
        "stock.count": "domain.ledger.stock_counts:count_stock",
        "purchase.create": "domain.orders.purchasing:create_purchase_order",
        "purchase.receive": "domain.orders.purchasing:receive_purchase_order",
        "purchase.cancel": "domain.orders.purchasing:cancel_purchase_order",
        "purchase.amend": "domain.orders.amend:amend_purchase_order",
        "sales.create": "domain.orders.sales:create_sales_order",
        "sales.ship": "domain.orders.shipping:ship_sales_order",
        "sales.cancel": "domain.orders.sales:cancel_sales_order",
        "sales.amend": "domain.orders.amend:amend_sales_order",
        "order.query": "domain.orders.questions:query_orders",
        "approval.delegate": "domain.approvals.delegation:delegate_approvals",
        "approval.undelegate": "domain.approvals.delegation:end_delegation",
        "price.query": "domain.orders.quotes:query_price",
        "partner.balance": "domain.money.balances:partner_balance",
        "sales.return": "domain.money.returns:return_sales_order",
        "purchase.return": "domain.money.returns:return_purchase_order",
        "payment.receive": "domain.money.payments:receive_payment",
        "payment.pay": "domain.money.payments:make_payment",
        "statement": "domain.money.statement:statement",
        "report": "domain.reports.service:run_report",
        "alert.list": "domain.alerts.actions:list_alerts",
        "alert.ack": "domain.alerts.actions:ack_alert",
        "alert.snooze": "domain.alerts.actions:snooze_alert",
        "alert.order": "domain.alerts.actions:order_from_alert",
        "digest.schedules": "adapters.digest:set_schedules",
        "delivery_note": "domain.orders.delivery_notes:delivery_note",
        "labels": "domain.ledger.labels:print_labels",
    }
    handlers = {intent: _later(where) for intent, where in table.items()}
    handlers.update(
        {
            "approval.list": _later("domain.approvals.policy:list_approvals", subjects=subjects),
            "approval.decide": _later("domain.approvals.policy:decide_approval", subjects=subjects),
            "approval.query": _later("domain.orders.quotes:query_approval", subjects=subjects),
            "forecast": _later(
                "domain.planning.forecasts:forecast_item",
                fitters=fitters,
                uow_factory=uow_factory,
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
            "digest": _later(
                "domain.orders.quotes:query_digest",
                digest=partial(digest_now, currency=settings.currency),
            ),
        }
    )
    return handlers


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


@dataclass(frozen=True)
class _Ref:
    """A port that is a module's attribute (`module:name`), read when a service first runs."""

    where: str

    def resolve(self):
        module, name = self.where.split(":")
        return getattr(importlib.import_module(module), name)


def _later(where: str, **ports):
    """A service from `module:function`, imported on its first call and handed `ports` (a
    `_Ref` among them read then too)."""
    resolved: list = []

    def service(cmd, uow, user):
        if not resolved:
            given = {k: v.resolve() if isinstance(v, _Ref) else v for k, v in ports.items()}
            resolved.append(partial(_Ref(where).resolve(), **given))
        return resolved[0](cmd, uow, user)

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
