"""Alembic environment for the till database; run programmatically by ``local_db.migrate``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from asiria_desktop.local_db.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER a table by copying it
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:  # the `alembic` command line, used to write new revisions
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///till-dev.sqlite3"
    with create_engine(url).connect() as conn:
        _run(conn)
else:
    _run(connection)
