"""Document numbers (PO-0001, SO-0001, A-1), drawn inside the command's transaction so a
rolled-back command leaves no gap."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from domain.model import Sequence

seq_t = Sequence.__table__
FORMATS = {"PO": "PO-{:04d}", "SO": "SO-{:04d}", "A": "A-{}"}


def next_number(uow, name: str) -> str:
    """The next number of a series, e.g. `next_number(uow, "SO")` → `SO-0007`."""
    ins = (postgresql.insert if uow.dialect == "postgresql" else sqlite.insert)(seq_t)
    uow.execute(ins.values(name=name, value=0).on_conflict_do_nothing())
    stmt = select(seq_t.c.value).where(seq_t.c.name == name)
    if uow.dialect == "postgresql":
        stmt = stmt.with_for_update()
    value = uow.execute(stmt).scalar_one() + 1
    uow.execute(update(seq_t).where(seq_t.c.name == name).values(value=value))
    return FORMATS[name].format(value)
