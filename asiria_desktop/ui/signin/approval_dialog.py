"""Manager approval: asked for when a service raises ApprovalRequired."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.domain.errors import ApprovalRequired
from asiria_desktop.services.results import Approval
from asiria_desktop.services.signin.auth import AuthService
from asiria_desktop.services.signin.biometrics import BiometricService
from asiria_desktop.ui.common.background import BackgroundRunner
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.widgets import error_line
from asiria_desktop.ui.signin.touch_dialog import TouchDialog


class ApprovalDialog(QDialog):
    """Asks a manager or owner for their PIN; emits `approved(Approval)` once it checks out."""

    approved = Signal(object)

    def __init__(
        self,
        auth: AuthService,
        runner: BackgroundRunner,
        request: ApprovalRequired,
        parent: QWidget | None = None,
        biometrics: BiometricService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("approvalDialog")
        self.setWindowTitle("Manager approval")
        self.setModal(True)
        self._auth = auth
        self._runner = runner
        self._action = request.action
        title = QLabel("Manager approval needed")
        title.setObjectName("dialogTitle")
        reason = QLabel(request.message)
        reason.setWordWrap(True)
        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("approvalPin")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText("Manager PIN")
        self.pin_edit.setValidator(QRegularExpressionValidator(r"\d{0,12}"))
        self.pin_edit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_label = error_line()
        buttons = QDialogButtonBox()
        self.approve_button = buttons.addButton("Approve", QDialogButtonBox.ButtonRole.AcceptRole)
        self.approve_button.setDefault(True)
        cancel = buttons.addButton("Cancel (Esc)", QDialogButtonBox.ButtonRole.RejectRole)
        self.approve_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self._biometrics = biometrics if biometrics is not None and biometrics.available else None
        self.touch_button = buttons.addButton(
            "Approve by touch", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.touch_button.setObjectName("approveByTouch")
        self.touch_button.setAutoDefault(False)
        self.touch_button.clicked.connect(self.approve_by_touch)
        self.touch_button.setVisible(self._biometrics is not None)
        self.touch_dialog: TouchDialog | None = None
        layout = QVBoxLayout(self)
        for widget in (title, reason, self.pin_edit, self.error_label, buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(420)
        self.pin_edit.setFocus()

    def submit(self) -> None:
        pin = self.pin_edit.text()
        if not pin:
            self.error_label.setText("Enter the manager's PIN.")
            return
        self.approve_button.setEnabled(False)
        self._runner.run(
            lambda: self._auth.approve(pin, self._action), self._on_approved, self._on_failed
        )

    def approve_by_touch(self) -> None:
        """A manager's fingerprint or security key instead of their PIN."""
        if self._biometrics is None:
            return
        dialog = TouchDialog(self._biometrics, self._runner, "approval", self._action, self)
        dialog.approved.connect(self._on_approved)
        self.touch_dialog = dialog
        dialog.open()

    def _on_approved(self, approval: Approval) -> None:
        self.approved.emit(approval)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.approve_button.setEnabled(True)
        self.pin_edit.clear()
        self.pin_edit.setFocus()
        self.error_label.setText(plain_message(exc))
