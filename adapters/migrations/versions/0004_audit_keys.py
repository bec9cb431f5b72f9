"""the audit row of a keyed command is its idempotency record (requestkey folded into audit)

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import domain.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

KEYED = "key <> ''"


def upgrade() -> None:
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "command_hash",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(sa.Column("ok", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(
            sa.Column(
                "result", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
            )
        )
    # Each stored key had one audit row (written with it); the key's record moves onto it. A
    # key without one keeps its record in a row of its own.
    op.execute(
        """
        UPDATE audit SET
            command_hash = (SELECT r.command_hash FROM requestkey r WHERE r."key" = audit."key"),
            ok = (SELECT r.ok FROM requestkey r WHERE r."key" = audit."key"),
            result = (SELECT r.result FROM requestkey r WHERE r."key" = audit."key")
        WHERE audit."key" IN (SELECT "key" FROM requestkey)
        """
    )
    op.execute(
        """
        INSERT INTO audit (at, user_name, intent, "key", detail, command_hash, ok, result)
        SELECT r.at, r.user_name, '', r."key", '', r.command_hash, r.ok, r.result
        FROM requestkey r WHERE r."key" NOT IN (SELECT "key" FROM audit)
        """
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.create_index(
            "ux_audit_key",
            ["key"],
            unique=True,
            sqlite_where=sa.text(KEYED),
            postgresql_where=sa.text(KEYED),
        )
    op.drop_table("requestkey")


def downgrade() -> None:
    op.create_table(
        "requestkey",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("command_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("result", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", domain.types.UTCDateTime(), nullable=False),
        sa.Column("user_name", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.execute(
        f"""
        INSERT INTO requestkey ("key", command_hash, ok, result, at, user_name)
        SELECT "key", command_hash, ok, result, at, user_name FROM audit WHERE {KEYED}
        """
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.drop_index("ux_audit_key")
        batch_op.drop_column("result")
        batch_op.drop_column("ok")
        batch_op.drop_column("command_hash")
