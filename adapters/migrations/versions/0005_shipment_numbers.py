"""shipments numbered: how many an order has had, and which one each sale move belongs to

Revision ID: 0005
Revises: 0004

Sale moves written before this revision have no number (and their orders count no shipments):
the reports take the moves of one order made at one instant as one shipment for them, as
before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stockmove", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipment", sa.Integer(), nullable=True))
    with op.batch_alter_table("salesorder", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shipments", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("salesorder", schema=None) as batch_op:
        batch_op.drop_column("shipments")
    with op.batch_alter_table("stockmove", schema=None) as batch_op:
        batch_op.drop_column("shipment")
