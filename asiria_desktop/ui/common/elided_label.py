"""A one-line label that never cuts a message silently: a text too long for its room ends in
"…" and a "Details" button beside it shows the whole message."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QWidget,
)


class ElidedLabel(QLabel):
    """``text()`` is always the whole message; only the painting is shortened, with "…"."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def is_elided(self) -> bool:
        room = self.contentsRect().width()
        return self.fontMetrics().horizontalAdvance(self.text()) > room

    def shown_text(self) -> str:
        """What is painted: the whole text when it fits, else its start and "…"."""
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance("Wait…"), super().minimumSizeHint().height()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(
            self.contentsRect(),
            int(self.alignment() | Qt.AlignmentFlag.AlignVCenter),
            self.shown_text(),
        )


class MessageWithDetails(QWidget):
    """An ``ElidedLabel`` plus a "Details" button (shown when there is a message) that opens
    the whole text in a window of its own."""

    def __init__(self, title: str, label_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.label = ElidedLabel()
        self.label.setObjectName(label_name)
        self.details_button = QPushButton("Details")
        self.details_button.setObjectName("detailsButton")
        self.details_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.details_button.setVisible(False)
        self.details_button.clicked.connect(self.show_details)
        self.details_box: QMessageBox | None = None
        self._details = ""
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.details_button)

    def set_message(self, short: str, details: str = "") -> None:
        """``short`` on the line; ``details`` (default: ``short``) behind the button."""
        self._details = details or short
        self.label.setText(short)
        self.label.setToolTip(self._details)
        self.details_button.setVisible(bool(self._details))

    def show_details(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.title,
            self._details,
            QMessageBox.StandardButton.Ok,
            self.window(),  # not inside the status bar, whose light text is for a dark bar
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_box = box
        box.open()
