"""The catalogue and the people: warehouses, items, partners (customers and suppliers) and
users with their roles and chat ids."""

# No `from __future__ import annotations`: pydantic reads the field types as objects instead of
# evaluating the strings at import.
from decimal import Decimal

from sqlmodel import Field

from domain.model.base import Base
from domain.types import Cost, Money, Qty

ROLES = ("viewer", "sales", "clerk", "buyer", "accountant", "approver", "admin")


class Warehouse(Base, table=True):
    """A place that holds stock. `MAIN` is made by `jxc init` and is the default."""

    __tablename__ = "warehouse"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(default="", max_length=200)
    name_zh: str = Field(default="", max_length=200)


class Item(Base, table=True):
    """Something we buy, stock and sell."""

    __tablename__ = "item"

    id: int | None = Field(default=None, primary_key=True)
    sku: str = Field(max_length=64, unique=True)
    name: str = Field(default="", max_length=200)
    name_zh: str = Field(default="", max_length=200)
    uom: str = Field(default="pcs", max_length=16)
    category: str = Field(default="", max_length=64)
    unit_price: Decimal | None = Field(default=None, sa_type=Cost())
    unit_cost: Decimal | None = Field(default=None, sa_type=Cost())
    lead_time_days: int = Field(default=7)
    moq: Decimal = Field(default=Decimal(0), sa_type=Qty())
    aliases: str = Field(default="", max_length=1000)
    costing: str = Field(default="average", max_length=16)
    barcode: str | None = Field(default=None, max_length=32, unique=True)
    last_receipt_cost: Decimal | None = Field(default=None, sa_type=Cost())


class Partner(Base, table=True):
    """A customer or a supplier."""

    __tablename__ = "partner"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name: str = Field(default="", max_length=200)
    name_zh: str = Field(default="", max_length=200)
    kind: str = Field(max_length=16)  # customer | supplier
    credit_limit: Decimal = Field(default=Decimal(0), sa_type=Money())
    aliases: str = Field(default="", max_length=1000)
    payment_days: int = Field(default=30)


class User(Base, table=True):
    """A person who may use JXC, with one role and the chat ids they are known by."""

    __tablename__ = "jxc_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, unique=True)
    role: str = Field(max_length=16)
    slack_id: str | None = Field(default=None, max_length=64, unique=True)
    telegram_id: str | None = Field(default=None, max_length=64, unique=True)
    lang: str = Field(default="en", max_length=8)
