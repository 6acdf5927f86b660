"""Who may open the sync screen (rejected events, retry, re-enrol): a manager's job."""

from __future__ import annotations

from typing import Any

import pytest

from asiria_desktop.domain.errors import ApprovalRequired, PermissionDenied

from .support import CASHIER_PIN, MANAGER_PIN, OWNER_PIN, audit, user_id


def opened(till: Any) -> list[tuple[str | None, str | None]]:
    """(who, approved by) of each opening of the sync screen in the audit log."""
    return [
        (actor, approver) for action, actor, approver, _ in audit(till) if action == "sync_screen"
    ]


def test_a_cashier_needs_a_managers_pin(make_till: Any) -> None:
    till = make_till()
    sync, auth = till.services.sync, till.services.auth
    auth.login(CASHIER_PIN)
    with pytest.raises(ApprovalRequired) as asked:
        sync.open_screen()
    assert asked.value.message == (
        "A manager must approve opening the sync screen. Enter a manager PIN."
    )
    assert opened(till) == []
    with pytest.raises(PermissionDenied, match="Amina can't approve opening the sync screen"):
        auth.approve(CASHIER_PIN, asked.value.action)

    sync.open_screen(auth.approve(MANAGER_PIN, asked.value.action))
    assert opened(till) == [(user_id(till, "Amina"), user_id(till, "Wanjiru"))]


@pytest.mark.parametrize(("pin", "name"), [(MANAGER_PIN, "Wanjiru"), (OWNER_PIN, "Owner")])
def test_a_manager_or_owner_goes_straight_in(make_till: Any, pin: str, name: str) -> None:
    till = make_till()
    till.services.auth.login(pin)
    till.services.sync.open_screen()
    assert opened(till) == [(user_id(till, name), user_id(till, name))]


def test_at_the_login_screen_a_manager_pin_opens_it(make_till: Any) -> None:
    till = make_till()
    sync = till.services.sync
    with pytest.raises(ApprovalRequired) as asked:
        sync.open_screen()
    sync.open_screen(till.services.auth.approve(MANAGER_PIN, asked.value.action))
    manager = user_id(till, "Wanjiru")
    assert opened(till) == [(manager, manager)]


def test_a_new_till_without_a_manager_can_still_be_enrolled(make_till: Any) -> None:
    till = make_till(seed=False)  # no accounts until it is enrolled and pulls them
    till.services.sync.open_screen()
    assert opened(till) == [(None, None)]
