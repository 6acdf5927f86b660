"""Opening the till database: check it, migrate it, back it up, hand out units of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from asiria_desktop.local_db.engine import create_till_engine, writer
from asiria_desktop.local_db.health import daily_backup, quick_check
from asiria_desktop.local_db.migrate import upgrade_to_head
from asiria_desktop.local_db.unit_of_work import SqlUnitOfWorkFactory
from asiria_desktop.local_db.upgrade import upgrade_with_backup
from asiria_desktop.ports.ids import IdFactory


@dataclass
class TillDatabase:
    path: Path
    backup_dir: Path
    engine: Engine
    uow: SqlUnitOfWorkFactory
    backup_keep: int = 14

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        backup_dir: Path,
        ids: IdFactory,
        terminal_code: str,
        today: date,
        backup_keep: int = 14,
    ) -> TillDatabase:
        """Quick check (raises ``DatabaseDamaged``); a copy of an older version's file, then
        ``upgrade head`` (raises ``UpgradeFailed`` after putting the copy back); today's backup."""
        quick_check(path, backup_dir)
        engine = create_till_engine(path)
        upgrade_with_backup(
            path, engine, backup_dir, today, lambda: upgrade_to_head(writer(engine))
        )
        database = cls(path, backup_dir, engine, SqlUnitOfWorkFactory(engine, ids, terminal_code))
        database.backup_keep = backup_keep
        database.backup_if_due(today)
        return database

    def backup_if_due(self, today: date) -> Path | None:
        """Run at start and from a daily timer; a second call on the same day does nothing."""
        return daily_backup(self.path, self.backup_dir, today, self.backup_keep)

    def close(self) -> None:
        self.engine.dispose()
