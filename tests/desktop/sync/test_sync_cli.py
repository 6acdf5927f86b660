"""``asiria enroll`` and ``asiria sync --once`` (in-process; the two-process case is in
test_one_pusher.py): plain messages and exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from asiria_desktop.cli import main

from .fake_cloud import FakeCloud


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ASIRIA_CONFIG", str(tmp_path / "none.toml"))


def test_enrol_then_sync_once(
    tmp_path: Path, cloud: FakeCloud, capsys: pytest.CaptureFixture[str], memory_keyring: Any
) -> None:
    data = tmp_path / "till"
    assert main(["sync", "--once", "--data-dir", str(data)]) == 2
    assert "not connected to the cloud yet" in capsys.readouterr().err

    code = cloud.new_code()
    args = ["enroll", "--server", cloud.url, "--code", code, "--name", "Till 9"]
    assert main([*args, "--data-dir", str(data)]) == 0
    assert "connected to the cloud as Till 9" in capsys.readouterr().out
    assert len(memory_keyring.items) == 1

    assert main([*args, "--data-dir", str(data)]) == 1  # a code works once
    assert "already used" in capsys.readouterr().err

    assert main(["sync", "--once", "--data-dir", str(data)]) == 0
    assert "Sent 0 events" in capsys.readouterr().out

    cloud.fail("status", status=503, path="/api/v1/sync/push/")
    assert main(["demo", "--seed-only", "--data-dir", str(data)]) == 0
    capsys.readouterr()
    # The demo seeding queued no events; make one so there is something to push.
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import load_config

    till = build_till(load_config(data))
    till.services.auth.login("1111")
    till.services.shifts.open(None, 1000)
    till.close()
    assert main(["sync", "--once", "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "sync failed: The cloud had a problem (HTTP 503)" in err and "Traceback" not in err
    assert main(["sync", "--once", "--data-dir", str(data)]) == 0


def test_rejected_events_make_sync_once_say_so(
    tmp_path: Path, cloud: FakeCloud, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "till"
    assert (
        main(
            [
                "demo",
                "--seed-only",
                "--data-dir",
                str(data),
                "--cloud",
                cloud.url,
                "--enroll-code",
                cloud.new_code(),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "connected to the cloud as Demo till" in out
    cloud.state.reject_types.add("shift.opened")
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import load_config

    till = build_till(load_config(data))
    till.services.auth.login("1111")
    till.services.shifts.open(None, 1000)
    till.close()
    assert main(["sync", "--once", "--data-dir", str(data)]) == 7
    assert "rejected by the cloud and wait for a manager" in capsys.readouterr().err
    # Seeding again does not enrol again.
    assert (
        main(
            [
                "demo",
                "--seed-only",
                "--data-dir",
                str(data),
                "--cloud",
                cloud.url,
                "--enroll-code",
                "UNUSED",
            ]
        )
        == 0
    )
    assert "already enrolled" in capsys.readouterr().out


def test_sync_without_once_is_refused_plainly(tmp_path: Path) -> None:
    assert main(["sync", "--data-dir", str(tmp_path / "till")]) == 2
