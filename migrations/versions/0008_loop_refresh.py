"""keep outcomes current: outcome basis, refresh jobs, chair's checks, agenda requests

Revision ID: 0008_loop
Revises: 0007_service
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0008_loop"
down_revision: str | None = "0007_service"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.add_column(sa.Column("basis", _S(), nullable=False, server_default="suggested"))
    op.create_table(
        "refreshjob",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _S(), nullable=False),
        sa.Column("key", _S(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", _S(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "pointcheck",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("result", _S(), nullable=False),
        sa.Column("checked_by", _S(), nullable=False),
        sa.Column("checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contribution_id"], ["contribution.id"]),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contribution_id", "meeting_id"),
    )
    op.create_index("ix_pointcheck_contribution_id", "pointcheck", ["contribution_id"])
    op.create_index("ix_pointcheck_meeting_id", "pointcheck", ["meeting_id"])
    op.create_table(
        "agendarequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contribution_id", sa.Integer(), nullable=False),
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("lxps_invited", sa.Boolean(), nullable=False),
        sa.Column("status", _S(), nullable=False),
        sa.Column("taken_up_meeting_id", sa.Integer(), nullable=True),
        sa.Column("requested_by", _S(), nullable=False),
        sa.Column("requested_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contribution_id"], ["contribution.id"]),
        sa.ForeignKeyConstraint(["body_id"], ["body.id"]),
        sa.ForeignKeyConstraint(["taken_up_meeting_id"], ["meeting.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_agendarequest_contribution_id", "agendarequest", ["contribution_id"])
    op.create_index("ix_agendarequest_body_id", "agendarequest", ["body_id"])
    # Existing outcomes have no basis yet: a full refresh works it out.
    op.execute(
        "INSERT INTO refreshjob (kind, key, created_at, attempts) "
        "SELECT 'all', '', CURRENT_TIMESTAMP, 0 WHERE EXISTS (SELECT 1 FROM outcome)"
    )


def downgrade() -> None:
    op.drop_index("ix_agendarequest_body_id", table_name="agendarequest")
    op.drop_index("ix_agendarequest_contribution_id", table_name="agendarequest")
    op.drop_table("agendarequest")
    op.drop_index("ix_pointcheck_meeting_id", table_name="pointcheck")
    op.drop_index("ix_pointcheck_contribution_id", table_name="pointcheck")
    op.drop_table("pointcheck")
    op.drop_table("refreshjob")
    with op.batch_alter_table("outcome", schema=None) as batch_op:
        batch_op.drop_column("basis")
