"""Proof of play reads a page at a time in the order it shows, off an index.

The proof-of-play page lists the newest records first (ties by id), for all boards or for
one, and counts at most a thousand of them; both orders get an index so a page view reads
its hundred rows however many millions the table holds.

Revision ID: 0008_proof_index
Revises: 0007_version_counter
Create Date: 2026-12-04
"""

from alembic import op

revision = "0008_proof_index"
down_revision = "0007_version_counter"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_proof_of_play_start_id", "proof_of_play", ["actual_start", "id"])
    op.create_index("ix_proof_of_play_board_start_id", "proof_of_play", ["board_slug", "actual_start", "id"])


def downgrade() -> None:
    op.drop_index("ix_proof_of_play_board_start_id", table_name="proof_of_play")
    op.drop_index("ix_proof_of_play_start_id", table_name="proof_of_play")
