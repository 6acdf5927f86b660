"""Bringing an existing database up to this version's schema without ever risking its data.

A newer till package may carry new Alembic migrations. Before the first one runs, the whole
file is copied with SQLite's online backup API to ``backups/before-upgrade-<from>-<day>.sqlite3``
(names that the daily backup rotation never deletes). If a migration fails, the copy is put back
in place of the half-changed file, which is kept beside it for support, and ``UpgradeFailed``
says so in plain words: the shop's sales and unsent outbox are exactly as they were.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from asiria_desktop.local_db.health import quick_check
from asiria_desktop.local_db.migrate import HEAD_REVISION, stamped_revisions

log = logging.getLogger(__name__)

UPGRADE_BACKUP_PREFIX = "before-upgrade-"
UPGRADE_BACKUPS_KEPT = 5


class UpgradeFailed(Exception):
    """The schema update failed; ``message`` says what happened and that the data is safe."""

    def __init__(self, backup: Path, restored: bool, kept: Path | None, detail: str) -> None:
        self.backup = backup
        self.restored = restored
        self.kept = kept
        self.detail = detail
        if restored:
            where = "The till's data was put back exactly as it was before the update"
            where += f" (from {backup.name} in {backup.parent})."
        else:
            where = (
                f"The copy made before the update is {backup.name} in {backup.parent}: "
                "restore it with `asiria restore --backup` and that file."
            )
        self.message = (
            f"This version of the till could not update its database ({detail}). {where} "
            "Install the previous version again, or call for support."
        )
        super().__init__(self.message)


def needs_upgrade(engine: Engine) -> bool:
    """True for a database made by an older version (a new, empty file needs no backup)."""
    stamped = stamped_revisions(engine)
    return bool(stamped) and stamped != [HEAD_REVISION]


def upgrade_backup_path(backup_dir: Path, from_revision: str, today: date) -> Path:
    base = f"{UPGRADE_BACKUP_PREFIX}{from_revision}-{today.isoformat()}"
    candidate = backup_dir / f"{base}.sqlite3"
    n = 2
    while candidate.exists():  # two upgrades on one day each keep their own copy
        candidate = backup_dir / f"{base}-{n}.sqlite3"
        n += 1
    return candidate


def upgrade_backups(backup_dir: Path) -> list[Path]:
    """The copies made before upgrades, oldest first."""
    if not backup_dir.is_dir():
        return []
    found = backup_dir.glob(f"{UPGRADE_BACKUP_PREFIX}*.sqlite3")
    return sorted(found, key=lambda p: p.stat().st_mtime)


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy with SQLite's backup API, written under a temporary name first.

    The copy is a plain rollback-journal file (not WAL): one self-contained file, so checking
    it read-only leaves no ``-wal``/``-shm`` beside it; the till sets WAL again on open."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    src = sqlite3.connect(str(source))
    try:
        dest = sqlite3.connect(str(partial))
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        src.close()
    partial.replace(target)


def upgrade_with_backup(
    path: Path,
    engine: Engine,
    backup_dir: Path,
    today: date,
    upgrade: Callable[[], None],
) -> Path | None:
    """Back up, then run ``upgrade``; returns the backup made (``None`` when nothing to do).

    ``engine`` is disposed before a restore: no connection may hold the file being replaced.
    """
    if not needs_upgrade(engine):
        upgrade()  # a new file: create the schema, nothing to keep
        return None
    from_revision = "-".join(stamped_revisions(engine))
    engine.dispose()  # WAL checkpointed by the copy below reading through SQLite itself
    backup = upgrade_backup_path(backup_dir, from_revision, today)
    copy_database(path, backup)
    quick_check(backup, backup_dir)  # a copy that is not good is no safety net: stop here
    log.info("database at %s backed up to %s before upgrading", from_revision, backup)
    try:
        upgrade()
    except Exception as exc:
        log.exception("database upgrade from %s failed", from_revision)
        engine.dispose()
        restored, kept = _restore(path, backup)
        raise UpgradeFailed(backup, restored, kept, _short(exc)) from exc
    _prune(backup_dir)
    return backup


def _restore(path: Path, backup: Path) -> tuple[bool, Path | None]:
    kept = path.with_name(f"{path.name}.failed-upgrade")
    try:
        if path.exists():
            path.replace(kept)
        for suffix in ("-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            if side.exists():
                side.replace(Path(f"{kept}{suffix}"))
        copy_database(backup, path)
    except OSError:
        log.exception("could not put the pre-upgrade backup %s back", backup)
        return False, None
    return True, kept


def _prune(backup_dir: Path) -> None:
    for old in upgrade_backups(backup_dir)[:-UPGRADE_BACKUPS_KEPT]:
        with contextlib.suppress(OSError):
            old.unlink()


def _short(exc: BaseException) -> str:
    """The first line of the error (SQL and parameters follow on the next lines)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
