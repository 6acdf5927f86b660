"""A small base for the till's input dialogs: a title, a form, an error line, OK and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.ui.common.widgets import error_line


class FormDialog(QDialog):
    def __init__(self, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(440)
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        self.form = QFormLayout()
        self.form.setVerticalSpacing(10)
        self.error_label = error_line()
        buttons = QDialogButtonBox()
        self.ok_button: QPushButton = buttons.addButton(
            ok_text, QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.ok_button.setObjectName("primaryButton")
        self.ok_button.setDefault(True)
        self.cancel_button = buttons.addButton(
            "Cancel (Esc)", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def submit(self) -> None:  # overridden: read the form, then accept() or show_error()
        self.accept()

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
