"""One SQLAlchemy engine per till database file, set up for a till that must never lose a sale.

WAL lets the UI read while the single writer commits; ``synchronous=FULL`` makes each commit
durable across a power cut; pysqlite's own transaction handling is switched off so that every
transaction starts with an explicit ``BEGIN`` we choose: ``BEGIN IMMEDIATE`` for writers (the
write lock is taken up front, so two writers queue on ``busy_timeout`` instead of failing
half-way), a plain deferred ``BEGIN`` for readers.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event

WRITE_OPTION = "asiria_write"
# SQLite's synchronous level for one transaction: FULL (the default) fsyncs every commit;
# NORMAL, for writes a power cut may lose but a crash of the till must not (the open cart),
# leaves the WAL to the operating system until the next checkpoint.
SYNCHRONOUS_OPTION = "asiria_synchronous"
BUSY_TIMEOUT_MS = 5000


def create_till_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        # Python's own lower-casing for product search ordering (SQLite's lower() folds ASCII
        # only); see catalog_repos.SqlProductRepository.search.
        dbapi_connection.create_function("py_lower", 1, _py_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        # Set on every transaction (SQLite refuses it inside one), so a pooled connection that
        # last served a NORMAL write is back to FULL for the next sale.
        level = "NORMAL" if options.get(SYNCHRONOUS_OPTION) == "NORMAL" else "FULL"
        conn.exec_driver_sql(f"PRAGMA synchronous={level}")
        immediate = options.get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _py_lower(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    return value.lower() if isinstance(value, str) else value


def writer(engine: Engine) -> Engine:
    """The same engine, but every transaction on it starts with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(**{WRITE_OPTION: True})


def light_writer(engine: Engine) -> Engine:
    """A writer whose commits survive a crash of the process, not necessarily a power cut."""
    return engine.execution_options(**{WRITE_OPTION: True, SYNCHRONOUS_OPTION: "NORMAL"})
