"""Cashier login by PIN: a big PIN field and a touch keypad, Enter to log in."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.services.results import CashierSession
from asiria_desktop.services.signin.biometrics import BiometricService
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.widgets import error_line
from asiria_desktop.ui.signin.touch_dialog import TouchDialog


class LoginScreen(QWidget):
    logged_in = Signal(object)  # the CashierSession

    def __init__(self, ops: Operations, store_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginScreen")
        self._ops = ops
        title = QLabel(store_name)
        title.setObjectName("loginTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        prompt = QLabel("Enter your PIN and press Enter")
        prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("pinEdit")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_edit.setValidator(QRegularExpressionValidator(r"\d{0,12}"))
        self.pin_edit.setPlaceholderText("PIN")
        self.pin_edit.returnPressed.connect(self.submit)
        self.error_label = error_line()
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.login_button = QPushButton("Log in (Enter)")
        self.login_button.setObjectName("primaryButton")
        self.login_button.clicked.connect(self.submit)
        self.touch_button = QPushButton("Touch to sign in")
        self.touch_button.setObjectName("touchSignInButton")
        self.touch_button.clicked.connect(self.sign_in_by_touch)
        self.touch_button.setVisible(_biometrics(ops) is not None)
        self.touch_dialog: TouchDialog | None = None

        keypad = QGridLayout()
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "⌫"]
        for position, key in enumerate(keys):
            button = QPushButton(key)
            button.setObjectName("keypadButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self._press(k))
            keypad.addWidget(button, position // 3, position % 3)

        panel = QWidget()
        panel.setObjectName("loginPanel")
        panel.setFixedWidth(380)
        column = QVBoxLayout(panel)
        column.setContentsMargins(24, 24, 24, 24)
        column.setSpacing(10)
        column.addWidget(title)
        column.addWidget(prompt)
        column.addWidget(self.pin_edit)
        column.addWidget(self.error_label)
        column.addLayout(keypad)
        column.addWidget(self.login_button)
        column.addWidget(self.touch_button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)

    def reset(self) -> None:
        self.pin_edit.clear()
        self.error_label.clear()
        self.login_button.setEnabled(True)
        self.pin_edit.setFocus()

    def submit(self) -> None:
        pin = self.pin_edit.text()
        if not pin:
            self.error_label.setText("Enter your PIN.")
            return
        self.login_button.setEnabled(False)
        self.error_label.setText("Checking…")
        auth = self._ops.services.auth
        self._ops.run(lambda: auth.login(pin), self._on_success, self._on_failure)

    def sign_in_by_touch(self) -> None:
        """Fingerprint, Windows Hello or security key; the PIN field stays as the fallback."""
        biometrics = _biometrics(self._ops)
        if biometrics is None:
            return
        dialog = TouchDialog(biometrics, self._ops.runner, "login", parent=self)
        dialog.signed_in.connect(self._on_success)
        self.touch_dialog = dialog
        dialog.open()

    def _on_success(self, session: CashierSession) -> None:
        self.reset()
        self.logged_in.emit(session)

    def _on_failure(self, exc: BaseException) -> None:
        self.login_button.setEnabled(True)
        self.pin_edit.clear()
        self.pin_edit.setFocus()
        self.error_label.setText(plain_message(exc))

    def _press(self, key: str) -> None:
        if key == "Clear":
            self.pin_edit.clear()
        elif key == "⌫":
            self.pin_edit.backspace()
        else:
            self.pin_edit.insert(key)
        self.pin_edit.setFocus()


def _biometrics(ops: Operations) -> BiometricService | None:
    biometrics = ops.services.biometrics
    return biometrics if biometrics is not None and biometrics.available else None
