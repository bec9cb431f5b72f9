"""The composition root: builds the engine, clock, units of work and the message bus from the
configuration and hands them in. Nothing is wired at import time."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sqlalchemy import Engine

from adapters.config import Settings
from adapters.db import make_engine, migrate
from adapters.forecasting.prophet_model import ProphetFitter
from domain.clock import Clock, clock_from_setting
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

    def uow(self, write: bool = True) -> UnitOfWork:
        """A new unit of work on the application's database."""
        return UnitOfWork(self.engine, self.clock, write=write)


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
    bus = MessageBus(
        partial(UnitOfWork, engine, clock),
        extra_handlers={"forecast": partial(forecast_item, fitter=ProphetFitter())},
    )
    return App(settings=settings, engine=engine, clock=clock, bus=bus)
