"""Enrolment and the terminal's secret: OS keyring first, a 0600 file when there is none."""

from __future__ import annotations

import logging
import stat
import sys
from collections.abc import Callable
from typing import Any

import keyring
import pytest
from keyring.backends import fail, null

from asiria_desktop.services.sync.sync import SyncProblem

from .fake_cloud import FakeCloud
from .support import sell


def _files_containing(root: Any, secret: str) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and secret.encode() in path.read_bytes():
            found.append(path.name)
    return found


def test_enrol_keeps_the_secret_in_the_keyring_only(
    sync_till: Callable[..., Any], cloud: FakeCloud, memory_keyring: Any
) -> None:
    till = sync_till()
    message = till.services.sync.enroll(cloud.url, cloud.new_code(), "Till 1")
    assert "connected to the cloud as Till 1" in message

    (terminal,) = cloud.state.terminals.values()
    assert memory_keyring.items == {("asiria-till", terminal.client_id): terminal.client_secret}
    assert _files_containing(till.config.data_dir, terminal.client_secret) == []
    info = till.sync_engine.terminal()
    assert (info.terminal_id, info.secret_location) == (terminal.id, "keyring")
    assert till.services.sync.overview().warning is None
    assert till.services.sync.sync_now().ok


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring], ids=["refuses", "forgets"])
def test_without_a_keyring_the_secret_goes_to_a_private_file_with_a_warning(
    sync_till: Callable[..., Any],
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
    backend: type,
) -> None:
    keyring.set_keyring(backend())
    till = sync_till()
    with caplog.at_level(logging.WARNING):
        message = till.services.sync.enroll(cloud.url, cloud.new_code(), "Kiosk till")
    assert message == "This till is now connected to the cloud as Kiosk till."

    (terminal,) = cloud.state.terminals.values()
    secret_file = till.config.data_dir / "terminal-secret"
    assert secret_file.read_text() == terminal.client_secret
    if sys.platform != "win32":
        assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert _files_containing(till.config.data_dir, terminal.client_secret) == ["terminal-secret"]
    assert any("No system keyring" in r.getMessage() for r in caplog.records)
    warning = till.services.sync.overview().warning
    assert warning is not None and str(secret_file) in warning
    assert till.services.status.snapshot().warning == warning
    assert till.services.sync.sync_now().ok  # it still syncs


def test_a_refused_code_says_why_and_changes_nothing(
    sync_till: Callable[..., Any], cloud: FakeCloud
) -> None:
    till = sync_till()
    with pytest.raises(SyncProblem, match="already used or has expired"):
        till.services.sync.enroll(cloud.url, "WRONG123", "Till 1")
    assert not till.services.sync.is_enrolled()
    with pytest.raises(SyncProblem, match="must start with https://"):
        till.services.sync.enroll("pos.example.com", "X", "Till 1")


def test_an_unreachable_cloud_at_enrolment_is_a_plain_message(
    sync_till: Callable[..., Any], cloud: FakeCloud
) -> None:
    till = sync_till()
    url = cloud.url
    cloud.stop()
    with pytest.raises(SyncProblem, match="can't be reached"):
        till.services.sync.enroll(url, "ABCD1234", "Till 1")


def test_re_enrolment_replaces_the_credentials(
    enrolled: Any, cloud: FakeCloud, memory_keyring: Any
) -> None:
    (terminal,) = cloud.state.terminals.values()
    old_secret = terminal.client_secret
    enrolled.services.sync.enroll(cloud.url, cloud.new_code(terminal.id), "Till 1 again")
    assert terminal.client_secret != old_secret
    assert memory_keyring.items == {("asiria-till", terminal.client_id): terminal.client_secret}
    assert enrolled.sync_engine.terminal().name == "Till 1 again"
    sell(enrolled)
    assert enrolled.services.sync.sync_now().ok  # with the new secret


@pytest.mark.parametrize("backend", [fail.Keyring, null.Keyring], ids=["refuses", "forgets"])
def test_a_keyring_fallback_is_said_once_in_the_log_and_once_to_the_person_enrolling(
    sync_till: Callable[..., Any],
    cloud: FakeCloud,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    backend: type,
) -> None:
    from asiria_desktop.sync_cli import enroll_command

    keyring.set_keyring(backend())
    till = sync_till()
    with caplog.at_level(logging.DEBUG):
        assert enroll_command(till, cloud.url, cloud.new_code(), "Kiosk till") == 0

    about_keyring = [r for r in caplog.records if "keyring" in r.getMessage().lower()]
    assert len(about_keyring) == 1, [r.getMessage() for r in about_keyring]
    (record,) = about_keyring
    assert record.levelno == logging.WARNING
    assert str(till.config.data_dir / "terminal-secret") in record.getMessage()
    assert "The keyring said: it " in record.getMessage()
    printed = capsys.readouterr()
    assert (printed.out + printed.err).lower().count("keyring") == 1
    assert "connected to the cloud as Kiosk till" in printed.out
