"""Deleted content waits 30 days in the bin; proof of play names what the board showed; a
one-colour board's LED colour.

Slogans, banners, schedules and board groups gain ``deleted_at``/``deleted_by``: a delete
moves the row to the bin ("Thùng rác") instead of removing it, so it can be brought back.
Proof of play gains ``source_label`` (the schedule's or playlist's name, which ``item_label``
held until now); ``item_label`` now holds the slogan's text, the banner's name or the notice's
text, and the rows already stored are rewritten that way where the content still exists.
Boards gain ``led_color``, the colour a one-colour board lights in (red unless told).

Revision ID: 0006_soft_delete
Revises: 0005_recurring_schedules
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_soft_delete"
down_revision = "0005_recurring_schedules"
branch_labels = None
depends_on = None

SOFT_DELETED = ("slogans", "banners", "schedules", "board_groups")

#: Where the words of an item id ("slogan:42") are found, for the rows recorded before.
CONTENT = (("slogan", "slogans", "text"), ("banner", "banners", "name"))


def upgrade() -> None:
    for table in SOFT_DELETED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("deleted_at", sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column("deleted_by", sa.String(length=80), nullable=True))
    with op.batch_alter_table("proof_of_play") as batch_op:
        batch_op.add_column(sa.Column("source_label", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("boards") as batch_op:  # the common red P10 modules
        batch_op.add_column(
            sa.Column("led_color", sa.String(length=7), nullable=False, server_default="#ff2810")
        )
    op.execute("UPDATE proof_of_play SET source_label = item_label WHERE item_id NOT LIKE 'notice:%'")
    for prefix, table, column in CONTENT:
        match = f"'{prefix}:' || {table}.id = proof_of_play.item_id"
        op.execute(
            f"UPDATE proof_of_play SET item_label = "
            f"(SELECT {table}.{column} FROM {table} WHERE {match}) "
            f"WHERE EXISTS (SELECT 1 FROM {table} WHERE {match})"
        )


def downgrade() -> None:
    with op.batch_alter_table("boards") as batch_op:
        batch_op.drop_column("led_color")
    op.execute("UPDATE proof_of_play SET item_label = source_label WHERE source_label <> ''")
    with op.batch_alter_table("proof_of_play") as batch_op:
        batch_op.drop_column("source_label")
    for table in SOFT_DELETED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("deleted_by")
            batch_op.drop_column("deleted_at")
