"""The manager's risk list: a terminal secret in a plain file is explained, with what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import keyring
from keyring.backends import fail

from .fake_cloud import FakeCloud


def test_no_risk_while_the_secret_is_in_the_keyring_or_the_till_is_not_enrolled(
    sync_till: Callable[..., Any], cloud: FakeCloud
) -> None:
    till = sync_till()
    assert till.services.security.current() == []
    till.services.sync.enroll(cloud.url, cloud.new_code(), "Till 1")
    assert till.services.security.current() == []


def test_a_secret_kept_in_a_file_is_a_risk_with_the_file_and_the_way_out(
    sync_till: Callable[..., Any], cloud: FakeCloud
) -> None:
    keyring.set_keyring(fail.Keyring())
    till = sync_till()
    till.services.sync.enroll(cloud.url, cloud.new_code(), "Kiosk till")

    (risk,) = till.services.security.current()

    secret_file = str(till.config.data_dir / "terminal-secret")
    assert risk.title == "The till's cloud password is kept in a file"
    assert secret_file in risk.explanation and "false sales" in risk.explanation
    steps = " ".join(risk.what_to_do)
    assert "gnome-keyring" in steps and "enrol the till again" in steps
    assert "revoke" in steps
