"""Exact decimal columns.

PostgreSQL stores `NUMERIC`. SQLite's `NUMERIC` is a float underneath, so there the value is kept
as a scaled integer (quantity × 1,000, money × 100, unit cost × 1,000,000): sums, differences and
the guarded `UPDATE … WHERE on_hand - reserved >= q` then compare exactly.
"""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Numeric
from sqlalchemy.types import TypeDecorator


class ScaledDecimal(TypeDecorator):
    """A Decimal column with a fixed number of decimals, exact on every database."""

    impl = Numeric
    cache_ok = True

    def __init__(self, scale: int):
        super().__init__()
        self.scale = scale
        self._factor = Decimal(10) ** scale

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(20 + self.scale, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if not isinstance(value, Decimal):
            value = Decimal(str(value)) if not isinstance(value, int) else Decimal(value)
        if dialect.name == "sqlite":
            scaled = value * self._factor
            if scaled != scaled.to_integral_value():
                raise ValueError(f"{value} has more than {self.scale} decimals")
            return int(scaled)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale)
        return Decimal(value)

    def coerce_compared_value(self, op, value):
        return self

    def __repr__(self) -> str:
        return f"ScaledDecimal({self.scale})"


def Qty() -> ScaledDecimal:  # noqa: N802 - reads as a type
    """A quantity: 3 decimals."""
    return ScaledDecimal(3)


def Money() -> ScaledDecimal:  # noqa: N802
    """An amount of money: 2 decimals."""
    return ScaledDecimal(2)


def Cost() -> ScaledDecimal:  # noqa: N802
    """A unit cost or unit price: 6 decimals."""
    return ScaledDecimal(6)


class UTCDateTime(TypeDecorator):
    """An aware UTC datetime on every database (SQLite keeps no zone: stored as naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; the ledger stores aware UTC times")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
