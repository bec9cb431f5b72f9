"""Alembic environment: the bootstrap passes the engine in `config.attributes`."""

from __future__ import annotations

from alembic import context

from domain.model import metadata

engine = context.config.attributes["engine"]
target_metadata = metadata

with engine.connect() as connection:
    connection.info["jxc_write"] = True
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
