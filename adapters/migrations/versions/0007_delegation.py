"""approvers name a stand-in until a date; a decision records whom it was made for

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import domain.types

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "delegation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delegator", sa.String(length=64), nullable=False),
        sa.Column("delegate", sa.String(length=64), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("created_at", domain.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("delegator"),
    )
    op.create_index(op.f("ix_delegation_delegate"), "delegation", ["delegate"], unique=False)
    with op.batch_alter_table("approvalrequest", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("approvalrequest", schema=None) as batch_op:
        batch_op.drop_column("on_behalf_of")
    op.drop_index(op.f("ix_delegation_delegate"), table_name="delegation")
    op.drop_table("delegation")
