"""dashboard indexes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("agendaitem", schema=None) as batch_op:
        batch_op.create_index(
            "ix_agendaitem_meeting_lead",
            ["meeting_id", "lead_person_id", "lead_group"],
            unique=False,
        )
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contribution_meeting_speaker",
            ["meeting_id", "speaker_person_id", "speaker_group"],
            unique=False,
        )
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.create_index("ix_outcome_status", ["status", "credited"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_index("ix_outcome_status")
    with op.batch_alter_table("contribution", schema=None) as batch_op:
        batch_op.drop_index("ix_contribution_meeting_speaker")
    with op.batch_alter_table("agendaitem", schema=None) as batch_op:
        batch_op.drop_index("ix_agendaitem_meeting_lead")
