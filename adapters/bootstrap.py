"""The composition root: builds the engine, clock, units of work and the message bus from the
configuration and hands them in. Nothing is wired at import time."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlalchemy import Engine

from adapters.config import Settings
from adapters.db import make_engine, migrate
from adapters.forecasting.prophet_model import ProphetFitter
from adapters.notify import Notifier, make_notifier
from domain.clock import Clock, clock_from_setting
from domain.forecasting import Fitter
from domain.messagebus import MessageBus
from domain.services.forecasts import forecast_item
from domain.uow import UnitOfWork


@dataclass
class App:
    """Everything a front end needs."""

    settings: Settings
    engine: Engine
    clock: Clock
    bus: MessageBus
    notifier: Notifier | None = None
    fitter: Fitter | None = None

    def uow(self, write: bool = True) -> UnitOfWork:
        """A new unit of work on the application's database."""
        return UnitOfWork(self.engine, self.clock, write=write)

    def conversation(self, notifier: Notifier | None = None):
        """The chat on this application; what it tells people (a decision on their request)
        goes to `notifier`, by default the application's."""
        from bot.conversation import Conversation

        return Conversation(self.bus, self.uow, self.clock, notifier=notifier or self.notifier)


def bootstrap(
    settings: Settings | None = None, *, clock: Clock | None = None, migrate_schema: bool = False
) -> App:
    """Build the application from settings (default: the environment)."""
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    if migrate_schema:
        migrate(engine)
    clock = clock or clock_from_setting(settings.now, settings.timezone)
    # ProphetFitter imports Prophet on its first fit, so building it here costs nothing.
    fitter, notifier = ProphetFitter(), make_notifier(settings)
    bus = MessageBus(
        partial(UnitOfWork, engine, clock),
        extra_handlers={
            "forecast": partial(forecast_item, fitter=fitter),
            **batch_handlers(partial(UnitOfWork, engine, clock), settings, fitter, notifier),
        },
    )
    return App(settings, engine, clock, bus, notifier=notifier, fitter=fitter)


def batch_handlers(uow_factory, settings: Settings, fitter: Fitter, notifier: Notifier) -> dict:
    """The services of `domain.commands_admin` (forecast batch and backtest, digest sending and
    schedules), handed the ports they need."""
    from adapters.digest import send_digest_now, set_schedules
    from adapters.forecasting.batch import backtest_catalogue, forecast_catalogue

    return {
        "forecast.all": partial(
            forecast_catalogue,
            uow_factory=uow_factory,
            fitter=fitter,
            dask_scheduler=settings.dask_scheduler,
        ),
        "forecast.backtest": partial(backtest_catalogue, fitter=fitter),
        "digest.send": partial(send_digest_now, notifier=notifier, currency=settings.currency),
        "digest.schedules": set_schedules,
    }
