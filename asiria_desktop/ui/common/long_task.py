"""Network work (enrol, a sync with a first big pull) on its own thread, never on the runner's
serial worker: a sale must never queue behind the network."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)


class LongTask(QObject):
    _deliver = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._deliver.connect(self._run_on_main)
        self.running = False

    def start(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
    ) -> None:
        self.running = True

        def body() -> None:
            try:
                result = work()
            except Exception as exc:
                callback = partial(on_failure, exc)
            else:
                callback = partial(on_success, result)
            try:
                self._deliver.emit(callback)
            except RuntimeError:  # the dialog is gone
                log.debug("long task result dropped")

        threading.Thread(target=body, name="till-network", daemon=True).start()

    @Slot(object)
    def _run_on_main(self, callback: Callable[[], None]) -> None:
        self.running = False
        callback()
