"""The parser's catalog, read from the database and rebuilt only when master data changed."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.catalog import Catalog, CatalogItem, CatalogPartner, CatalogWarehouse
from domain.model import Audit, Item, Partner, Warehouse

item_t, partner_t, wh_t, audit_t = (
    Item.__table__,
    Partner.__table__,
    Warehouse.__table__,
    Audit.__table__,
)


def _aliases(raw: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in (raw or "").split(";") if a.strip())


def load_catalog(uow) -> Catalog:
    """Build the catalog from the items, partners and warehouses tables."""
    items = [
        CatalogItem(
            sku=r.sku,
            name=r.name,
            name_zh=r.name_zh,
            uom=r.uom,
            aliases=_aliases(r.aliases),
            barcode=r.barcode or "",
            unit_price=r.unit_price,
        )
        for r in uow.execute(select(item_t))
    ]
    partners = [
        CatalogPartner(
            code=r.code, name=r.name, name_zh=r.name_zh, kind=r.kind, aliases=_aliases(r.aliases)
        )
        for r in uow.execute(select(partner_t))
    ]
    warehouses = [
        CatalogWarehouse(code=r.code, name=r.name, name_zh=r.name_zh)
        for r in uow.execute(select(wh_t))
    ]
    return Catalog(items, partners, warehouses)


def signature(uow) -> tuple:
    """Changes whenever master data may have changed (rows added, or an import ran)."""
    counts = tuple(
        uow.execute(select(func.count()).select_from(t)).scalar() for t in (item_t, partner_t, wh_t)
    )
    last_import = uow.execute(
        select(func.max(audit_t.c.id)).where(audit_t.c.intent.like("import.%"))
    ).scalar()
    return (*counts, last_import)


class CatalogCache:
    """Keeps one catalog and rebuilds it when the signature changes."""

    def __init__(self):
        self._sig = None
        self._catalog: Catalog | None = None

    def get(self, uow) -> Catalog:
        sig = signature(uow)
        if self._catalog is None or sig != self._sig:
            self._catalog = load_catalog(uow)
            self._sig = sig
        return self._catalog
