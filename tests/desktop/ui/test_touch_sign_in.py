"""Signing in and approving by touch at the real till window, a security key in software
plugged in; the PIN stays the fallback; the manager's sign-in and security screen."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from asiria_desktop.ui.shift.shift_dialogs import ShiftDialog
from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog
from asiria_desktop.ui.signin.security_dialog import SecurityDialog
from asiria_desktop.ui.signin.touch_dialog import TouchDialog

from ..hardware.fake_ctap2 import SoftwareAuthenticator
from ..services.support import audit, rows, user_id


class KeySlot:
    def __init__(self) -> None:
        self.key: SoftwareAuthenticator | None = None

    def devices(self) -> list[SoftwareAuthenticator]:
        return [self.key] if self.key is not None else []


@pytest.fixture
def slot() -> KeySlot:
    return KeySlot()


@pytest.fixture
def till(tmp_path: Any, slot: KeySlot) -> Iterator[Any]:
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from asiria_desktop.demo import seed_demo
    from asiria_desktop.hardware.fido2_verifier import Fido2Verifier

    built = build_till(
        TillConfig(data_dir=tmp_path / "till"),
        biometric_readers=[Fido2Verifier(devices=slot.devices)],
    )
    seed_demo(built)
    yield built
    built.close()


def enrol_key(till: Any, slot: KeySlot, name: str) -> SoftwareAuthenticator:
    """What the manager's screen does, done directly: a new key enrolled for ``name``."""
    auth = till.services.auth
    auth.login("9999")
    slot.key = SoftwareAuthenticator()
    till.services.biometrics.enrol("security_key", user_id(till, name))
    auth.logout()
    return slot.key


def touch(cashier: Any) -> TouchDialog:
    dialog = cashier.dialog(TouchDialog)
    cashier.wait(dialog.touch_button.isEnabled)
    dialog.touch_button.click()
    return dialog


def test_a_cashier_signs_in_by_touching_their_key(cashier: Any, till: Any, slot: KeySlot):
    enrol_key(till, slot, "Amina")
    login = cashier.window.login_screen
    assert login.touch_button.isVisible()

    login.touch_button.click()
    dialog = touch(cashier)

    cashier.wait(lambda: cashier.window.stack.currentWidget() is cashier.sale)
    assert not dialog.isVisible()
    assert till.services.auth.current.name == "Amina"
    action, actor, _approver, details = audit(till)[-1]
    assert (action, actor, details["method"]) == ("login", user_id(till, "Amina"), "security_key")


def test_the_pin_is_the_fallback_when_no_key_is_plugged_in(cashier: Any, till: Any) -> None:
    cashier.window.login_screen.touch_button.click()
    dialog = cashier.dialog(TouchDialog)
    cashier.wait(lambda: "Use your PIN" in dialog.prompt.text())
    assert "No security key" in dialog.error_label.text()
    assert not dialog.touch_button.isEnabled()
    dialog.reject()

    cashier.log_in("1111", open_shift_with=None)
    assert till.services.auth.current.name == "Amina"


def test_an_unknown_finger_is_refused_on_screen_and_a_retry_works(
    cashier: Any, till: Any, slot: KeySlot
) -> None:
    key = enrol_key(till, slot, "Amina")
    key.finger = "other"
    cashier.window.login_screen.touch_button.click()
    dialog = touch(cashier)
    cashier.wait(lambda: "did not recognise" in dialog.error_label.text())
    assert cashier.window.stack.currentWidget() is cashier.window.login_screen

    key.finger = "enrolled"
    cashier.wait(dialog.touch_button.isEnabled)
    dialog.touch_button.click()
    cashier.wait(lambda: cashier.window.stack.currentWidget() is cashier.sale)


def test_a_manager_approves_a_no_sale_by_touch(cashier: Any, till: Any, slot: KeySlot) -> None:
    enrol_key(till, slot, "Wanjiru")
    cashier.log_in("1111")

    cashier.press(Qt.Key.Key_F9)
    cashier.dialog(ShiftDialog).buttons["no_sale"].click()
    approval = cashier.dialog(ApprovalDialog)
    assert approval.touch_button.isVisible()
    approval.touch_button.click()
    touch(cashier)

    cashier.wait(lambda: "Drawer opened" in cashier.sale.banner.text)
    assert not approval.isVisible()
    by_touch = [row for row in audit(till) if row[0] == "approval_by_touch"]
    assert [(a[1], a[2], a[3]["approved_action"]) for a in by_touch] == [
        (user_id(till, "Amina"), user_id(till, "Wanjiru"), "no_sale")
    ]
    drawer = rows(till, "SELECT approver_id FROM audit_log WHERE action = 'no_sale'")
    assert drawer == [(user_id(till, "Wanjiru"),)]


def test_the_manager_enrols_and_removes_a_key_on_the_security_screen(
    cashier: Any, till: Any, slot: KeySlot
) -> None:
    cashier.log_in("9999")
    cashier.press(Qt.Key.Key_F9)
    cashier.dialog(ShiftDialog).buttons["security"].click()
    screen = cashier.dialog(SecurityDialog)
    assert "No known risks" in screen.risks_label.text()
    # The readers are looked for in the background: wait for the answer, not the question.
    cashier.wait(lambda: "Looking for readers" not in screen.status_label.text())
    assert screen.reader_box.count() == 0  # no key plugged in: the reason is shown
    assert "No security key" in screen.status_label.text()
    screen.close()

    slot.key = SoftwareAuthenticator()
    cashier.press(Qt.Key.Key_F9)
    cashier.dialog(ShiftDialog).buttons["security"].click()
    screen = cashier.dialog(SecurityDialog)
    cashier.wait(screen.enrol_button.isEnabled)
    screen.person_box.setCurrentIndex(
        screen.person_box.findText("Brian", Qt.MatchFlag.MatchStartsWith)
    )
    screen.enrol_button.click()
    cashier.wait(lambda: "Enrolled: Brian" in screen.status_label.text())
    # Until the list is read again it holds its "nobody yet" line: wait for Brian's row.
    cashier.wait(
        lambda: (
            screen.enrolled_list.count() == 1
            and screen.enrolled_list.item(0).text().startswith("Brian: Security key")
        )
    )

    screen.enrolled_list.setCurrentRow(0)
    screen.remove_button.click()
    cashier.wait(lambda: "Removed" in screen.status_label.text())
    cashier.wait(lambda: "PINs only" in screen.enrolled_list.item(0).text())
    actions = [row[0] for row in audit(till)]
    assert actions.count("security_settings_opened") == 2
    assert "biometric_enrolled" in actions and "biometric_removed" in actions
