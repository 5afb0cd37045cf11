"""Playlists go to the bin too.

A playlist no schedule and no board uses can be deleted from the admin and the API; like a
slogan, banner, schedule or board group it waits 30 days in the bin ("Thùng rác") before it
is removed for good, so playlists gain ``deleted_at``/``deleted_by``.

Revision ID: 0009_playlist_bin
Revises: 0008_proof_index
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_playlist_bin"
down_revision = "0008_proof_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("playlists") as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("deleted_by", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("playlists") as batch_op:
        batch_op.drop_column("deleted_by")
        batch_op.drop_column("deleted_at")
