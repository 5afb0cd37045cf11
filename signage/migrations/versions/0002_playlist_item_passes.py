"""Playlist items may play for a number of passes of their scroll or effect instead of a duration.

Revision ID: 0002_playlist_item_passes
Revises: 0001_baseline
Create Date: 2026-01-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_playlist_item_passes"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable, no default: every existing item keeps playing for its duration.
    with op.batch_alter_table("playlist_items") as batch_op:
        batch_op.add_column(sa.Column("passes", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("playlist_items") as batch_op:
        batch_op.drop_column("passes")
