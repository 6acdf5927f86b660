"""Sign-in and approval by touch: enrolment by a manager, verification on the till alone (no
cloud anywhere here), the sign counter, lockout, and the audit log of every step."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from asiria_desktop.domain.biometrics import BiometricNotRecognised, ClonedAuthenticator
from asiria_desktop.domain.errors import ApprovalRequired
from asiria_desktop.hardware.fido2_verifier import Fido2Verifier
from asiria_desktop.hardware.fprintd_verifier import FprintdVerifier
from asiria_desktop.services.signin.biometrics import TouchLocked

from .fake_ctap2 import SoftwareAuthenticator
from .fprintd_bus import FakeFprintBus, fake_fprintd_bus

KEY = "security_key"
CASHIER_PIN, MANAGER_PIN = "1111", "9999"  # the demo's Amina and Wanjiru


def rows(till: Any, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(str(till.config.database_path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def audit(till: Any) -> list[tuple[str, str | None, str | None, dict[str, Any]]]:
    return [
        (action, actor, approver, json.loads(details))
        for action, actor, approver, details in rows(
            till, "SELECT action, actor_id, approver_id, details FROM audit_log ORDER BY rowid"
        )
    ]


def user_id(till: Any, name: str) -> str:
    return str(rows(till, "SELECT id FROM users WHERE name = ?", name)[0][0])


class KeySlot:
    """The USB port: whichever software key is plugged in now."""

    def __init__(self) -> None:
        self.key: SoftwareAuthenticator | None = None

    def devices(self) -> list[SoftwareAuthenticator]:
        return [self.key] if self.key is not None else []


@pytest.fixture
def slot() -> KeySlot:
    return KeySlot()


@pytest.fixture
def till(make_till: Callable[..., Any], slot: KeySlot) -> Any:
    return make_till(biometric_readers=[Fido2Verifier(devices=slot.devices)])


def enrol_key(till: Any, slot: KeySlot, name: str) -> SoftwareAuthenticator:
    """The manager (logged in) enrols a new key for ``name``."""
    slot.key = SoftwareAuthenticator()
    till.services.biometrics.enrol(KEY, user_id(till, name))
    return slot.key


def as_manager(till: Any) -> None:
    till.services.auth.logout()
    till.services.auth.login(MANAGER_PIN)


def test_a_manager_enrols_a_key_and_the_cashier_signs_in_by_touch(till: Any, slot: KeySlot):
    bio = till.services.biometrics
    as_manager(till)
    enrol_key(till, slot, "Amina")
    manager, amina = user_id(till, "Wanjiru"), user_id(till, "Amina")
    till.services.auth.logout()

    session = bio.sign_in(KEY)

    assert (session.name, session.role) == ("Amina", "cashier")
    assert till.services.auth.current == session
    (credential_id,) = [r[0] for r in rows(till, "SELECT id FROM biometric_credentials")]
    assert audit(till)[-3:] == [
        ("biometric_enrolled", manager, manager,
         {"user_id": amina, "method": KEY, "credential_id": credential_id}),
        ("logout", manager, None, {}),
        ("login", amina, None, {"method": KEY, "credential_id": credential_id}),
    ]  # fmt: skip
    (enrolled,) = bio.enrolled()
    assert enrolled.text.startswith("Amina: Security key")


def test_a_cashier_needs_a_managers_approval_to_enrol(till: Any, slot: KeySlot) -> None:
    till.services.auth.login(CASHIER_PIN)
    slot.key = SoftwareAuthenticator()
    with pytest.raises(ApprovalRequired):
        till.services.biometrics.enrol(KEY, user_id(till, "Amina"))
    approval = till.services.auth.approve(MANAGER_PIN, "security_settings")
    till.services.biometrics.enrol(KEY, user_id(till, "Amina"), approval)
    action, actor, approver, _ = audit(till)[-1]
    assert (action, actor, approver) == (
        "biometric_enrolled",
        user_id(till, "Amina"),
        user_id(till, "Wanjiru"),
    )


def test_a_manager_approves_by_touch_and_a_cashiers_key_can_not(till: Any, slot: KeySlot):
    bio = till.services.biometrics
    as_manager(till)
    amina_key = enrol_key(till, slot, "Amina")
    manager_key = enrol_key(till, slot, "Wanjiru")
    till.services.auth.logout()
    till.services.auth.login(CASHIER_PIN)

    approval = bio.approve(KEY, "refund")

    assert (approval.approver_name, approval.action) == ("Wanjiru", "refund")
    action, actor, approver, details = audit(till)[-1]
    assert (action, actor, approver) == (
        "approval_by_touch",
        user_id(till, "Amina"),
        user_id(till, "Wanjiru"),
    )
    assert details["approved_action"] == "refund" and details["method"] == KEY
    slot.key = amina_key
    with pytest.raises(BiometricNotRecognised):
        bio.approve(KEY, "refund")
    assert [p.name for p in bio.people_for(KEY, approvers_for="refund")] == ["Wanjiru"]
    assert manager_key.counter == 2  # enrolment, one approval


def test_a_cloned_key_is_caught_by_its_counter_and_blocked(till: Any, slot: KeySlot) -> None:
    bio = till.services.biometrics
    as_manager(till)
    original = enrol_key(till, slot, "Amina")
    copy = original.clone()  # copied right after enrolment
    till.services.auth.logout()
    assert bio.sign_in(KEY).name == "Amina"  # the original moves its counter on
    till.services.auth.logout()

    slot.key = copy  # the copy still counts from the enrolment
    with pytest.raises(ClonedAuthenticator, match="copy"):
        bio.sign_in(KEY)

    assert till.services.auth.current is None
    assert audit(till)[-1][0] == "biometric_clone_suspected"
    slot.key = original  # blocked for both: a manager must look into it
    with pytest.raises(BiometricNotRecognised, match="No security key is enrolled"):
        bio.sign_in(KEY)


def test_unknown_fingers_lock_touch_sign_in_but_the_pin_still_works(
    till: Any, slot: KeySlot
) -> None:
    bio = till.services.biometrics
    as_manager(till)
    key = enrol_key(till, slot, "Amina")
    till.services.auth.logout()
    key.finger = "other"
    for _ in range(4):
        with pytest.raises(BiometricNotRecognised, match="did not recognise"):
            bio.sign_in(KEY)
    with pytest.raises(TouchLocked):
        bio.sign_in(KEY)
    key.finger = "enrolled"
    with pytest.raises(TouchLocked, match="use your PIN"):
        bio.sign_in(KEY)
    assert till.services.auth.login(CASHIER_PIN).name == "Amina"
    actions = [a for a, *_ in audit(till)]
    assert actions.count("biometric_failed") == 4 and "biometric_locked" in actions


def test_a_removed_key_or_a_deactivated_person_no_longer_signs_in(till: Any, slot: KeySlot) -> None:
    bio = till.services.biometrics
    as_manager(till)
    first = enrol_key(till, slot, "Amina")
    enrol_key(till, slot, "Brian")
    (amina_credential,) = [e for e in bio.enrolled() if e.user_name == "Amina"]
    bio.remove(amina_credential.credential_id)
    assert audit(till)[-1][0] == "biometric_removed"
    till.services.auth.logout()
    slot.key = first
    with pytest.raises(BiometricNotRecognised):
        bio.sign_in(KEY)

    conn = sqlite3.connect(str(till.config.database_path))
    conn.execute("UPDATE users SET active = 0 WHERE name = 'Brian'")
    conn.commit()
    conn.close()
    with pytest.raises(BiometricNotRecognised):
        bio.sign_in(KEY)


@pytest.fixture
def fprint_bus() -> Iterator[FakeFprintBus]:
    with fake_fprintd_bus() as bus:
        yield bus


@pytest.mark.integration
def test_a_fingerprint_confirms_the_person_picked_on_screen(
    make_till: Callable[..., Any], fprint_bus: FakeFprintBus
) -> None:
    reader = FprintdVerifier(bus=fprint_bus.address, accounts=["asiria-fp01", "asiria-fp02"])
    till = make_till(biometric_readers=[reader])
    bio = till.services.biometrics
    till.services.auth.login(MANAGER_PIN)
    bio.enrol("fingerprint", user_id(till, "Amina"))
    bio.enrol("fingerprint", user_id(till, "Brian"))
    till.services.auth.logout()
    assert [p.name for p in bio.people_for("fingerprint")] == ["Amina", "Brian"]

    fprint_bus.touch("asiria-fp01")  # Amina's finger
    with pytest.raises(BiometricNotRecognised, match="Pick your name"):
        bio.sign_in("fingerprint")
    with pytest.raises(BiometricNotRecognised, match="not recognised"):
        bio.sign_in("fingerprint", user_id(till, "Brian"))
    assert bio.sign_in("fingerprint", user_id(till, "Amina")).name == "Amina"
    assert [r.kind for r in bio.readers() if r.unavailable_reason is None] == ["fingerprint"]
