"""When the till syncs: right after a sale (``SyncEngine.request_sync``), and on an APScheduler
3 interval that backs off exponentially, with jitter, while the cloud can't be reached.

One ``BackgroundScheduler`` thread; both jobs run the same ``tick`` with ``max_instances=1``,
and the engine's sync lock makes any overlap a harmless "busy".
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from asiria_desktop.ports.cloud import SyncReport
from asiria_desktop.sync.backoff import Backoff

if TYPE_CHECKING:  # imported by ``start`` (~30 ms that importing the till does not need)
    from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)

INTERVAL_JOB = "sync-interval"
NOW_JOB = "sync-now"


class SyncScheduler:
    def __init__(
        self,
        run: Callable[[], SyncReport],
        *,
        interval_s: float = 60.0,
        max_backoff_s: float = 900.0,
        retry_after: Callable[[], float | None] = lambda: None,
        rng: random.Random | None = None,
        first_run_after_s: float = 2.0,
    ) -> None:
        self._run = run
        self._retry_after = retry_after
        self.backoff = Backoff(interval_s, max(interval_s, max_backoff_s), rng)
        self._first = first_run_after_s
        self._scheduler: BackgroundScheduler | None = None
        self.current_delay = interval_s
        self.last_report: SyncReport | None = None

    @property
    def running(self) -> bool:
        return self._scheduler is not None and bool(self._scheduler.running)

    def start(self) -> None:
        if self.running:
            return
        if self._scheduler is None:
            from apscheduler.schedulers.background import BackgroundScheduler

            self._scheduler = BackgroundScheduler(daemon=True, timezone=UTC)
        self._scheduler.start()
        self._scheduler.add_job(
            self.tick,
            "interval",
            seconds=self.backoff.base,
            id=INTERVAL_JOB,
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC) + timedelta(seconds=self._first),
        )

    def trigger(self) -> None:
        """Run a sync now on the scheduler's thread (returns at once)."""
        scheduler = self._scheduler
        if scheduler is None or not scheduler.running:
            return
        scheduler.add_job(
            self.tick, id=NOW_JOB, replace_existing=True, max_instances=1, misfire_grace_time=30
        )

    def stop(self) -> None:
        scheduler = self._scheduler
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=False)

    def tick(self) -> None:
        try:
            report = self._run()
        except Exception:  # a bug must not kill the schedule: log it and back off
            log.exception("sync run failed")
            report = None
        self.last_report = report
        if report is not None and report.outcome in ("busy", "not_enrolled"):
            delay = self.backoff.base  # nothing failed: someone else syncs, or nobody enrolled
        elif report is None or not report.ok:
            delay = self.backoff.failure(self._retry_after())
        else:
            delay = self.backoff.success()
        self._reschedule(delay)

    def _reschedule(self, delay: float) -> None:
        self.current_delay = delay
        scheduler = self._scheduler
        if scheduler is None or not scheduler.running:
            return
        try:
            scheduler.reschedule_job(INTERVAL_JOB, trigger="interval", seconds=delay)
        except Exception:  # the job is gone (shutting down)
            log.debug("could not reschedule the sync job")
