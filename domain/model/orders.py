"""Orders and approvals: document numbers, purchase and sales orders with their lines,
approval requests and approvers' delegations."""

# No `from __future__ import annotations`: pydantic reads the field types as objects instead of
# evaluating the strings at import.
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field

from domain.model.base import Base
from domain.types import Cost, Money, Qty, UTCDateTime


class Sequence(Base, table=True):
    """Counters for document numbers (PO-0001, SO-0001, A-1…)."""

    __tablename__ = "sequence"

    name: str = Field(primary_key=True, max_length=32)
    value: int = Field(default=0)


class PurchaseOrder(Base, table=True):
    """An order to a supplier (`PO-0001`)."""

    __tablename__ = "purchaseorder"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=16, unique=True)
    partner_id: int = Field(foreign_key="partner.id")
    warehouse_id: int = Field(foreign_key="warehouse.id")
    status: str = Field(max_length=24, index=True)
    total: Decimal = Field(default=Decimal(0), sa_type=Money())
    approval: str | None = Field(default=None, max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime())
    created_by: str = Field(default="", max_length=64)
    # How many receipts it has had; its purchase moves carry their number (1 for the first).
    receipts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class PurchaseLine(Base, table=True):
    """One line of a purchase order and how much of it has arrived."""

    __tablename__ = "purchaseline"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="purchaseorder.id", index=True)
    line_no: int = Field()
    item_id: int = Field(foreign_key="item.id", index=True)
    qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    price: Decimal = Field(default=Decimal(0), sa_type=Cost())
    amount: Decimal = Field(default=Decimal(0), sa_type=Money())
    received_qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    # Returned to the supplier since, kept apart from what was received.
    returned_qty: Decimal = Field(
        default=Decimal(0), sa_type=Qty(), sa_column_kwargs={"server_default": "0"}
    )


class SalesOrder(Base, table=True):
    """An order from a customer (`SO-0001`)."""

    __tablename__ = "salesorder"
    # A customer's open orders are the exposure every credit check reads.
    __table_args__ = (Index("ix_salesorder_partner_status", "partner_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=16, unique=True)
    partner_id: int = Field(foreign_key="partner.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouse.id")
    status: str = Field(max_length=24, index=True)
    total: Decimal = Field(default=Decimal(0), sa_type=Money())
    approval: str | None = Field(default=None, max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime())
    created_by: str = Field(default="", max_length=64)
    shipped_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    # How many shipments it has had; its sale moves carry their number (1 for the first).
    shipments: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class SalesLine(Base, table=True):
    """One line of a sales order, with the list price it was sold against and its cost once
    shipped."""

    __tablename__ = "salesline"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="salesorder.id", index=True)
    line_no: int = Field()
    item_id: int = Field(foreign_key="item.id", index=True)
    qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    price: Decimal = Field(default=Decimal(0), sa_type=Cost())
    list_price: Decimal = Field(default=Decimal(0), sa_type=Cost())
    discount_pct: Decimal = Field(default=Decimal(0), sa_type=Cost())
    amount: Decimal = Field(default=Decimal(0), sa_type=Money())
    shipped_qty: Decimal = Field(default=Decimal(0), sa_type=Qty())
    cost: Decimal = Field(default=Decimal(0), sa_type=Money())
    # Returned by the customer since, kept apart from what was shipped.
    returned_qty: Decimal = Field(
        default=Decimal(0), sa_type=Qty(), sa_column_kwargs={"server_default": "0"}
    )


class ApprovalRequest(Base, table=True):
    """A request for a second pair of eyes (`A-1`): pending, approved, rejected or cancelled."""

    __tablename__ = "approvalrequest"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=16, unique=True)
    subject_kind: str = Field(max_length=24)  # purchase_order | sales_order | stock_count
    subject: str = Field(max_length=32)
    status: str = Field(default="pending", max_length=16, index=True)
    reasons: str = Field(default="")
    requested_by: str = Field(default="", max_length=64)
    requested_at: datetime = Field(sa_type=UTCDateTime())
    decided_by: str | None = Field(default=None, max_length=64)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    decision_reason: str | None = Field(default=None, max_length=500)
    # The approver a delegate decided for ("li for mary"); null when decided in person.
    on_behalf_of: str | None = Field(default=None, max_length=64)


class Delegation(Base, table=True):
    """An approver's stand-in: `delegate` decides requests for `delegator` until the local
    date `until`, inclusive. One per approver; a new one replaces it, ending it deletes it."""

    __tablename__ = "delegation"

    id: int | None = Field(default=None, primary_key=True)
    delegator: str = Field(max_length=64, unique=True)
    delegate: str = Field(max_length=64, index=True)
    until: date = Field()
    created_at: datetime = Field(sa_type=UTCDateTime())
