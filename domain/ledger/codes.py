"""Which item a scanned or typed code names (`item_by_code`): by barcode in any of its GTIN
forms (`domain.ledger.gtin`), a carton's inner EAN, then the text as a SKU, since QR labels hold the SKU.
The import keeps barcodes unique on the GTIN-14 form (`owner_of`), so an EAN-13 and its UPC-A or
GTIN-14 cannot name two items.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from domain.errors import UnknownItem
from domain.ledger import lookup
from domain.ledger.gtin import forms, inner_gtin
from domain.model import Item

item_t = Item.__table__


@dataclass(frozen=True)
class CodeMatch:
    """What one code names: the code as read, the item (None: not in the item list), and
    whether it is a carton code of that item (so quantities are in the item's unit)."""

    code: str
    item: object | None = None
    carton: bool = False

    @property
    def sku(self) -> str | None:
        return self.item.sku if self.item is not None else None


def item_by_code(uow, code: str) -> CodeMatch:
    """The item a scanned or typed code names: by barcode in any of its GTIN forms, then a
    carton's inner EAN, then as a SKU (QR labels hold the SKU); `item` None when none is."""
    code = code.strip()
    written = forms(code)
    if written:
        row = _by_barcode(uow, written)
        if row is not None:
            return CodeMatch(code, row)
        inner = inner_gtin(code)
        if inner is not None:
            row = _by_barcode(uow, forms(inner))
            if row is not None:
                return CodeMatch(code, row, carton=True)
    if code and len(code) <= 64:
        try:
            return CodeMatch(code, lookup.item(uow, code))
        except UnknownItem:
            pass
    return CodeMatch(code)


def _by_barcode(uow, written: list[str]):
    return uow.execute(select(item_t).where(item_t.c.barcode.in_(written))).first()


def owner_of(uow, code: str, sku: str) -> str | None:
    """The SKU of another item than `sku` whose barcode is `code` in any of its GTIN forms
    (the import keeps barcodes unique on that form), or None."""
    written = forms(code) or [code]
    query = select(item_t.c.sku).where(item_t.c.barcode.in_(written))
    for row in uow.execute(query):
        if row.sku.upper() != sku.upper():
            return row.sku
    return None
