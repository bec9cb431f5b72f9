"""Migrations build exactly the schema the code declares, and `jxc init` is repeatable; the schema
is SQLModel table classes that build no validator at import."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from adapters.db import make_engine, migrate
from domain.model import Base, metadata

pytestmark = pytest.mark.db


def test_migrations_match_the_models_and_run_twice(db_url):
    engine = make_engine(db_url)
    migrate(engine)
    migrate(engine)  # a second run is a no-op
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


def test_every_table_is_a_table_class_that_builds_no_validator_at_import():
    classes = {cls.__table__.name: cls for cls in Base.__subclasses__()}
    assert sorted(classes) == sorted(metadata.tables)
    # `defer_build`: a validator is built on first validation only, never at start-up.
    assert [name for name, cls in classes.items() if cls.__pydantic_complete__] == []
