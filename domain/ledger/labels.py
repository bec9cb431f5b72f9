"""Labels for items (`labels`): what each QR label shows, read from the item list. Drawing the
sheet is the edges' job (`adapters/documents/labels.py`); the QR code holds the SKU, which the photo
lookup (`domain.ledger.codes.item_by_code`) reads back as the item."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from domain.errors import MissingSlot
from domain.ledger import lookup
from domain.messages.commands import PrintLabels
from domain.messages.results import Result
from domain.model import Item

item_t = Item.__table__


@dataclass(frozen=True, kw_only=True)
class Label(Result):
    """One item's label."""

    sku: str
    name: str
    name_zh: str
    barcode: str | None


@dataclass(frozen=True, kw_only=True)
class LabelSheet(Result):
    """`labels`: the labels asked for, in the order given; `{"labels": [{"sku", "name",
    "name_zh", "barcode"}]}`."""

    labels: tuple[Label, ...]


def print_labels(cmd: PrintLabels, uow, user) -> LabelSheet:
    """The labels of the items named (by SKU, any case); an unknown SKU is `unknown_item`
    naming the closest, and nothing is printed."""
    if not cmd.items:
        raise MissingSlot("labels needs items", zh="打印标签需要物品")
    rows = [lookup.item(uow, sku) for sku in cmd.items]
    rows = list({row.id: row for row in rows}.values())  # `m6-20` and `M6-20` are one item
    return LabelSheet(labels=tuple(_label(row) for row in rows))


def every_sku(uow) -> list[str]:
    """Every item's SKU in SKU order (`jxc labels --all`)."""
    return list(uow.execute(select(item_t.c.sku).order_by(item_t.c.sku)).scalars())


def _label(row) -> Label:
    return Label(sku=row.sku, name=row.name or "", name_zh=row.name_zh or "", barcode=row.barcode)
