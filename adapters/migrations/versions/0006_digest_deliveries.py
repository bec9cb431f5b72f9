"""digests are deliveries: a delivery may have no alert, and carry a chart

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.alter_column("alert_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column("attachment", sa.String(length=500), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM delivery WHERE alert_id IS NULL")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_column("attachment")
        batch_op.alter_column("alert_id", existing_type=sa.Integer(), nullable=False)
