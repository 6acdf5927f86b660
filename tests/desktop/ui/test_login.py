from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from asiria_desktop.ui.shift.shift_dialogs import AmountDialog
from asiria_desktop.ui.signin.login_screen import LoginScreen


def test_wrong_pin_shows_a_plain_message(cashier: Any) -> None:
    login: LoginScreen = cashier.window.login_screen
    cashier.type_into(login.pin_edit, "4321", enter=True)
    cashier.wait(lambda: login.error_label.text() not in ("", "Checking…"))
    message = login.error_label.text()
    assert "PIN" in message
    assert "Traceback" not in message and "Error" not in message
    assert cashier.window.stack.currentWidget() is login
    assert login.pin_edit.text() == ""


def test_login_with_keypad_shows_cashier_and_logout_returns(cashier: Any) -> None:
    login: LoginScreen = cashier.window.login_screen
    for digit in "1111":
        button = next(b for b in login.findChildren(type(login.login_button)) if b.text() == digit)
        button.click()
    login.login_button.click()
    cashier.wait(lambda: cashier.window.stack.currentWidget() is cashier.sale)
    assert "Cashier:" in cashier.window.status.cashier_label.text()
    cashier.dialog(AmountDialog, "Open shift").reject()  # not now
    cashier.idle()
    cashier.press(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    cashier.wait(lambda: cashier.window.stack.currentWidget() is login)
    assert cashier.window.status.cashier_label.text() == "Not logged in"


RUN_SCRIPT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import seed_demo
from asiria_desktop.ui.app import MainWindow, run

till = build_till(TillConfig(data_dir=Path(sys.argv[1])))
seed_demo(till)
app = QApplication([])

def look_and_quit():
    for window in QApplication.topLevelWidgets():
        if isinstance(window, MainWindow) and window.isVisible():
            print("TITLE", window.windowTitle(), window.stack.currentWidget().objectName())
    QApplication.quit()

QTimer.singleShot(300, look_and_quit)
code = run(till.services, title="AsiriaPOS Test")
till.close()
print("EXIT", code)
"""


def test_run_shows_the_login_screen_and_returns_when_the_app_quits(tmp_path: Any) -> None:
    """The real entry point, in its own process (it owns the event loop)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", RUN_SCRIPT, str(tmp_path / "till")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert "TITLE AsiriaPOS Test" in done.stdout, done.stderr
    assert "loginScreen" in done.stdout
    assert "EXIT 0" in done.stdout
