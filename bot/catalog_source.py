"""The parser's catalog, read from the database (through `domain.ledger.catalog_rows`) and rebuilt
only when master data changed."""

from __future__ import annotations

from bot.catalog import Catalog, CatalogItem, CatalogPartner, CatalogWarehouse
from domain.ledger import catalog_rows


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
        for r in catalog_rows.items(uow)
    ]
    partners = [
        CatalogPartner(
            code=r.code, name=r.name, name_zh=r.name_zh, kind=r.kind, aliases=_aliases(r.aliases)
        )
        for r in catalog_rows.partners(uow)
    ]
    warehouses = [
        CatalogWarehouse(code=r.code, name=r.name, name_zh=r.name_zh)
        for r in catalog_rows.warehouses(uow)
    ]
    return Catalog(items, partners, warehouses)


def signature(uow) -> tuple:
    """Changes whenever master data may have changed (rows added, or an import ran)."""
    return catalog_rows.signature(uow)


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
