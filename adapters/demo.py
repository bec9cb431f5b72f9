"""`jxc init --demo`: a believable hardware and packaging wholesaler.

Master data comes from `adapters/demo_data/*.csv` through the same import path a shop uses;
opening stock goes in through the service layer as receipts, like a real opening balance.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from domain import imports
from domain.commands import ReceiveStock
from domain.model import Item, StockMove
from domain.numbers import COUNTED_UNITS

DATA = Path(__file__).parent / "demo_data"


def _rows(name: str) -> list[tuple[int, dict]]:
    with (DATA / f"{name}.csv").open(newline="", encoding="utf-8") as f:
        return list(enumerate(csv.DictReader(f), start=2))


def seed_demo(app, *, force: bool = False) -> str:
    """Seed master data, sales history and opening stock; refuses a database with moves."""
    with app.uow(write=False) as uow:
        moves = uow.execute(select(func.count()).select_from(StockMove.__table__)).scalar()
    if moves and not force:
        return "the database already has data; demo seeding skipped (use --force to add it)"
    today = app.clock.today()
    with app.uow() as uow:
        for kind in ("warehouses", "items", "partners", "users"):
            imports.import_rows(uow, kind, _rows(kind), today=today)
        uow.commit()
    history = seed_history(app)
    opening = seed_opening_stock(app, history)
    return (
        f"demo data: {len(_rows('items'))} items, {len(_rows('partners'))} partners, "
        f"{len(_rows('users'))} users, {len(history)} sales history rows, "
        f"{opening} opening receipts"
    )


def seed_history(app) -> list:
    """Two years of daily sales history ending yesterday; returns the rows."""
    from adapters.demo_history import generate_history

    rows = generate_history(last_day=app.clock.today() - timedelta(days=1))
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
    return rows


def seed_opening_stock(app, history) -> int:
    """Opening stock: about six weeks of recent demand in MAIN and two in BJ; every seventh
    item is left short so the reorder report has something to say."""
    admin = app.bus.user("admin")
    last = max((r.date for r in history), default=app.clock.today())
    recent: dict[str, Decimal] = defaultdict(Decimal)
    for r in history:
        if (last - r.date).days < 90:
            recent[r.sku] += r.qty
    with app.uow(write=False) as uow:
        items = uow.execute(
            select(
                Item.__table__.c.sku,
                Item.__table__.c.moq,
                Item.__table__.c.unit_cost,
                Item.__table__.c.uom,
            )
        ).all()
    count = 0
    for n, (sku, moq, cost, uom) in enumerate(items):
        daily = recent.get(sku, Decimal(0)) / 90
        for wh, days in (("MAIN", 42 if n % 7 else 4), ("BJ", 14)):
            q = max(daily * days, (moq or Decimal(0)) / 4 if wh == "MAIN" else Decimal(0))
            q = q.to_integral_value() if uom in COUNTED_UNITS else q.quantize(Decimal("0.001"))
            if q <= 0:
                continue
            app.bus.execute(
                ReceiveStock(item=sku, qty=q, unit_cost=cost, warehouse=wh),
                admin,
                key=f"demo:opening:{sku}:{wh}",
            )
            count += 1
    return count
