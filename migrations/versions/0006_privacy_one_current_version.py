"""one current version per meeting (body and date), enforced by the database

Revision ID: 0006_privacy
Revises: 0005
Create Date: 2026-12-05

Two corrected versions imported at the same moment could both stay current.
Older databases may hold such pairs: the newest (highest id) stays current
and the others become superseded versions before the index is built.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_privacy"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE meeting SET is_current = false WHERE is_current AND EXISTS ("
        " SELECT 1 FROM meeting AS newer WHERE newer.body_id = meeting.body_id"
        " AND newer.date = meeting.date AND newer.is_current AND newer.id > meeting.id)"
    )
    op.create_index(
        "uq_meeting_one_current",
        "meeting",
        ["body_id", "date"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )


def downgrade() -> None:
    op.drop_index("uq_meeting_one_current", table_name="meeting")
