"""Item codes as scanners and people give them: GTINs (EAN-13, EAN-8, UPC-A, GTIN-14) and SKUs.

One GTIN is written several ways: a UPC-A (12 digits) is the EAN-13 with a leading 0, and
either is the GTIN-14 with more leading zeros. `gtin14` is the one form they all share; items
are found, and kept unique by the import, on it. A GTIN-14 whose first digit (the indicator) is
1–8 is a carton of the item whose EAN-13 is inside it: `item_by_code` names that item and says
so, so the quantity is asked in the item's unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from domain import lookup
from domain.errors import UnknownItem
from domain.model import Item

GTIN_LENGTHS = (8, 12, 13, 14)
item_t = Item.__table__


def check_digit(body: str) -> str:
    """The GS1 check digit of a GTIN's digits before it."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def valid_gtin(code: str) -> bool:
    """Whether `code` is an EAN-13, EAN-8, UPC-A or GTIN-14 with a right check digit."""
    if not code.isascii() or not code.isdigit() or len(code) not in GTIN_LENGTHS:
        return False
    return check_digit(code[:-1]) == code[-1]


def gtin14(code: str) -> str | None:
    """The GTIN-14 form of a valid GTIN (zeros in front), or None for anything else."""
    code = code.strip()
    return code.zfill(14) if valid_gtin(code) else None


def forms(code: str) -> list[str]:
    """Every way the GTIN `code` can be written (GTIN-14, EAN-13, UPC-A, EAN-8: as many as its
    leading zeros allow), longest first; empty for a code that is no valid GTIN."""
    full = gtin14(code)
    if full is None:
        return []
    return [full[14 - n :] for n in (14, 13, 12, 8) if full[: 14 - n].strip("0") == ""]


def inner_gtin(code: str) -> str | None:
    """The EAN-13 inside a carton's GTIN-14 (indicator digit 1–8), or None."""
    full = gtin14(code)
    if full is None or full[0] not in "12345678":
        return None
    body = full[1:13]
    return body + check_digit(body)


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
