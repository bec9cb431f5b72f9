"""The stock ledger: balances, the append-only moves, FIFO cost layers, stocktakes, and the
demand that feeds forecasts (past sales history, stored forecasts)."""

# No `from __future__ import annotations`: pydantic reads the field types as objects instead of
# evaluating the strings at import.
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field

from domain.model.base import Base
from domain.types import Cost, Money, Qty, UTCDateTime


class Balance(Base, table=True):
    """On hand, reserved and value of one item in one warehouse."""

    __tablename__ = "balance"

    item_id: int = Field(primary_key=True, foreign_key="item.id")
    warehouse_id: int = Field(primary_key=True, foreign_key="warehouse.id")
    on_hand: Decimal = Field(default=Decimal(0), sa_type=Qty())
    reserved: Decimal = Field(default=Decimal(0), sa_type=Qty())
    value: Decimal = Field(default=Decimal(0), sa_type=Money())


class StockMove(Base, table=True):
    """One append-only change of stock: positive qty in, negative out, with its value
    (cost of goods for outgoing moves)."""

    __tablename__ = "stockmove"
    __table_args__ = (Index("ix_stockmove_item_wh", "item_id", "warehouse_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime())
    item_id: int = Field(foreign_key="item.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    kind: str = Field(max_length=24)
    qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    value: Decimal = Field(default=Decimal(0), sa_type=Money())
    unit_cost: Decimal | None = Field(default=None, sa_type=Cost())
    ref: str = Field(default="", max_length=64)
    reason: str = Field(default="", max_length=200)
    user_name: str = Field(default="", max_length=64)
    # A sale move: which shipment of its order (`ref`) it belongs to, 1 for the first. Moves
    # written before shipments were numbered have none.
    shipment: int | None = Field(default=None)


class FifoLayer(Base, table=True):
    """A FIFO cost layer: what is left of one receipt of a FIFO item in one warehouse."""

    __tablename__ = "fifolayer"
    __table_args__ = (Index("ix_fifolayer_item_wh", "item_id", "warehouse_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime())
    item_id: int = Field(foreign_key="item.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    qty_in: Decimal = Field(default=Decimal(0), sa_type=Qty())
    qty_left: Decimal = Field(default=Decimal(0), sa_type=Qty())
    unit_cost: Decimal = Field(default=Decimal(0), sa_type=Cost())


class StockCount(Base, table=True):
    """A stocktake (盘点) of one item in one warehouse and the discrepancy it found."""

    __tablename__ = "stockcount"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime())
    item_id: int = Field(foreign_key="item.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    book_qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    counted_qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    diff_qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    diff_value: Decimal = Field(default=Decimal(0), sa_type=Money())
    status: str = Field(default="posted", max_length=24)
    user_name: str = Field(default="", max_length=64)


class SalesHistory(Base, table=True):
    """Past demand from an earlier system: feeds forecasts and reorder points, not stock."""

    __tablename__ = "saleshistory"
    __table_args__ = (Index("ix_saleshistory_item_date", "item_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field()
    item_id: int = Field(foreign_key="item.id")
    qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    partner_id: int = Field(foreign_key="partner.id")
    unit_price: Decimal | None = Field(default=None, sa_type=Cost())


class StoredForecast(Base, table=True):
    """A forecast of one item's daily demand, stored by data version: an unchanged item is not
    refit, and reorder points read a fresh one."""

    __tablename__ = "storedforecast"
    __table_args__ = (UniqueConstraint("item_id", "data_version"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    data_version: str = Field(max_length=64)
    model: str = Field(max_length=32)
    reason: str = Field(default="", max_length=500)
    days: int = Field()
    points: str = Field(default="")
    created_at: datetime = Field(sa_type=UTCDateTime())


class ForecastChoice(Base, table=True):
    """The model chosen for an item by backtest (`domain.planning.choice`), its scores and its
    band calibration (`choice`, JSON), made under a candidate set (`key`) on the history up to
    `last_day`: a refit reuses it; another key makes it again."""

    __tablename__ = "forecastchoice"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", unique=True)
    model: str = Field(max_length=32)
    candidate: str = Field(max_length=64)
    score: float | None = Field(default=None)
    mase: float | None = Field(default=None)
    key: str = Field(max_length=32)
    last_day: date = Field()
    choice: str = Field(default="")
    created_at: datetime = Field(sa_type=UTCDateTime())
