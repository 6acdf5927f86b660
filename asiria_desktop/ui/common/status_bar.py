"""The status bar: online/offline, unsent events, the printer, the cashier on duty and the
shift. ``snapshot_changed`` hands each fresh StatusView on (the printer strip listens)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStatusBar,
    QWidget,
)

from asiria_desktop.services.results import CashierSession, StatusView
from asiria_desktop.ui.common.elided_label import MessageWithDetails
from asiria_desktop.ui.common.operations import Operations

REFRESH_MS = 5000
SYNCING_REFRESH_MS = 1000  # while a sync runs: a cloud that stops answering shows in seconds
#: What the cashier sees at a glance, not only as a word: an icon and a colour per state.
NETWORK_ICONS = {"online": "●", "offline": "✖", "connecting": "◌", "local": "○", "training": "○"}


class TillStatusBar(QStatusBar):
    sync_requested = Signal()  # the "Sync" button: open the sync screen
    snapshot_changed = Signal(object)  # each fresh StatusView
    _printer_news = Signal()  # from the print queue's thread: refresh soon
    _sync_news = Signal()  # from the sync thread: a sync started or ended

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tillStatusBar")
        self._ops = ops
        self.network_icon = QLabel(NETWORK_ICONS["local"])
        self.network_icon.setObjectName("networkIcon")
        self.network_label = QLabel("Offline")
        self.network_label.setObjectName("networkLabel")
        # Icon and word on one coloured badge: the state reads at a glance, from afar.
        self.network_badge = QWidget()
        self.network_badge.setObjectName("networkBadge")
        self.network_badge.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        badge = QHBoxLayout(self.network_badge)
        badge.setContentsMargins(0, 0, 0, 0)
        badge.setSpacing(0)
        badge.addWidget(self.network_icon)
        badge.addWidget(self.network_label)
        self.unsent_label = QLabel("Unsent: -")
        self.shift_label = QLabel("No shift open")
        self.cashier_label = QLabel("Not logged in")
        self.cashier_label.setObjectName("cashierLabel")
        self.printer_label = QLabel("")
        self.printer_label.setObjectName("printerLabel")
        self.devices_label = QLabel("")  # scanner or display problems
        self.devices_label.setObjectName("devicesLabel")
        self.last_sync_label = QLabel("")
        self.last_sync_label.setObjectName("lastSyncLabel")
        # Why sync does not work, in plain words. A message too long for the bar ends in "…"
        # (it never widens the window past the screen) and "Details" shows all of it.
        self.sync_message = MessageWithDetails("Sync", "syncErrorLabel")
        self.sync_error_label = self.sync_message.label
        self.sync_progress = QProgressBar()
        self.sync_progress.setObjectName("syncProgress")
        self.sync_progress.setMaximumWidth(220)
        self.sync_progress.setVisible(False)
        self.sync_button = QPushButton("Sync")
        self.sync_button.setObjectName("syncButton")
        self.sync_button.setToolTip("Sync with head office: unsent and rejected events")
        self.sync_button.clicked.connect(self.sync_requested)
        for widget in (self.network_badge, self.unsent_label, self.last_sync_label):
            self.addWidget(widget)
        self.addWidget(self.sync_progress)
        self.addWidget(self.shift_label)
        self.addWidget(self.printer_label)
        self.addWidget(self.devices_label)
        self.addWidget(self.sync_message, 1)
        self.addPermanentWidget(self.sync_button)
        self.addPermanentWidget(self.cashier_label)
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self._refreshing = False
        self._again = False  # news came during a refresh: refresh once more after it
        self._printer_news.connect(self.refresh, Qt.ConnectionType.QueuedConnection)
        self._sync_news.connect(self.refresh, Qt.ConnectionType.QueuedConnection)
        ops.services.status.on_printer_status(lambda _status: self._printer_news.emit())
        ops.services.status.on_sync_change(self._sync_news.emit)

    def set_cashier(self, session: CashierSession | None) -> None:
        if session is None:
            self.cashier_label.setText("Not logged in")
        else:
            self.cashier_label.setText(f"Cashier: {session.name}")

    def set_shift(self, text: str) -> None:
        self.shift_label.setText(text)

    def refresh(self) -> None:
        if self._refreshing:  # a slow disk must not pile up status queries
            self._again = True
            return
        self._refreshing = True
        status = self._ops.services.status
        self._ops.read(status.snapshot, self._show, self._failed)

    def _show(self, snapshot: StatusView) -> None:
        self._refreshing = False
        if self._again:
            self._again = False
            self.refresh()
        self._timer.setInterval(SYNCING_REFRESH_MS if snapshot.syncing else REFRESH_MS)
        self.network_label.setText(snapshot.network_text)
        self.network_label.setProperty("online", bool(snapshot.online))
        self.network_icon.setText(NETWORK_ICONS.get(snapshot.network_state, "○"))
        for widget in (self.network_badge, self.network_icon, self.network_label):
            widget.setProperty("state", snapshot.network_state)
            widget.style().unpolish(widget)
            widget.style().polish(widget)
        unsent = f"Unsent: {snapshot.unsent_events}"
        if snapshot.rejected_events:
            unsent += f" ({snapshot.rejected_events} rejected)"
        self.unsent_label.setText(unsent)
        self.unsent_label.setVisible(snapshot.network_state != "training")  # nothing ever goes
        self.last_sync_label.setText(snapshot.last_sync_text)
        # Only what stops syncing; a warning (no keyring) is a note on the sync screen.
        self.sync_message.set_message(snapshot.error or "")
        self.network_label.setToolTip(snapshot.message or "")
        progress = snapshot.progress
        self.sync_progress.setVisible(progress is not None)
        if progress is not None:
            applied, total = progress
            self.sync_progress.setRange(0, total or 0)
            self.sync_progress.setValue(applied)
            self.sync_progress.setFormat(f"Catalog {applied}" + (f"/{total}" if total else ""))
        self._show_devices(snapshot)
        self.snapshot_changed.emit(snapshot)

    def _show_devices(self, snapshot: StatusView) -> None:
        self.printer_label.setText(snapshot.printer_text)
        self.printer_label.setToolTip(snapshot.printer_text)
        self.printer_label.setProperty("ok", bool(snapshot.printer_ok))
        self.printer_label.style().unpolish(self.printer_label)
        self.printer_label.style().polish(self.printer_label)
        problems = "; ".join(snapshot.device_problems)
        self.devices_label.setText(problems)
        self.devices_label.setToolTip(problems)

    def _failed(self, _exc: BaseException) -> None:
        # The status line is informative only: never nag the cashier about it.
        self._refreshing = False
        self._again = False
        self.unsent_label.setText("Unsent: ?")
