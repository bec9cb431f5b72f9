"""Commands on alerts: list them, acknowledge or snooze one, order from a reorder alert."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from domain.errors import InvalidQuantity, UnknownAlert
from domain.messages.codec import Flag, Whole, echo, omitted
from domain.messages.commands.base import Command
from domain.messages.commands.slots import Quantity

MAX_ID = 2**31 - 1
MAX_SNOOZE_DAYS = 365


def _alert_id(value) -> int:
    """An alert's id as given (12, "12", "#12"); anything else is no alert."""
    text = str(value).strip().lstrip("#")
    # Ids are 32-bit on every database: a longer number is no alert, not an overflow.
    if not text.isascii() or not text.isdigit() or not 0 < int(text) <= MAX_ID:
        shown = repr(echo(value, 30))
        raise UnknownAlert(f"there is no alert {shown}", zh=f"没有预警 {shown}")
    return int(text)


class AlertNumberKind(Whole):
    """An alert's number as given (12, "12", "#12"); anything else is `unknown_alert`."""

    expected = "a string"

    def read(self, raw, reading, path):
        return raw if reading.coerce else super().read(raw, reading, path)

    def vet(self, raw, reading, path):
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise reading.refuse(path, self, raw)

    def check(self, name, value):
        return _alert_id(value)


class SnoozeDaysKind(Whole):
    """Days to snooze an alert: 1 to `MAX_SNOOZE_DAYS` (else `invalid_quantity`)."""

    def check(self, name, value):
        if value is not None and not 1 <= value <= MAX_SNOOZE_DAYS:
            raise InvalidQuantity(
                f"an alert is snoozed for 1 to {MAX_SNOOZE_DAYS} days, not {echo(value, 20)}",
                zh=f"预警可推迟 1 至 {MAX_SNOOZE_DAYS} 天，不能是 {echo(value, 20)}",
            )
        return value


class SwitchKind(Flag):
    """A flag the chat or a script may give as text too ("true", "1", "yes": true)."""

    def read(self, raw, reading, path):
        return raw if reading.coerce else super().read(raw, reading, path)

    def vet(self, raw, reading, path):
        if not isinstance(raw, bool | str | int):
            raise reading.refuse(path, self, raw)

    def check(self, name, value):
        if value is None or isinstance(value, bool):
            return value
        return str(value).lower() in ("true", "1", "yes")


AlertNumber = Annotated[int, AlertNumberKind("a string")]
SnoozeDays = Annotated[int, SnoozeDaysKind("a whole number of days")]
Switch = Annotated[bool, SwitchKind()]


@dataclass(frozen=True)
class ListAlerts(Command):
    """The alerts sent to the user (admins: all) that are open, or in every state (`all`)."""

    intent: ClassVar[str] = "alert.list"
    WRITE: ClassVar[bool] = False
    kind: str | None = None
    mine: bool = omitted(when=False)
    all: Switch | None = None


@dataclass(frozen=True)
class AckAlert(Command):
    """Acknowledge an alert sent to one (admins: any): it stops being open."""

    intent: ClassVar[str] = "alert.ack"
    REQUIRED: ClassVar[tuple[str, ...]] = ("alert",)
    alert: AlertNumber = 0


@dataclass(frozen=True)
class SnoozeAlert(Command):
    """Put an alert aside for some days (default 1); it opens again after that."""

    intent: ClassVar[str] = "alert.snooze"
    REQUIRED: ClassVar[tuple[str, ...]] = ("alert",)
    alert: AlertNumber = 0
    days: SnoozeDays | None = None


@dataclass(frozen=True)
class OrderFromAlert(Command):
    """Turn a reorder alert into a purchase order: the suggested quantity (or `qty`) from the
    supplier of the item's latest purchase order (or `supplier`)."""

    intent: ClassVar[str] = "alert.order"
    REQUIRED: ClassVar[tuple[str, ...]] = ("alert",)
    alert: AlertNumber = 0
    qty: Quantity | None = None
    supplier: str | None = None
