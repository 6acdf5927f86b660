"""Start-up integrity check and daily backups."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from asiria_desktop.local_db.health import (
    DatabaseDamaged,
    backups,
    daily_backup,
    latest_backup,
    quick_check,
)

DAY = date(2026, 11, 24)


def make_file(path: Path, rows: int = 2000) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("CREATE INDEX t_body ON t(body)")
    conn.executemany("INSERT INTO t(body) VALUES (?)", [(f"row {i} " * 8,) for i in range(rows)])
    conn.commit()
    conn.close()


def test_a_good_file_passes(tmp_path: Path) -> None:
    make_file(tmp_path / "till.sqlite3")
    quick_check(tmp_path / "till.sqlite3", tmp_path / "backups")


def test_a_file_that_is_not_a_database_names_the_last_backup(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    make_file(path)
    backup_dir = tmp_path / "backups"
    daily_backup(path, backup_dir, date(2026, 11, 22))
    daily_backup(path, backup_dir, DAY)
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(DatabaseDamaged) as damaged:
        quick_check(path, backup_dir)
    assert damaged.value.last_good_backup == backup_dir / "till-2026-11-24.sqlite3"
    message = damaged.value.message
    assert "is damaged" in message and "till-2026-11-24.sqlite3" in message
    assert "Traceback" not in message


def test_damaged_pages_inside_the_file_are_found(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    make_file(path)
    with path.open("r+b") as f:  # scribble over pages in the middle, keep the header
        f.seek(4096 * 3)
        f.write(b"\xff" * 4096 * 4)
    with pytest.raises(DatabaseDamaged) as damaged:
        quick_check(path, tmp_path / "backups")
    assert damaged.value.last_good_backup is None
    assert "No backup was found" in damaged.value.message


def test_build_till_refuses_a_damaged_file_in_plain_language(
    tmp_path: Path, make_till: Any
) -> None:
    till = make_till(seed=False, data_dir=tmp_path / "shop")
    till.close()
    till.config.database_path.write_bytes(b"\x00garbage" * 1000)
    for suffix in ("-wal", "-shm"):
        Path(str(till.config.database_path) + suffix).unlink(missing_ok=True)
    with pytest.raises(DatabaseDamaged) as damaged:
        make_till(seed=False, data_dir=tmp_path / "shop")
    assert "till-2026-11-24.sqlite3" in damaged.value.message  # made at the first start


def test_one_backup_per_day_newest_kept(tmp_path: Path) -> None:
    path = tmp_path / "till.sqlite3"
    make_file(path, rows=10)
    backup_dir = tmp_path / "backups"
    made = daily_backup(path, backup_dir, DAY, keep=3)
    assert made is not None and made.name == "till-2026-11-24.sqlite3"
    assert daily_backup(path, backup_dir, DAY, keep=3) is None  # once per day
    conn = sqlite3.connect(made)
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (10,)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    for day in range(25, 30):
        daily_backup(path, backup_dir, date(2026, 11, day), keep=3)
    assert [p.name for p in backups(backup_dir)] == [
        "till-2026-11-27.sqlite3",
        "till-2026-11-28.sqlite3",
        "till-2026-11-29.sqlite3",
    ]
    assert latest_backup(backup_dir) == backup_dir / "till-2026-11-29.sqlite3"
    assert not list(backup_dir.glob("*.partial"))


def test_the_till_backs_up_on_start_and_when_due(make_till: Any, core_clock: Any) -> None:
    till = make_till(seed=False)
    backup_dir = till.config.backup_dir
    assert [p.name for p in backups(backup_dir)] == ["till-2026-11-24.sqlite3"]
    assert till.database.backup_if_due(core_clock.now().date()) is None
    core_clock.advance(days=1)
    assert till.database.backup_if_due(core_clock.now().date()).name == "till-2026-11-25.sqlite3"


def test_the_backup_timer_checks_again_while_the_till_runs() -> None:
    import threading

    from asiria_desktop.local_db.backup_timer import DailyBackupTimer

    called = threading.Event()
    days: list[date] = []

    def backup_if_due(day: date) -> Path | None:
        days.append(day)
        called.set()
        if len(days) == 1:
            raise OSError("disk full")  # a failed backup is logged; the timer keeps going
        return None

    timer = DailyBackupTimer(backup_if_due, lambda: DAY, interval_seconds=0.01)
    timer.start()
    try:
        assert called.wait(10)
        called.clear()
        assert called.wait(10)
    finally:
        timer.stop()
    assert days[:2] == [DAY, DAY]
