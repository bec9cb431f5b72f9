"""Migrations build exactly the schema the code declares, and `jxc init` is repeatable."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from adapters.db import make_engine, migrate
from domain.model import metadata

pytestmark = pytest.mark.db


def test_migrations_match_the_models_and_run_twice(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    migrate(engine)  # a second run is a no-op
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []
