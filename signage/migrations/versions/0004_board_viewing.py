"""Boards have a pixel pitch (mm) and a viewing distance (m): the renderer sizes text for them.

Revision ID: 0004_board_viewing
Revises: 0003_user_sessions
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_board_viewing"
down_revision = "0003_user_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every existing board gets the defaults: P10 modules (10 mm) read from 25 m.
    with op.batch_alter_table("boards") as batch_op:
        batch_op.add_column(sa.Column("pitch_mm", sa.Float(), nullable=False, server_default="10.0"))
        batch_op.add_column(sa.Column("viewing_m", sa.Float(), nullable=False, server_default="25.0"))


def downgrade() -> None:
    with op.batch_alter_table("boards") as batch_op:
        batch_op.drop_column("viewing_m")
        batch_op.drop_column("pitch_mm")
