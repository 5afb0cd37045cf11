"""Every record an edit form or the API changes gets a version counter (``row_version``).

Optimistic concurrency moves into the UPDATE: SQLAlchemy's ``version_id_col`` writes
``... WHERE row_version = <the version read>`` and raises the counter, so of two saves made
from one version only one finds the row. The rows already stored start at version 1.

Revision ID: 0007_version_counter
Revises: 0006_soft_delete
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_version_counter"
down_revision = "0006_soft_delete"
branch_labels = None
depends_on = None

#: The tables of ``signage.models.Versioned`` records.
VERSIONED = (
    "boards",
    "slogans",
    "banners",
    "playlists",
    "board_groups",
    "campaigns",
    "phases",
    "schedules",
    "urgent_notices",
)


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("row_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("row_version")
