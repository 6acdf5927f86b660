"""Connecting the till to the cloud: the first-run question and the enrolment form."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.ui.common.form_dialog import FormDialog
from asiria_desktop.ui.common.long_task import LongTask
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations


class FirstRunDialog(QDialog):
    """Asked once on a till that is not enrolled: enrol now, or skip and sell offline."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle("Connect this till")
        self.setModal(True)
        self.setMinimumWidth(480)
        heading = QLabel("Connect this till to head office?")
        heading.setObjectName("dialogTitle")
        text = QLabel(
            "This till is not connected to the cloud yet. You can sell right away: every sale "
            "is kept on this till and sent once it is connected."
        )
        text.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.enroll_button: QPushButton = buttons.addButton(
            "Enrol now", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.enroll_button.setObjectName("primaryButton")
        self.skip_button: QPushButton = buttons.addButton(
            "Skip and sell offline", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.enroll_button.clicked.connect(self.accept)
        self.skip_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addWidget(buttons)


class EnrollDialog(FormDialog):
    """Server address, one-time code and a name; enrols in the background."""

    def __init__(
        self,
        ops: Operations,
        server_url: str = "",
        name: str = "Till 1",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Enrol this till", "Enrol", parent)
        self.setObjectName("enrollDialog")
        self._ops = ops
        note = QLabel(
            "Ask head office for an enrolment code (it works once and expires). Enrolling "
            "again replaces this till's old connection."
        )
        note.setWordWrap(True)
        self.form.addRow(note)
        self.server_edit = QLineEdit(server_url)
        self.server_edit.setPlaceholderText("https://pos.example.com")
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("enrollCodeEdit")
        self.name_edit = QLineEdit(name)
        self.form.addRow("Cloud address", self.server_edit)
        self.form.addRow("Enrolment code", self.code_edit)
        self.form.addRow("Till name", self.name_edit)
        self.result_message = ""
        self._task = LongTask(self)

    def submit(self) -> None:
        server, code, name = (
            self.server_edit.text().strip(),
            self.code_edit.text().strip(),
            self.name_edit.text().strip(),
        )
        if not server or not code:
            self.show_error("Type the cloud address and the enrolment code.")
            return
        self.ok_button.setEnabled(False)
        self.show_error("Connecting...")
        sync = self._ops.services.sync
        self._task.start(lambda: sync.enroll(server, code, name), self._done, self._failed)

    def _done(self, message: str) -> None:
        self.result_message = message
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.show_error(plain_message(exc))
