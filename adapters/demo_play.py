"""The demo's past as it is played (`adapters.demo_past`): the knobs of the played weeks, the
items as they plan them, and `Play`, which runs each command through the bus as its user at
the hour it happened and holds the plan of the days ahead."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from domain.clock import FixedClock
from domain.messages.commands import Line, ShipSalesOrder
from domain.numbers import COUNTED_UNITS

PLAYED_DAYS = 56
SEED = 20240601
SUPPLIER_OF = {
    "fasteners": "ECH",
    "chemicals": "ECH",
    "tools": "SZT",
    "electrical": "SZT",
    "packaging": "HZP",
    "safety": "SAFE",
}
ROUTINE_PO_CAP = Decimal(9000)  # under approval.purchase_total, so routine orders pass
LOWEST_PRICE = Decimal("0.90")  # of list: a routine discount never needs approval
REORDER_WEEKDAYS = (0, 3)  # Monday, Thursday
COUNT_WEEKDAY = 4  # Friday
# Sales shipments in two parts: available only once `sales.ship` takes `lines`.
PARTIAL_SHIPMENTS = "lines" in {f.name for f in fields(ShipSalesOrder)}
ZERO = Decimal(0)


@dataclass
class DemoItem:
    """An item as the played weeks plan it: prices, lead time and the demand it sees."""

    sku: str
    uom: str
    category: str
    list_price: Decimal
    cost: Decimal
    lead: int
    moq: Decimal
    daily: Decimal  # mean daily demand over the 90 days before the played weeks


@dataclass
class Play:
    """The played weeks in hand: the bus and its clock, the plan of the days ahead (what ships,
    arrives and is decided when), and the commands run so far."""

    app: object
    clock: FixedClock
    items: dict[str, DemoItem]
    credit: dict[str, Decimal]
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    ship_on: dict[date, list[tuple[str, tuple[Line, ...] | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    receive_on: dict[date, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Decisions taken the next morning: (request, decision, approver, reason, then).
    decide_on: dict[date, list[tuple]] = field(default_factory=lambda: defaultdict(list))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    keys: int = 0

    def at(self, day: date, hour: int, minute: int = 0) -> None:
        """Move the clock forward to `day` at `hour:minute`, local time."""
        target = datetime.combine(day, time(hour, minute), tzinfo=self.clock.tz)
        delta = target - self.clock.now()
        if delta > timedelta(0):
            self.clock.advance(seconds=delta.total_seconds())

    def run(self, cmd, user: str):
        """One command through the bus as `user`, with a deterministic idempotency key."""
        self.keys += 1
        result = self.app.bus.execute(cmd, self.app.bus.user(user), key=f"demo:past:{self.keys}")
        self.counts[cmd.intent] += 1
        return result

    def available(self) -> dict[str, Decimal]:
        """Available quantity per SKU in MAIN now."""
        from domain.ledger.stock_query import stock_rows

        with self.app.uow(write=False) as uow:
            rows = stock_rows(uow, warehouse="MAIN")
        return {r.sku: Decimal(r.available) for r in rows}

    def projected(self) -> dict[str, Decimal]:
        """Available plus on order per SKU in MAIN now."""
        from domain.ledger.stock_query import stock_rows

        with self.app.uow(write=False) as uow:
            rows = stock_rows(uow, warehouse="MAIN")
        return {r.sku: Decimal(r.available) + Decimal(r.on_order) for r in rows}


def whole(item: DemoItem, qty: Decimal, up: bool = False) -> Decimal:
    """A quantity in the item's unit: whole for counted units, to 0.001 otherwise."""
    if item.uom in COUNTED_UNITS:
        return qty.to_integral_value(rounding=ROUND_CEILING if up else ROUND_HALF_UP)
    return qty.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def routine_price(item: DemoItem, sold_at: Decimal) -> Decimal:
    """The history's price, no lower than 90 % of list (nor near cost): routine orders pass."""
    step = Decimal("0.001") if item.list_price < 1 else Decimal("0.01")
    floor = max(item.list_price * LOWEST_PRICE, item.cost * Decimal("1.15"))
    return max(sold_at, floor.quantize(step, rounding=ROUND_CEILING))
