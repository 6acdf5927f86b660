"""Background operations that report back on the Qt main thread.

Services are synchronous; a sale commit, a print or a search on a big catalog may take a while, and
the till window must never freeze meanwhile. Following Anki's pattern, every call that touches the
sale session or writes the database runs on ONE single-worker executor, so calls run one after the
other in the order the cashier made them and the session is never used by two threads at once.
Read-only look-ups (type-ahead search, status) run on a small separate pool so that they never
queue behind a sale. Results and errors come back through a queued Qt signal, on the main thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
Failure = Callable[[BaseException], None]


class BackgroundRunner(QObject):
    """Runs callables off the GUI thread and calls back on it."""

    _deliver = Signal(object)  # a zero-argument callable to run on the main thread

    def __init__(self, on_failure: Failure, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._default_failure = on_failure
        self._serial = ThreadPoolExecutor(max_workers=1, thread_name_prefix="till-serial")
        self._reads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="till-read")
        self._pending = 0
        self._closed = False
        # Emitted from a worker thread, received by this main-thread object: a queued connection.
        self._deliver.connect(self._run_on_main)

    @property
    def idle(self) -> bool:
        return self._pending == 0

    def run(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Failure | None = None,
    ) -> None:
        """Run `work` on the serial executor (session calls and database writes); its result
        goes to `on_success`, typed as `work` returns it (Anki's ``CollectionOp[T]``)."""
        self._submit(self._serial, work, on_success, on_failure)

    def read(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_failure: Failure | None = None,
    ) -> None:
        """Run a read-only `work` on the read pool (never the sale session)."""
        self._submit(self._reads, work, on_success, on_failure)

    def shutdown(self) -> None:
        """Let running work finish (a sale being committed is never cut off)."""
        self._closed = True
        self._serial.shutdown(wait=True, cancel_futures=False)
        self._reads.shutdown(wait=True, cancel_futures=True)

    def _submit(
        self,
        executor: ThreadPoolExecutor,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_failure: Failure | None,
    ) -> None:
        if self._closed:
            return
        self._pending += 1
        future = executor.submit(work)
        future.add_done_callback(partial(self._done_in_worker, on_success, on_failure))

    def _done_in_worker(
        self,
        on_success: Callable[[T], None] | None,
        on_failure: Failure | None,
        future: Future[T],
    ) -> None:
        try:
            self._deliver.emit(partial(self._finish, future, on_success, on_failure))
        except RuntimeError:  # the window is gone; nobody is left to tell
            log.debug("Background result dropped: the runner was deleted")

    @Slot(object)
    def _run_on_main(self, callback: Callable[[], None]) -> None:
        callback()

    def _finish(
        self,
        future: Future[T],
        on_success: Callable[[T], None] | None,
        on_failure: Failure | None,
    ) -> None:
        self._pending -= 1
        try:
            result = future.result()
        except CancelledError:
            return
        except Exception as exc:
            (on_failure or self._default_failure)(exc)
            return
        if on_success is None:
            return
        try:
            on_success(result)
        except Exception as exc:  # a bug in a callback: report it, keep the till running
            log.exception("Callback after a background operation failed")
            self._default_failure(exc)
