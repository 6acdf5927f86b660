"""The "paid later" strip: an M-Pesa prompt was paid after the till stopped waiting for it, and
no sale holds the payment yet. It says so in plain words with a Claim button; it never blocks
selling and goes away once every such payment is on a sale."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from asiria_desktop.services.sale.mpesa_watch import PaidLaterNews

HOW_TO_CLAIM = "Claim it for the sale it pays (or press F6 on the payment screen)."


class PaidLaterStrip(QFrame):
    claim_requested = Signal()
    news_arrived = Signal(object)  # a PaidLaterNews, from any thread (the sync's, mostly)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paidLaterStrip")
        self.label = QLabel()
        self.label.setObjectName("paidLaterText")
        self.label.setWordWrap(True)
        self.claim_button = QPushButton("Claim payment")
        self.claim_button.setObjectName("paidLaterClaim")
        self.claim_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays put
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.claim_button)
        self.claim_button.clicked.connect(self.claim_requested)
        self.news_arrived.connect(self.show_news, Qt.ConnectionType.QueuedConnection)
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def show_news(self, news: PaidLaterNews) -> None:
        if not news.prompts:
            self.hide()
            return
        self.label.setText(f"{news.text} {HOW_TO_CLAIM}")
        self.show()
