"""The status bar: online/offline, unsent events, the cashier on duty and the shift."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from asiria_desktop.ui.operations import Operations

REFRESH_MS = 5000


class TillStatusBar(QStatusBar):
    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tillStatusBar")
        self._ops = ops
        self.network_label = QLabel("Offline")
        self.network_label.setObjectName("networkLabel")
        self.unsent_label = QLabel("Unsent: -")
        self.shift_label = QLabel("No shift open")
        self.cashier_label = QLabel("Not logged in")
        self.cashier_label.setObjectName("cashierLabel")
        for label in (self.network_label, self.unsent_label, self.shift_label):
            self.addWidget(label)
        self.addPermanentWidget(self.cashier_label)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self._refreshing = False

    def set_cashier(self, session: Any | None) -> None:
        if session is None:
            self.cashier_label.setText("Not logged in")
        else:
            self.cashier_label.setText(f"Cashier: {session.name}")

    def set_shift(self, text: str) -> None:
        self.shift_label.setText(text)

    def refresh(self) -> None:
        if self._refreshing:  # a slow disk must not pile up status queries
            return
        self._refreshing = True
        status = self._ops.services.status
        self._ops.read(status.snapshot, self._show, self._failed)

    def _show(self, snapshot: Any) -> None:
        self._refreshing = False
        if snapshot.online is None:
            network = "Offline (sync not set up)"
        else:
            network = "Online" if snapshot.online else "Offline"
        self.network_label.setText(network)
        self.network_label.setProperty("online", bool(snapshot.online))
        self.unsent_label.setText(f"Unsent: {snapshot.unsent_events}")
        message = getattr(snapshot, "message", "")
        self.network_label.setToolTip(message or "")

    def _failed(self, _exc: BaseException) -> None:
        # The status line is informative only: never nag the cashier about it.
        self._refreshing = False
        self.unsent_label.setText("Unsent: ?")
