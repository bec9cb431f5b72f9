"""A keyed command's audit row is its idempotency record, and records kept in the older
`requestkey` table survive the migration that folds it into the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from alembic import command
from sqlalchemy import func, select

from adapters.db import alembic_config
from domain.errors import DuplicateRequest, InsufficientStock
from domain.messages.commands import IssueStock, ReceiveStock
from domain.model import Audit, StockMove

pytestmark = pytest.mark.db
D = Decimal
audit_t = Audit.__table__


def moves(app) -> int:
    with app.uow(write=False) as uow:
        return uow.execute(select(func.count()).select_from(StockMove.__table__)).scalar()


def test_each_keyed_command_leaves_one_audit_row_with_its_answer(app, users):
    li = users["li"]
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(10)), li, key="k:1")
    app.bus.execute(ReceiveStock(item="M6-20", qty=D(10)), li, key="k:1")
    with pytest.raises(InsufficientStock):
        app.bus.execute(IssueStock(item="HAMMER", qty=D(1)), li, key="k:2")
    with app.uow(write=False) as uow:
        rows = uow.execute(
            select(audit_t.c.intent, audit_t.c.key, audit_t.c.ok)
            .where(audit_t.c.key != "")
            .order_by(audit_t.c.id)
        ).all()
    assert rows == [("stock.receive", "k:1", True), ("stock.issue", "k:2", False)]


def test_keys_recorded_before_the_audit_trail_held_them_still_replay(app, users):
    li = users["li"]
    first = app.bus.execute(ReceiveStock(item="M6-20", qty=D(10)), li, key="old:1")
    with pytest.raises(InsufficientStock):
        app.bus.execute(IssueStock(item="HAMMER", qty=D(1)), li, key="old:2")
    cfg = alembic_config(app.engine)
    command.downgrade(cfg, "0003")  # the records go back to their own table
    command.upgrade(cfg, "head")  # and onto the audit rows again
    app.bus.execute(ReceiveStock(item="HAMMER", qty=D(5)), li)
    assert app.bus.execute(ReceiveStock(item="M6-20", qty=D(10)), li, key="old:1") == first
    with pytest.raises(InsufficientStock):
        app.bus.execute(IssueStock(item="HAMMER", qty=D(1)), li, key="old:2")
    with pytest.raises(DuplicateRequest):
        app.bus.execute(ReceiveStock(item="M6-20", qty=D(11)), li, key="old:1")
    assert moves(app) == 2
