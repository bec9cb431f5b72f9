"""The money tables: invoices (sales invoices, supplier bills and credit notes), payments and
the allocations between them.

An invoice's `total` is what it is worth (negative for a credit note) and `paid` what has been
set against it (payments and credit notes; for a credit note, the part of it applied, negative);
it is `open` while the two differ. A payment keeps what it could not allocate (`unallocated`),
`open` while that is not zero. A partner's balance is then the open amounts of its invoices less
the unallocated part of its payments, which equals its documents' totals less its payments.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Index
from sqlmodel import Field

from domain.model.base import Base
from domain.types import Money, UTCDateTime


class Invoice(Base, table=True):
    """A sales invoice (`INV-0001`, one per shipment), a supplier's bill (`BILL-0001`, one per
    receipt) or a credit note (`CN-0001`, one per return, negative total)."""

    __tablename__ = "invoice"
    __table_args__ = (
        Index("ix_invoice_partner_status", "partner_id", "status", "due"),
        Index("ix_invoice_order", "order_ref", "doc_no"),
        Index("ix_invoice_partner_day", "partner_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=16, unique=True)
    kind: str = Field(max_length=16)  # sales | purchase | credit_note
    partner_id: int = Field(foreign_key="partner.id")
    order_ref: str = Field(max_length=16)
    # Which shipment, receipt or return of its order (1 for the first); None for a shipment
    # made before shipments were numbered (its moves are those of the order at `at`).
    doc_no: int | None = Field(default=None)
    at: datetime = Field(sa_type=UTCDateTime())
    day: date = Field()
    due: date = Field()
    total: Decimal = Field(default=Decimal(0), sa_type=Money())
    paid: Decimal = Field(default=Decimal(0), sa_type=Money())
    status: str = Field(default="open", max_length=16)  # open | paid


class Payment(Base, table=True):
    """Money received from a customer or paid to a supplier (`PAY-0001`)."""

    __tablename__ = "payment"
    __table_args__ = (
        Index("ix_payment_partner_status", "partner_id", "status"),
        Index("ix_payment_partner_day", "partner_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=16, unique=True)
    kind: str = Field(max_length=8)  # receive | pay
    partner_id: int = Field(foreign_key="partner.id")
    amount: Decimal = Field(default=Decimal(0), sa_type=Money())
    unallocated: Decimal = Field(default=Decimal(0), sa_type=Money())
    status: str = Field(default="open", max_length=16)  # open (some unallocated) | allocated
    at: datetime = Field(sa_type=UTCDateTime())
    day: date = Field()
    user_name: str = Field(default="", max_length=64)


class Allocation(Base, table=True):
    """A part of a payment or of a credit note set against an invoice."""

    __tablename__ = "allocation"

    id: int | None = Field(default=None, primary_key=True)
    invoice_id: int = Field(foreign_key="invoice.id", index=True)
    payment_id: int | None = Field(default=None, foreign_key="payment.id", index=True)
    credit_note_id: int | None = Field(default=None, foreign_key="invoice.id", index=True)
    amount: Decimal = Field(default=Decimal(0), sa_type=Money())
    at: datetime = Field(sa_type=UTCDateTime())
