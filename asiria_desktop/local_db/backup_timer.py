"""A daemon thread that makes the day's backup when a till stays open past midnight."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

log = logging.getLogger(__name__)


class DailyBackupTimer:
    def __init__(
        self,
        backup_if_due: Callable[[date], Path | None],
        today: Callable[[], date],
        interval_seconds: float = 3600,
    ) -> None:
        self._backup_if_due = backup_if_due
        self._today = today
        self._interval = interval_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="daily-backup", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                made = self._backup_if_due(self._today())
                if made is not None:
                    log.info("daily backup written to %s", made)
            except Exception:  # a failed backup must never stop the till; try again later
                log.exception("daily backup failed")
