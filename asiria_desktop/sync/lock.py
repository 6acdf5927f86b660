"""Only one pusher per till: a threading lock for this process plus an OS file lock for others.

``asiria sync --once`` from a cron job and the running till window must never push at the same
time. The OS lock is ``fcntl.flock`` (POSIX) or ``msvcrt.locking`` (Windows) on
``<data dir>/sync.lock``: the kernel drops it when the holding process dies, so a crashed sync
never leaves a stale lock behind.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from asiria_desktop.ports.cloud import SyncBusy

_process_locks: dict[Path, threading.Lock] = {}
_registry_lock = threading.Lock()


def _thread_lock(path: Path) -> threading.Lock:
    with _registry_lock:
        return _process_locks.setdefault(path.resolve(), threading.Lock())


def _os_lock(handle: IO[bytes]) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows tills only
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _os_unlock(handle: IO[bytes]) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class SyncLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread_lock = _thread_lock(path)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold both locks for the block, or raise ``SyncBusy`` at once (never wait)."""
        if not self._thread_lock.acquire(blocking=False):
            raise SyncBusy()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            with os.fdopen(fd, "r+b") as handle:
                if not _os_lock(handle):
                    raise SyncBusy()
                try:
                    handle.seek(0)
                    handle.truncate()
                    handle.write(str(os.getpid()).encode())  # who holds it, for support
                    handle.flush()
                    yield
                finally:
                    _os_unlock(handle)
        finally:
            self._thread_lock.release()
