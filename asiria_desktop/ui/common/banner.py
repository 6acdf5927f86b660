"""A non-blocking message strip above the cart: the cashier keeps scanning while it shows."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class MessageBanner(QFrame):
    """Shows one message at a time, optionally with one or two action buttons; hides itself
    later."""

    LEVELS = ("info", "success", "warning", "error")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.action_button = QPushButton()
        self.action_button.setObjectName("bannerAction")
        self.action_button.hide()
        self.second_button = QPushButton()
        self.second_button.setObjectName("bannerAction2")
        self.second_button.hide()
        self.close_button = QPushButton("✕")
        self.close_button.setObjectName("bannerClose")
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.setToolTip("Hide this message")
        self.close_button.clicked.connect(self.clear)
        for button in (self.action_button, self.second_button, self.close_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action_button)
        layout.addWidget(self.second_button)
        layout.addWidget(self.close_button)
        self._action: Callable[[], None] | None = None
        self._second: Callable[[], None] | None = None
        self.action_button.clicked.connect(self._run_action)
        self.second_button.clicked.connect(self._run_second)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""

    def show_message(
        self,
        text: str,
        level: str = "info",
        *,
        action: tuple[str, Callable[[], None]] | None = None,
        second_action: tuple[str, Callable[[], None]] | None = None,
        timeout_ms: int | None = None,
    ) -> None:
        self.setProperty("level", level if level in self.LEVELS else "info")
        self.style().unpolish(self)
        self.style().polish(self)
        self.label.setText(text)
        if action is None:
            self._action = None
            self.action_button.hide()
        else:
            self.action_button.setText(action[0])
            self._action = action[1]
            self.action_button.show()
        if second_action is None:
            self._second = None
            self.second_button.hide()
        else:
            self.second_button.setText(second_action[0])
            self._second = second_action[1]
            self.second_button.show()
        self.show()
        # Errors and offers stay until dealt with; confirmations fade away on their own.
        if timeout_ms is None:
            timeout_ms = 6000 if level in ("info", "success") and action is None else 0
        if timeout_ms:
            self._timer.start(timeout_ms)
        else:
            self._timer.stop()

    def clear(self) -> None:
        self._timer.stop()
        self._action = None
        self._second = None
        self.hide()

    def _run_action(self) -> None:
        action = self._action
        self.clear()
        if action is not None:
            action()

    def _run_second(self) -> None:
        action = self._second
        self.clear()
        if action is not None:
            action()
