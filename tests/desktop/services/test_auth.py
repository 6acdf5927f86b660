"""PIN login, approvals and the lockout after repeated wrong PINs."""

from __future__ import annotations

from typing import Any

import pytest

from asiria_desktop.domain.errors import PermissionDenied
from asiria_desktop.services.signin.auth import AccountLocked, LoginFailed
from asiria_desktop.services.signin.pins import hash_pin, verify_pin

from .support import CASHIER2_PIN, CASHIER_PIN, MANAGER_PIN, OWNER_PIN, audit, rows, user_id


def test_pins_are_stored_as_argon2id_phc_strings(make_till: Any) -> None:
    till = make_till()
    hashes = [h for (h,) in rows(till, "SELECT pin_hash FROM users")]
    assert len(hashes) == 4
    assert all(h.startswith("$argon2id$v=19$m=19456,t=2,p=1$") for h in hashes)
    assert all("1111" not in h for h in hashes)
    assert verify_pin(hash_pin("4321"), "4321") and not verify_pin(hash_pin("4321"), "1234")


def test_each_pin_logs_in_its_own_account(make_till: Any) -> None:
    till = make_till()
    auth = till.services.auth
    assert (auth.login(CASHIER_PIN).name, auth.current.role) == ("Amina", "cashier")
    assert auth.login(CASHIER2_PIN).name == "Brian"
    assert auth.login(MANAGER_PIN).role == "manager"
    assert auth.login(OWNER_PIN).role == "owner"
    auth.logout()
    assert auth.current is None


def test_five_wrong_pins_lock_pin_entry_for_five_minutes(make_till: Any, core_clock: Any) -> None:
    till = make_till()
    auth = till.services.auth
    for tries_left in (4, 3, 2, 1):
        with pytest.raises(LoginFailed) as failed:
            auth.login("5555")
        assert failed.value.tries_left == tries_left
        assert "not right" in failed.value.message
    with pytest.raises(AccountLocked) as locked:
        auth.login("5555")
    assert locked.value.minutes_left == 5
    assert "locked for 5 more minutes" in str(locked.value) or "locked for 5" in str(locked.value)
    with pytest.raises(AccountLocked):  # even the right PIN waits
        auth.login(CASHIER_PIN)
    core_clock.advance(minutes=4)
    with pytest.raises(AccountLocked) as still:
        auth.approve(MANAGER_PIN, "refund")
    assert still.value.minutes_left == 1
    core_clock.advance(minutes=1, seconds=1)
    assert auth.login(CASHIER_PIN).name == "Amina"
    actions = [a[0] for a in audit(till)]
    assert actions.count("pin_failed") == 4 and actions.count("pin_locked") == 1
    with pytest.raises(LoginFailed) as fresh:  # the count starts again after a good PIN
        auth.login("5555")
    assert fresh.value.tries_left == 4


def test_login_with_an_account_counts_failures_on_it(make_till: Any) -> None:
    till = make_till()
    amina = user_id(till, "Amina")
    with pytest.raises(LoginFailed):
        till.services.auth.login("2222", user_id=amina)  # Brian's PIN is not Amina's
    assert rows(till, "SELECT failed_attempts FROM users WHERE id = ?", amina) == [(1,)]
    assert till.services.auth.login(CASHIER_PIN, user_id=amina).name == "Amina"
    assert rows(till, "SELECT failed_attempts FROM users WHERE id = ?", amina) == [(0,)]


def test_badly_formed_pins_count_as_wrong(make_till: Any) -> None:
    till = make_till()
    with pytest.raises(LoginFailed):
        till.services.auth.login("12")


def test_only_managers_and_owners_approve(make_till: Any) -> None:
    till = make_till()
    auth = till.services.auth
    with pytest.raises(PermissionDenied) as denied:
        auth.approve(CASHIER2_PIN, "void_sale")
    assert "Brian can't approve voiding the sale" in denied.value.message
    approval = auth.approve(OWNER_PIN, "void_sale")
    assert (approval.approver_name, approval.role, approval.action) == (
        "Owner",
        "owner",
        "void_sale",
    )
