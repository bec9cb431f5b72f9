"""Commands that ask for a document to print: a shipment's delivery note, QR labels for items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from domain.errors import BadRequest, UnknownOrder
from domain.messages.codec import Whole, echo
from domain.messages.commands.base import Command

MAX_SHIPMENT = 2**31 - 1


def shipment_no(value) -> int:
    """A shipment's number as given (2, "2", "#2"): a whole number; one no shipment can have
    (0, -1, past 32 bits) is no shipment of any order."""
    text = str(value).strip().lstrip("#")
    if isinstance(value, bool) or not text.lstrip("-").isascii() or not text.lstrip("-").isdigit():
        raise BadRequest(
            f"a shipment is a whole number (1 for the first), not {echo(value, 20)!r}",
            zh=f"发货批次须为整数（第一批为 1），不能是 {echo(value, 20)!r}",
        )
    if not 0 < int(text) <= MAX_SHIPMENT:
        raise UnknownOrder(
            f"there is no shipment {echo(value, 20)}; an order's shipments are numbered from 1",
            zh=f"没有第 {echo(value, 20)} 批发货；发货批次从 1 开始编号",
        )
    return int(text)


class ShipmentNumberKind(Whole):
    """A shipment's number as given (2, "2", "#2"); anything else is `bad_request`, a number no
    shipment can have is `unknown_order`."""

    def read(self, raw, reading, path):
        return raw if reading.coerce else super().read(raw, reading, path)

    def vet(self, raw, reading, path):
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise reading.refuse(path, self, raw)

    def check(self, name, value):
        return None if value is None else shipment_no(value)


ShipmentNumber = Annotated[int, ShipmentNumberKind("a shipment's number (1 for the first)")]


@dataclass(frozen=True)
class QueryDeliveryNote(Command):
    """Ask for the delivery note of one shipment of a sales order (its latest when no
    `shipment` is named): what left, from where, when, for whom."""

    intent: ClassVar[str] = "delivery_note"
    WRITE: ClassVar[bool] = False
    REQUIRED: ClassVar[tuple[str, ...]] = ("order",)
    order: str = ""
    shipment: ShipmentNumber | None = None

    def __post_init__(self):
        if self.shipment is not None:
            object.__setattr__(self, "shipment", shipment_no(self.shipment))
        super().__post_init__()


@dataclass(frozen=True)
class PrintLabels(Command):
    """QR labels for items, to print on A4 sheets: each with the SKU (what its QR code holds),
    the English and Chinese names, and the barcode as text when the item has one."""

    intent: ClassVar[str] = "labels"
    WRITE: ClassVar[bool] = False
    REQUIRED: ClassVar[tuple[str, ...]] = ("items",)
    items: tuple[str, ...] = ()

    def __post_init__(self):
        # One SKU, a comma-separated text or a list: each SKU once, in the order given.
        given = self.items.split(",") if isinstance(self.items, str) else self.items
        skus = tuple(dict.fromkeys(str(s).strip() for s in given if str(s).strip()))
        object.__setattr__(self, "items", skus)
        super().__post_init__()
