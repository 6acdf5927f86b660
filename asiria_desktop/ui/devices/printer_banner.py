"""The printer strip: shows while the printer has a problem, in plain words, with Retry (the
cashier fixed it: print the waiting receipts now) and Discard (forget the waiting receipts; each
can be reprinted from its sale). It never blocks selling."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class PrinterBanner(QFrame):
    retry_requested = Signal()
    discard_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printerBanner")
        self.label = QLabel()
        self.label.setObjectName("printerBannerText")
        self.label.setWordWrap(True)
        self.retry_button = QPushButton("Retry printing")
        self.retry_button.setObjectName("printerRetry")
        self.discard_button = QPushButton("Discard waiting receipts")
        self.discard_button.setObjectName("printerDiscard")
        self.discard_button.setToolTip("They can be reprinted later from the sale")
        for button in (self.retry_button, self.discard_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the cart
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        layout.addWidget(self.discard_button)
        self.retry_button.clicked.connect(self.retry_requested)
        self.discard_button.clicked.connect(self.discard_requested)
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def show_printer(self, ok: bool, message: str, waiting: int) -> None:
        """Show the strip for a problem; hide it once the printer is fine again."""
        if ok or not message:
            self.hide()
            return
        text = message.rstrip(".")
        then = "Retry prints them now" if waiting else "Press Retry to check it again"
        self.label.setText(f"{text}. Selling goes on. Fixed? {then}.")
        self.discard_button.setVisible(waiting > 0)
        self.show()
