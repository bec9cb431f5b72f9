"""`jxc init --demo`: a believable hardware and packaging wholesaler with a past.

Master data comes from `adapters/demo_data/*.csv` through the same import path a shop uses; two
years of sales history (`adapters.demo_history`) end where the last eight weeks begin, and those
weeks are played through the service layer (`adapters.demo_past`): opening stock, orders,
shipments, receipts, counts and approvals, so every report has figures on day one.
"""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from domain.ledger import imports
from domain.model import StockMove

DATA = Path(__file__).parent / "demo_data"


def _rows(name: str) -> list[tuple[int, dict]]:
    with (DATA / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return list(enumerate(csv.DictReader(f), start=2))


def seed_demo(app, *, force: bool = False) -> str:
    """Seed master data, sales history up to eight weeks ago, and the eight weeks since played
    through the service layer (`adapters.demo_past`); refuses a database with moves."""
    from adapters.demo_history import generate_history
    from adapters.demo_past import play_past, played_start

    with app.uow(write=False) as uow:
        moves = uow.execute(select(func.count()).select_from(StockMove.__table__)).scalar()
    if moves and not force:
        return "the database already has data; demo seeding skipped (use --force to add it)"
    today = app.clock.today()
    with app.uow() as uow:
        for kind in ("warehouses", "items", "partners", "users"):
            imports.import_rows(uow, kind, _rows(kind), today=today)
        uow.commit()
    start = played_start(today)
    demand = generate_history(last_day=today - timedelta(days=1))
    # The played weeks replace the history in their range: no demand is counted twice.
    history = [r for r in demand if r.date < start]
    seed_history(app, history)
    played = play_past(app, [r for r in demand if r.date >= start], start, today)
    return (
        f"demo data: {len(_rows('items'))} items, {len(_rows('partners'))} partners, "
        f"{len(_rows('users'))} users, {len(history)} sales history rows until "
        f"{start - timedelta(days=1)}; the eight weeks since played: "
        f"{played.get('sales.create', 0)} sales orders, {played.get('sales.ship', 0)} shipments, "
        f"{played.get('purchase.create', 0)} purchase orders, "
        f"{played.get('purchase.receive', 0)} receipts, {played.get('stock.count', 0)} counts, "
        f"{played.get('approval.decide', 0)} decisions"
    )


def seed_history(app, rows) -> None:
    """Import sales history rows (`adapters.demo_history.HistoryRow`)."""
    with app.uow() as uow:
        imports.import_rows(
            uow,
            "sales_history",
            [
                (
                    n,
                    {
                        "date": r.date.isoformat(),
                        "sku": r.sku,
                        "qty": str(r.qty),
                        "customer": r.customer,
                        "unit_price": str(r.unit_price),
                    },
                )
                for n, r in enumerate(rows, start=2)
            ],
            today=app.clock.today(),
        )
        uow.commit()
