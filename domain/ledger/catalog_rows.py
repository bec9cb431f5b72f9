"""The master data the chat's catalogue is built from, read through a unit of work: items,
partners and warehouses as rows, and a signature that changes whenever they may have changed."""

from __future__ import annotations

from sqlalchemy import func, select

from domain.model import Audit, Item, Partner, Warehouse

item_t, partner_t, wh_t, audit_t = (
    Item.__table__,
    Partner.__table__,
    Warehouse.__table__,
    Audit.__table__,
)


def items(uow) -> list:
    """Every item (sku, name, name_zh, uom, aliases, barcode, unit_price, …), as entered."""
    return uow.execute(select(item_t).order_by(item_t.c.id)).all()


def partners(uow) -> list:
    """Every customer and supplier (code, name, name_zh, kind, aliases, …), as entered."""
    return uow.execute(select(partner_t).order_by(partner_t.c.id)).all()


def warehouses(uow) -> list:
    """Every warehouse (code, name, name_zh, …), as entered."""
    return uow.execute(select(wh_t).order_by(wh_t.c.id)).all()


_SIGNATURE = select(
    *(select(func.count()).select_from(t).scalar_subquery() for t in (item_t, partner_t, wh_t)),
    select(func.max(audit_t.c.id)).where(audit_t.c.intent.like("import.%")).scalar_subquery(),
)


def signature(uow) -> tuple:
    """Changes whenever master data may have changed: rows added, or an import ran (one query:
    it is asked before every chat message)."""
    return tuple(uow.execute(_SIGNATURE).one())
