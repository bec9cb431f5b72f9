"""The types of command slots, each carrying the checks bad input meets wherever a command is
built or read (`domain.messages.codec` applies them): text of at most its length with no NUL byte or lone
surrogate, a quantity or an amount written in plain digits and in range, order lines with an
item and a quantity. A slot declared `str` or `Decimal` gets the same checks (a decimal's error by
its name); these say more: which error a bad number is, a longer text, how a price is written."""

from __future__ import annotations

from dataclasses import MISSING, dataclass
from decimal import Decimal
from typing import Annotated

from domain.errors import InvalidAmount, InvalidQuantity, MissingSlot
from domain.messages import codec
from domain.messages.codec import Number, Whole, omitted
from domain.numbers import to_decimal

Quantity = Annotated[Decimal, Number(InvalidQuantity)]
"""A quantity (a bad one is `invalid_quantity`), written as `qty_str` does ("1.5")."""
Amount = Annotated[Decimal, Number(InvalidAmount)]
"""A unit cost or a discount (a bad one is `invalid_amount`), written as `qty_str` does."""
Price = Annotated[Decimal, Number(InvalidAmount, write=lambda d: format(d, "f"))]
"""A unit price, written with the places it was given ("2.50")."""
LongText = Annotated[str, codec.Text(500)]
"""Text stored in a longer column (an approver's reason)."""
Days = Annotated[int, Whole("a whole number of days")]
"""A number of days, given as a number or a string of digits."""


@dataclass(frozen=True)
class Line:
    """One order line: an item, a quantity and, optionally, a price and a discount (% off). An
    amendment of a one-line order may leave the item to the service (""; left out of its JSON)."""

    item: str = omitted(when="", default=MISSING)
    qty: Quantity
    price: Price | None = omitted()
    discount: Amount | None = omitted()


class LineKind(codec.Nested):
    """An order line in a command's JSON, `{item, qty, price?, discount?}`: a line without an
    item (unless `item_optional`) or a quantity is `missing_slot`."""

    def __init__(self, item_optional: bool = False):
        super().__init__(Line)
        self.item_optional = item_optional

    def read(self, raw, reading, path):
        if not reading.coerce:
            return super().read(raw, reading, path)
        if (
            not isinstance(raw, dict)
            or not (raw.get("item") or self.item_optional)
            or raw.get("qty") in (None, "")
        ):
            raise MissingSlot("each line needs an item and a qty", zh="每一行都需要物品和数量")
        price, discount = raw.get("price"), raw.get("discount")
        return Line(
            item=str(raw.get("item") or ""),
            qty=to_decimal(raw["qty"], "quantity"),
            price=None if price in (None, "") else to_decimal(price, "price", error=InvalidAmount),
            discount=None
            if discount in (None, "")
            else to_decimal(discount, "discount", error=InvalidAmount),
        )


codec.register(Line, LineKind())

Lines = tuple[Line, ...]
"""Order lines, each with its item."""
AmendLines = tuple[Annotated[Line, LineKind(item_optional=True)], ...]
"""An amendment's lines: the item may be left out when the order has one line."""
