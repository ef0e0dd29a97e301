"""programmes: every body and person belongs to one; sign-ins get a set

Revision ID: 0012_programmes
Revises: 0011_queue
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0012_programmes"
down_revision: str | None = "0011_queue"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEFAULT = "Default programme"


def upgrade() -> None:
    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "userprogramme",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"]),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"]),
        sa.PrimaryKeyConstraint("user_id", "programme_id"),
    )
    for table in ("body", "person"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
            batch.create_foreign_key(
                f"fk_{table}_programme_id", "programme", ["programme_id"], ["id"]
            )
            batch.create_index(f"ix_{table}_programme_id", ["programme_id"])
    with op.batch_alter_table("apitoken") as batch:
        batch.add_column(sa.Column("programme_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_apitoken_programme_id", "programme", ["programme_id"], ["id"])
    # Least privilege from the start: everything that exists joins one
    # default programme, and so does every existing sign-in.
    bind = op.get_bind()
    bind.execute(sa.text("INSERT INTO programme (name) VALUES (:n)"), {"n": DEFAULT})
    pid = bind.execute(sa.text("SELECT id FROM programme WHERE name = :n"), {"n": DEFAULT}).scalar()
    bind.execute(sa.text("UPDATE body SET programme_id = :p"), {"p": pid})
    bind.execute(sa.text("UPDATE person SET programme_id = :p"), {"p": pid})
    bind.execute(
        sa.text('INSERT INTO userprogramme (user_id, programme_id) SELECT id, :p FROM "user"'),
        {"p": pid},
    )


def downgrade() -> None:
    with op.batch_alter_table("apitoken") as batch:
        batch.drop_constraint("fk_apitoken_programme_id", type_="foreignkey")
        batch.drop_column("programme_id")
    for table in ("person", "body"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_programme_id")
            batch.drop_constraint(f"fk_{table}_programme_id", type_="foreignkey")
            batch.drop_column("programme_id")
    op.drop_table("userprogramme")
    op.drop_table("programme")
