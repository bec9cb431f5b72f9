"""Sales history imports: every bad line named, nothing half-imported, exact figures stored,
and a replaced date range replaced (not added to)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from domain.ledger import imports
from domain.model import SalesHistory

pytestmark = pytest.mark.db
TODAY = date(2026, 6, 15)
hist_t = SalesHistory.__table__


def rows(*lines: str) -> list[tuple[int, dict]]:
    keys = ("date", "sku", "qty", "customer", "unit_price")
    return [(n, dict(zip(keys, line.split(","), strict=True))) for n, line in enumerate(lines, 2)]


def load(app, lines, replace=False) -> int:
    with app.uow() as uow:
        count = imports.import_rows(uow, "sales_history", lines, today=TODAY, replace=replace)
        uow.commit()
    return count


def history(app) -> list[tuple]:
    with app.uow(write=False) as uow:
        return uow.execute(
            select(
                hist_t.c.day, func.sum(hist_t.c.qty), func.count(), func.max(hist_t.c.unit_price)
            )
            .group_by(hist_t.c.day)
            .order_by(hist_t.c.day)
        ).all()


def test_a_repeated_bad_cell_is_named_on_every_line_and_nothing_is_imported(app):
    bad = rows(
        "2026-06-01,M6-20,10,ACME,0.25",
        "2026-06-01,M6-20,2.5,ACME,0.25",
        "2026-06-01,M6-20,2.5,ACME,0.25",
        "2026-06-02,M6-20,3,ACME,a lot",
        "2026-06-02,M6-20,3,ACME,a lot",
        "2026-06-02,m6-20,3,acme,",
    )
    with pytest.raises(imports.ImportRejected) as refused:
        load(app, bad)
    named = [line.split(":")[0] for line in refused.value.lines]
    assert named == ["line 3", "line 4", "line 5", "line 6"]
    assert history(app) == []


def test_history_is_stored_exactly_and_a_replaced_range_is_not_counted_twice(app):
    week = [f"2026-06-0{d},M6-20,{d}.000,ACME,0.125" for d in range(1, 8)]
    assert load(app, rows(*week, *week)) == 14
    first = history(app)
    assert first[0] == (date(2026, 6, 1), Decimal("2.000"), 2, Decimal("0.125000"))
    assert sum(q for _, q, _, _ in first) == Decimal(56)
    # The same week again, replacing its range, and a day without a price.
    assert load(app, rows(*week, "2026-06-07,M6-20,1,ACME,"), replace=True) == 8
    again = history(app)
    assert again[0] == (date(2026, 6, 1), Decimal("1.000"), 1, Decimal("0.125000"))
    assert again[-1] == (date(2026, 6, 7), Decimal("8.000"), 2, Decimal("0.125000"))
