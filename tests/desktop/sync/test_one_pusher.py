"""Only one sync at a time per till: threads of one process, and a second process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from asiria_desktop.ports.cloud import SyncBusy
from asiria_desktop.sync.lock import SyncLock

from .fake_cloud import FakeCloud
from .support import outbox_states, sell

WAIT_S = 20


def _cli(data_dir: Path, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ASIRIA_CONFIG": str(tmp_path / "none.toml"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    return subprocess.run(
        [sys.executable, "-m", "asiria_desktop", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def _hold_a_push_open(till: Any, cloud: FakeCloud) -> tuple[threading.Thread, list[Any]]:
    cloud.push_gate = threading.Event()
    reports: list[Any] = []
    first = threading.Thread(target=lambda: reports.append(till.services.sync.sync_now()))
    first.start()
    assert cloud.push_entered.wait(WAIT_S), "the first push never reached the cloud"
    return first, reports


def test_two_threads_never_push_together(enrolled: Any, cloud: FakeCloud) -> None:
    sell(enrolled)
    first, reports = _hold_a_push_open(enrolled, cloud)
    second = enrolled.services.sync.sync_now()
    assert not second.ok and second.outcome == "busy"
    assert "already running" in second.message
    cloud.push_gate.set()
    first.join(WAIT_S)
    assert reports[0].ok
    assert cloud.state.max_concurrent_pushes == 1
    assert enrolled.services.sync.overview().history == (reports[0],)  # "busy" is not history


def test_a_second_process_is_told_a_sync_is_running(
    sync_till: Any, cloud: FakeCloud, tmp_path: Path
) -> None:
    keyring.set_keyring(fail.Keyring())  # the secret goes to the file the script can read
    till = sync_till()
    till.services.sync.enroll(cloud.url, cloud.new_code(), "Till 1")
    sell(till)
    first, reports = _hold_a_push_open(till, cloud)
    done = _cli(till.config.data_dir, tmp_path, "sync", "--once")
    assert done.returncode == 5, done.stderr
    assert "already running" in done.stderr and "Traceback" not in done.stderr
    cloud.push_gate.set()
    first.join(WAIT_S)
    assert reports[0].ok and cloud.state.max_concurrent_pushes == 1

    # With nobody else syncing, the script pushes what the till sold since.
    cloud.push_gate = None
    sell(till)
    done = _cli(till.config.data_dir, tmp_path, "sync", "--once")
    assert done.returncode == 0, done.stderr
    assert "Sent 1 event, received" in done.stdout
    assert set(outbox_states(till).values()) == {("sent", None)}
    assert len(cloud.state.applied) == 2


HOLDER = """
import sys, time
from pathlib import Path
from asiria_desktop.sync.lock import SyncLock
with SyncLock(Path(sys.argv[1])).held():
    print("held", flush=True)
    time.sleep(60)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_crashed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / "sync.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(SyncBusy), SyncLock(path).held():
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(WAIT_S)
    deadline = time.monotonic() + WAIT_S
    while True:  # the kernel drops the lock with the process
        try:
            with SyncLock(path).held():
                break
        except SyncBusy:
            assert time.monotonic() < deadline, "the lock of a dead process was never released"
            time.sleep(0.05)


def test_the_lock_is_released_after_an_error(tmp_path: Path) -> None:
    lock = SyncLock(tmp_path / "sync.lock")
    with pytest.raises(RuntimeError), lock.held():
        raise RuntimeError("boom")
    with lock.held():
        pass
