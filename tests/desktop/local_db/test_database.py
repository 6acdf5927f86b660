"""The database file: migrations, pragmas, write locking, gap-free sequences, repositories."""

from __future__ import annotations

import itertools
import sqlite3
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from asiria_desktop.local_db import event_repos
from asiria_desktop.local_db.database import TillDatabase
from asiria_desktop.local_db.migrate import (
    HEAD_REVISION,
    current_revision,
    head_revision,
    stamped_revisions,
)
from asiria_desktop.ports.records import ParkedCartRecord, ShiftRecord, StockMovementRecord

NAIROBI = timezone(timedelta(hours=3))
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=NAIROBI)
TABLES = {
    "products", "products_fts", "categories", "users", "sales", "sale_lines", "sale_payments",
    "refunds", "refund_lines", "voids", "shifts", "cash_movements", "parked_carts",
    "stock_movements", "audit_log", "outbox", "sequences", "settings", "sync_state",
    "notices", "notice_seen", "customers", "mpesa_prompts",
}  # fmt: skip


def open_db(path: Path) -> TillDatabase:
    counter = itertools.count(1)
    return TillDatabase.open(
        path,
        backup_dir=path.parent / "backups",
        ids=lambda: f"00000000-0000-7000-8000-{next(counter):012d}",
        terminal_code="T01",
        today=date(2026, 11, 24),
    )


@pytest.fixture
def db(tmp_path: Path) -> TillDatabase:
    database = open_db(tmp_path / "till.sqlite3")
    yield database
    database.close()


def test_migrations_create_the_schema_on_an_empty_file_and_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    first = open_db(path)
    first.close()
    conn = sqlite3.connect(path)
    names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    triggers = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    schema_before = conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    conn.close()
    assert names >= TABLES
    assert triggers == {
        "products_fts_ai",
        "products_fts_ad",
        "products_fts_au",
        "audit_log_no_update",
        "audit_log_no_delete",
    }

    again = open_db(path)  # a second start changes nothing
    assert current_revision(again.engine) == head_revision() == "0009_basket_hints"
    again.close()
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema_before
    conn.close()


def test_the_head_revision_constant_is_alembics_head() -> None:
    """``HEAD_REVISION`` lets a start skip importing Alembic: it must follow new migrations."""
    assert head_revision() == HEAD_REVISION


def test_a_database_behind_head_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    open_db(path).close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE stock_levels")  # as a till on revision 0001 had it
    conn.execute("DROP TABLE tax_classes")
    conn.execute("DROP TABLE open_cart")
    conn.execute("DROP TABLE documents")
    conn.execute("DROP TABLE biometric_credentials")  # and as it had no 0003 either
    conn.execute("DROP TABLE basket_hints")  # nor the hints of 0009
    conn.execute("DROP INDEX ix_sales_completed_at")
    conn.execute("DROP TABLE mpesa_prompts")  # nor the prompts of 0006
    conn.execute("DROP TABLE notices")  # nor the notices of 0007
    conn.execute("DROP TABLE notice_seen")
    conn.execute("DROP TABLE customers")  # nor the customers of 0008
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("UPDATE alembic_version SET version_num = '0001_initial'")
    conn.commit()
    conn.close()
    again = open_db(path)
    assert stamped_revisions(again.engine) == [HEAD_REVISION]
    with again.engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM tax_classes").scalar() == 0
        assert connection.exec_driver_sql("SELECT count(*) FROM open_cart").scalar() == 0
    again.close()


def test_sequences_are_one_statement_and_start_at_one(
    db: TillDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.uow() as uow:
        assert uow.sequences.peek("receipt") == 0
        assert [uow.sequences.next("receipt") for _ in range(3)] == [1, 2, 3]
        assert uow.sequences.peek("receipt") == 3
        uow.commit()
    monkeypatch.setattr(event_repos, "HAS_RETURNING", False)  # SQLite older than 3.35
    with db.uow() as uow:
        assert uow.sequences.next("receipt") == 4
        assert uow.sequences.next("other") == 1
        assert uow.sequences.next("other") == 2
        uow.commit()
    with db.uow(read_only=True) as uow:
        assert (uow.sequences.peek("receipt"), uow.sequences.peek("other")) == (4, 2)


def test_stock_movements_are_added_in_one_go(db: TillDatabase) -> None:
    moves = [
        StockMovementRecord(f"m{n}", "p1", -1000 * n, "sale", "s1", NOW, {"n": n}) for n in (1, 2)
    ]
    with db.uow() as uow:
        uow.stock.add_many(moves)
        uow.stock.add(StockMovementRecord("m3", "p2", 500, "adjust", None, NOW))
        uow.stock.add_many([])
        uow.commit()
    with db.uow(read_only=True) as uow:
        assert uow.stock.on_hand_milli("p1") == -3000
        assert uow.stock.on_hand_milli("p2") == 500
    conn = sqlite3.connect(db.path)
    rows = conn.execute("SELECT id, at, extra FROM stock_movements ORDER BY id").fetchall()
    conn.close()
    assert rows[0] == ("m1", "2026-11-24T09:00:00+03:00", '{"n":1}')
    with db.uow() as uow, pytest.raises(ValueError, match="timezone-aware"):
        uow.stock.add_many([StockMovementRecord("m4", "p1", 1, "sale", None, datetime(2026, 1, 1))])


def test_connections_use_wal_full_sync_and_foreign_keys(db: TillDatabase) -> None:
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_a_writer_takes_the_write_lock_at_begin(db: TillDatabase) -> None:
    other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
    try:
        # BEGIN IMMEDIATE takes the lock before any statement runs.
        with db.uow(), pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        with db.uow(read_only=True):  # a reader takes no write lock
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_outbox_seq_is_gap_free_even_after_a_rollback(db: TillDatabase) -> None:
    with db.uow() as uow:
        assert uow.outbox.append("drawer.opened", {"n": 1}, NOW).seq == 1
        uow.commit()
    with db.uow() as uow:
        assert uow.outbox.append("drawer.opened", {"n": 2}, NOW).seq == 2
        # no commit: rolled back, number 2 is given back
    with db.uow() as uow:
        entry = uow.outbox.append("drawer.opened", {"n": 3}, NOW)
        uow.commit()
    assert entry.seq == 2
    assert entry.envelope() == {
        "id": entry.id,
        "type": "drawer.opened",
        "seq": 2,
        "recorded_at": "2026-11-24T09:00:00+03:00",
        "payload": {"n": 3},
    }
    with db.uow(read_only=True) as uow:
        assert [e.seq for e in uow.outbox.pending()] == [1, 2]
        assert uow.outbox.count_unsent() == 2


def test_writers_on_several_threads_queue_and_keep_seq_gap_free(db: TillDatabase) -> None:
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(15):
                with db.uow() as uow:
                    uow.outbox.append("cash.moved", {"thread": n, "i": i}, NOW)
                    uow.commit()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.uow(read_only=True) as uow:
        assert [e.seq for e in uow.outbox.pending(limit=100)] == list(range(1, 61))


def test_outbox_delivery_state_for_the_sync_pusher(db: TillDatabase) -> None:
    with db.uow() as uow:
        first = uow.outbox.append("shift.opened", {}, NOW)
        second = uow.outbox.append("shift.closed", {}, NOW)
        uow.commit()
    with db.uow() as uow:
        uow.outbox.mark_sent([first.id], NOW)
        uow.outbox.mark_rejected(second.id, "invalid")
        uow.commit()
    with db.uow(read_only=True) as uow:
        assert uow.outbox.pending() == []
        assert uow.outbox.count_unsent() == 1  # rejected stays visible, never dropped


def test_read_only_units_cannot_commit(db: TillDatabase) -> None:
    with db.uow(read_only=True) as uow, pytest.raises(RuntimeError):
        uow.commit()


def test_parked_carts_shifts_and_settings_round_trip(db: TillDatabase) -> None:
    snapshot = {"version": 1, "lines": [], "payments": []}
    with db.uow() as uow:
        uow.parked.add(ParkedCartRecord("p1", "Table 4", None, NOW, snapshot))
        uow.shifts.add(ShiftRecord("s1", "T01", "u1", NOW, 5000))
        uow.settings.set("k", "v")
        uow.settings.set("k", "w")
        uow.commit()
    with db.uow() as uow:
        assert uow.parked.get("p1") == ParkedCartRecord("p1", "Table 4", None, NOW, snapshot)
        assert uow.shifts.open_for_terminal() == ShiftRecord("s1", "T01", "u1", NOW, 5000)
        assert uow.settings.get("k") == "w"
        uow.shifts.close("s1", NOW + timedelta(hours=8), "u1", 5000)
        uow.parked.remove("p1")
        uow.commit()
    with db.uow(read_only=True) as uow:
        assert uow.shifts.open_for_terminal() is None
        assert uow.parked.all() == []
        assert uow.shifts.get("s1").closed_at == NOW + timedelta(hours=8)


def test_naive_datetimes_are_refused(db: TillDatabase) -> None:
    with db.uow() as uow, pytest.raises(Exception, match="timezone-aware"):
        uow.shifts.add(ShiftRecord("s1", "T01", "u1", datetime(2026, 1, 1), 0))


def test_the_models_match_the_migrations(db: TillDatabase) -> None:
    """A model changed without a new migration would show up here as a difference."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from asiria_desktop.local_db.models import Base

    def ours(
        obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
    ) -> bool:
        return not (type_ == "table" and name and name.startswith("products_fts"))

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": ours})
        assert compare_metadata(context, Base.metadata) == []


def test_only_a_non_durable_write_skips_the_flush_to_disk(db: TillDatabase) -> None:
    """The open cart is written with synchronous=NORMAL; every other write, even on the same
    pooled connection right after it, keeps FULL."""

    def level(uow: Any) -> int:
        return int(uow._require().connection().exec_driver_sql("PRAGMA synchronous").scalar())

    for _ in range(2):
        with db.uow(durable=False) as uow:
            assert level(uow) == 1  # NORMAL
        with db.uow() as uow:
            assert level(uow) == 2  # FULL
        with db.uow(read_only=True) as uow:
            assert level(uow) == 2
