"""Shows a report or any preformatted text (X and Z reports) in a monospace pane."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget


class TextReportDialog(QDialog):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumSize(520, 600)
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        self.text_view = QPlainTextEdit(text)
        self.text_view.setReadOnly(True)
        self.text_view.setObjectName("reportText")
        close = QPushButton("Close (Esc)")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.text_view, 1)
        layout.addWidget(close)

    @property
    def text(self) -> str:
        return self.text_view.toPlainText()
