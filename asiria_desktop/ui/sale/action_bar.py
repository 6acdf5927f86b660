"""The sale screen's big buttons, each labelled with its key, and the keys themselves."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy, QWidget

# (action name, caption, key); the order is the order on screen, PAY last and widest.
ACTIONS = (
    ("search", "Search", "F2"),
    ("price", "Price", "F3"),
    ("quantity", "Quantity", "F4"),
    ("discount", "Discount", "F5"),
    ("park", "Park", "F6"),
    ("recall", "Recall", "F7"),
    ("void_line", "Void line", "F8"),
    ("shift", "Shift", "F9"),
    ("refund", "Refund", "F10"),
    ("cancel_sale", "Cancel sale", "Ctrl+Del"),
    ("logout", "Log out", "Ctrl+L"),
    ("stock", "Stock", "F11"),
    ("pay", "PAY", "F12"),
)


class ActionBar(QWidget):
    def __init__(
        self, handlers: dict[str, Callable[[], None]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionBar")
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        small = [a for a in ACTIONS if a[0] != "pay"]
        per_row = (len(small) + 1) // 2
        for position, (name, caption, key) in enumerate(ACTIONS):
            button = QPushButton(f"{caption}\n{key}")
            button.setObjectName("payButton" if name == "pay" else "actionButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard stays with the cart
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setToolTip(f"{caption} ({key})")
            button.clicked.connect(handlers[name])
            if name == "pay":
                grid.addWidget(button, 0, per_row, 2, 1)
            else:
                grid.addWidget(button, position // per_row, position % per_row)
            # Application-wide keys, so they work whichever widget or window of the till has
            # the keyboard; a modal dialog on top still takes them away (Qt blocks shortcuts
            # of a window under a modal one), and they sleep while the sale screen is hidden.
            shortcut = QShortcut(
                QKeySequence(key), self, context=Qt.ShortcutContext.ApplicationShortcut
            )
            shortcut.activated.connect(handlers[name])
            self.buttons[name] = button
        grid.setColumnStretch(per_row, 2)
        for column in range(per_row):
            grid.setColumnStretch(column, 1)
