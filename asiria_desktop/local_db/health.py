"""Start-up health of the database file: a quick integrity check and daily online backups."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import date
from pathlib import Path

BACKUP_PREFIX = "till-"
BACKUP_SUFFIX = ".sqlite3"


class DatabaseDamaged(Exception):
    """The database file failed its integrity check; ``message`` says what to do in plain words."""

    def __init__(self, path: Path, last_good_backup: Path | None, detail: str = "") -> None:
        self.path = path
        self.last_good_backup = last_good_backup
        self.detail = detail
        if last_good_backup is not None:
            advice = (
                f"The last good backup is {last_good_backup.name} "
                f"(in {last_good_backup.parent}). Restore it, or call for support."
            )
        else:
            advice = "No backup was found. Do not delete the file; call for support."
        self.message = (
            f"The till's database file {path} is damaged and cannot be used safely. {advice}"
        )
        super().__init__(self.message)


def quick_check(path: Path, backup_dir: Path) -> None:
    """``PRAGMA quick_check`` on the file; raises ``DatabaseDamaged`` naming the last backup."""
    if not path.exists():
        return
    problem = ""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
        if rows != [("ok",)]:
            problem = "; ".join(str(row[0]) for row in rows[:5])
    except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"...
        problem = str(exc)
    if problem:
        raise DatabaseDamaged(path, latest_backup(backup_dir), problem)


def backups(backup_dir: Path) -> list[Path]:
    """Backup files, oldest first (their names carry the date)."""
    if not backup_dir.is_dir():
        return []
    return sorted(backup_dir.glob(f"{BACKUP_PREFIX}*{BACKUP_SUFFIX}"))


def latest_backup(backup_dir: Path) -> Path | None:
    found = backups(backup_dir)
    return found[-1] if found else None


def backup_path(backup_dir: Path, day: date) -> Path:
    return backup_dir / f"{BACKUP_PREFIX}{day.isoformat()}{BACKUP_SUFFIX}"


def daily_backup(path: Path, backup_dir: Path, today: date, keep: int = 14) -> Path | None:
    """Copy the live database once per day with SQLite's online backup API.

    Safe while the till is running (the backup API copies a consistent snapshot). Returns the
    new file, or ``None`` when today's backup already exists. Only the newest ``keep`` stay.
    """
    target = backup_path(backup_dir, today)
    if target.exists() or not path.exists():
        return None
    backup_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    source = sqlite3.connect(str(path))
    try:
        dest = sqlite3.connect(str(partial))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    partial.replace(target)  # a half-written copy never looks like a good backup
    for old in backups(backup_dir)[:-keep] if keep > 0 else []:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def restore_backup(path: Path, backup: Path, stamp: str) -> Path:
    """Put ``backup`` in place of a damaged database; the damaged file is kept beside it as
    ``<name>.damaged-<stamp>`` (with its -wal/-shm) for support to look at. Returns that path."""
    quick_check(backup, backup.parent)  # never restore a bad copy over a bad file
    kept = path.with_name(f"{path.name}.damaged-{stamp}")
    if path.exists():
        path.replace(kept)
    for suffix in ("-wal", "-shm"):
        side = Path(f"{path}{suffix}")
        if side.exists():
            side.replace(Path(f"{kept}{suffix}"))
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(str(path))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return kept
