"""Last-document pane: the last receipt, refund slip or void slip, exactly as printed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

RECEIPT_COLUMNS = 42
RECEIPT_FONT_PX = 13  # keep equal to #receiptText in theme.py
TITLES = {"sale": "Last receipt", "refund": "Last refund slip", "void": "Last void slip"}


class ReceiptPreview(QWidget):
    reprint_requested = Signal(str)  # receipt number

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptPreview")
        self.title = QLabel(TITLES["sale"])
        self.title.setObjectName("panelTitle")
        self.text_view = QPlainTextEdit()
        self.text_view.setObjectName("receiptText")
        self.text_view.setReadOnly(True)
        self.text_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # The theme sets the pane's font size (a style sheet overrides setFont); measure with the
        # same font so that a whole 42-column receipt line fits, and the preview reads like paper.
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPixelSize(RECEIPT_FONT_PX)
        width = QFontMetrics(font).horizontalAdvance("M" * RECEIPT_COLUMNS)
        self.setFixedWidth(width + 40)
        self.text_view.setPlaceholderText("The receipt of the last sale shows here.")
        self.reprint_button = QPushButton("Reprint")
        self.reprint_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reprint_button.setEnabled(False)
        self.reprint_button.clicked.connect(self._reprint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.text_view, 1)
        layout.addWidget(self.reprint_button)
        self._receipt_no = ""

    @property
    def text(self) -> str:
        return self.text_view.toPlainText()

    def show_receipt(self, receipt_no: str, text: str, kind: str = "sale") -> None:
        """``receipt_no``: what Reprint asks for (a receipt, refund or "VOID ..." number)."""
        self.title.setText(TITLES.get(kind, TITLES["sale"]))
        self._receipt_no = receipt_no
        self.text_view.setPlainText(text)
        self.reprint_button.setEnabled(bool(receipt_no))

    def _reprint(self) -> None:
        if self._receipt_no:
            self.reprint_requested.emit(self._receipt_no)
