"""chat deliveries taken in; where each alert delivery was posted

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

import domain.types

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbound",
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("delivery_id", sa.String(length=128), nullable=False),
        sa.Column("received_at", domain.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "delivery_id"),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.add_column(sa.Column("platform_ref", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_column("platform_ref")
    op.drop_table("inbound")
