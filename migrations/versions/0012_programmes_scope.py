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
    # A plain ADD COLUMN (a nullable reference is allowed on SQLite too): a
    # batch copy of body would drop a table that meetings refer to.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("body", "person", "apitoken"):
        if sqlite:  # Alembic refuses the constraint here; SQLite itself takes it.
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN programme_id INTEGER REFERENCES programme (id)"
            )
        else:
            op.add_column(
                table,
                sa.Column(
                    "programme_id", sa.Integer(), sa.ForeignKey("programme.id"), nullable=True
                ),
            )
    for table in ("body", "person"):
        op.create_index(f"ix_{table}_programme_id", table, ["programme_id"])
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
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        # The batch copy drops and re-creates body and person, which other
        # tables refer to; SQLite only turns reference checks off between
        # transactions (tracker.db runs pysqlite without its own BEGIN).
        op.execute("COMMIT")
        op.execute("PRAGMA foreign_keys=OFF")
        op.execute("BEGIN")
    for table in ("person", "body"):
        op.drop_index(f"ix_{table}_programme_id", table_name=table)
    for table in ("apitoken", "person", "body"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("programme_id")
    op.drop_table("userprogramme")
    op.drop_table("programme")
    if sqlite:
        op.execute("COMMIT")
        op.execute("PRAGMA foreign_keys=ON")
        op.execute("BEGIN")
