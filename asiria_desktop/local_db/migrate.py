"""Apply the Alembic migrations shipped inside the package (``upgrade head``) on start.

Alembic (with Mako and Pygments) takes 110-160 ms to import, and on almost every start the
database is already current. So the start reads ``alembic_version`` with a plain query and
compares it with ``HEAD_REVISION``; Alembic is imported only when there is something to do.
``HEAD_REVISION`` must name the newest file in ``migrations/versions`` (a test checks it against
Alembic's own head: update it with each new migration).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
HEAD_REVISION = "0009_basket_hints"


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Create or update the schema; does nothing (and imports no Alembic) when the database is
    already at ``HEAD_REVISION``."""
    if stamped_revisions(engine) == [HEAD_REVISION]:
        return
    from alembic import command

    config = alembic_config()
    if current_revision(engine) == head_revision():
        return
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def stamped_revisions(engine: Engine) -> list[str]:
    """The revisions in ``alembic_version`` (none for a new or never-migrated database)."""
    with engine.connect() as connection:
        try:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        except OperationalError:  # no such table
            return []
    return [str(row[0]) for row in rows]


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
