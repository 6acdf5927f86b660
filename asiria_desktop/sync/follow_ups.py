"""Work that rides on the sync cycle once it has worked (the till's M-Pesa prompts still
unresolved are asked about after each sync). It runs after the sync lock is released, so a slow
answer never holds up the next push, and a follow-up that fails is logged, never the sync's
failure."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class FollowUps:
    def __init__(self) -> None:
        self._jobs: list[Callable[[], object]] = []
        self._lock = threading.Lock()

    def add(self, job: Callable[[], object]) -> None:
        with self._lock:
            self._jobs.append(job)

    def run(self) -> None:
        with self._lock:
            jobs = list(self._jobs)
        for job in jobs:
            try:
                job()
            except Exception:  # one follow-up's bug must not stop the others or the schedule
                log.exception("a follow-up of the sync failed")
