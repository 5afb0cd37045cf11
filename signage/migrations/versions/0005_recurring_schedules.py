"""Schedules may repeat every year on a solar or a lunar date; slogans name their source document.

Revision ID: 0005_recurring_schedules
Revises: 0004_board_viewing
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_recurring_schedules"
down_revision = "0004_board_viewing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Server defaults: every existing schedule stays daily, every slogan has no source yet.
    with op.batch_alter_table("schedules") as batch_op:
        batch_op.add_column(sa.Column("repeat", sa.String(10), nullable=False, server_default="daily"))
        batch_op.add_column(sa.Column("repeat_month", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("repeat_day", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("repeat_leap", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("repeat_days", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("slogans") as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("slogans") as batch_op:
        batch_op.drop_column("source")
    with op.batch_alter_table("schedules") as batch_op:
        for name in ("repeat_days", "repeat_leap", "repeat_day", "repeat_month", "repeat"):
            batch_op.drop_column(name)
