"""The sync screen is a manager's: a cashier pressing Sync is asked for a manager's PIN (a
wrong one is refused and said so), a manager goes straight in, and cancelling leaves it shut.
Each opening is in the audit log with who approved it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QLabel

from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog
from asiria_desktop.ui.sync.sync_dialog import SyncDialog

from ..services.support import audit, user_id


def sync_screen_openings(till: Any) -> list[tuple[str | None, str | None]]:
    return [(a[1], a[2]) for a in audit(till) if a[0] == "sync_screen"]


def sync_screen_visible() -> bool:
    return any(isinstance(w, SyncDialog) and w.isVisible() for w in QApplication.topLevelWidgets())


def test_a_cashier_needs_a_managers_pin_and_a_wrong_one_is_refused(
    cashier: Any, window: Any, till: Any
) -> None:
    cashier.log_in("1111")
    window.status.sync_button.click()
    approval = cashier.dialog(ApprovalDialog)
    assert any(
        "A manager must approve opening the sync screen" in label.text()
        for label in approval.findChildren(QLabel)
    )

    cashier.type_into(approval.pin_edit, "1234", enter=True)  # nobody's PIN
    cashier.wait(lambda: "That manager PIN is not right" in approval.error_label.text())
    assert approval.isVisible() and not sync_screen_visible()
    cashier.type_into(approval.pin_edit, "2222", enter=True)  # Brian, a cashier
    cashier.wait(lambda: "Brian can't approve" in approval.error_label.text())
    assert not sync_screen_visible()

    cashier.type_into(approval.pin_edit, "9999", enter=True)  # Wanjiru, the manager
    dialog = cashier.dialog(SyncDialog)
    assert dialog is window.sync_dialog
    cashier.wait(lambda: "not enrolled" in dialog.terminal_label.text())
    assert sync_screen_openings(till) == [(user_id(till, "Amina"), user_id(till, "Wanjiru"))]
    dialog.accept()


def test_cancelling_the_pin_leaves_the_sync_screen_closed(
    cashier: Any, window: Any, till: Any
) -> None:
    cashier.log_in("1111")
    window.status.sync_button.click()
    approval = cashier.dialog(ApprovalDialog)
    approval.reject()
    cashier.wait(
        lambda: "A manager must approve opening the sync screen" in cashier.sale.banner.text
    )
    cashier.idle()
    assert window.sync_dialog is None and not sync_screen_visible()
    assert sync_screen_openings(till) == []


def test_a_manager_logged_in_goes_straight_in(cashier: Any, window: Any, till: Any) -> None:
    cashier.log_in("9999")
    window.status.sync_button.click()
    dialog = cashier.dialog(SyncDialog)
    assert not any(
        isinstance(w, ApprovalDialog) and w.isVisible() for w in QApplication.topLevelWidgets()
    )
    manager = user_id(till, "Wanjiru")
    assert sync_screen_openings(till) == [(manager, manager)]
    dialog.accept()


def test_at_the_login_screen_a_managers_pin_opens_it(cashier: Any, window: Any, till: Any) -> None:
    assert window.stack.currentWidget() is window.login_screen
    window.status.sync_button.click()
    approval = cashier.dialog(ApprovalDialog)
    cashier.type_into(approval.pin_edit, "9999", enter=True)
    dialog = cashier.dialog(SyncDialog)
    manager = user_id(till, "Wanjiru")
    assert sync_screen_openings(till) == [(manager, manager)]
    dialog.accept()
    assert window.stack.currentWidget() is window.login_screen  # still nobody logged in
