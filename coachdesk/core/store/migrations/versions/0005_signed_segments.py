"""Data format 5: changes signed by their authors, and changes held back.

Revision ID: 0005
Revises: 0004

A change is accepted only under its author's own signature, whoever relays it (issue 15): each
change names the author's signed segment that carries its digest, and the segments are kept so
that they can be relayed unchanged. A change stamped too far ahead of this laptop's clock waits
in sync_held_change until the clock catches up.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("change", schema=None) as batch_op:
        batch_op.add_column(sa.Column("segment_seq", sa.Integer(), nullable=True))
    op.create_table(
        "sync_signed_segment",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("signed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq"),
    )
    op.create_table(
        "sync_held_change",
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("record_type", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("hlc", sa.String(length=80), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("supersedes", sa.Text(), nullable=False),
        sa.Column("segment_seq", sa.Integer(), nullable=True),
        sa.Column("bundle_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("held_at", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("change_id"),
    )
    op.create_index("ix_sync_held_change_hlc", "sync_held_change", ["hlc"])


def downgrade() -> None:
    raise NotImplementedError("coachdesk never downgrades a profile; restore a backup instead")
