"""The manager's sync screen: connection, waiting and rejected events with their reasons, the
history of recent syncs, and Sync now / Retry rejected / Enrol buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.ports.cloud import SyncReport
from asiria_desktop.services.sync.sync import SyncOverview
from asiria_desktop.ui.common.elided_label import MessageWithDetails
from asiria_desktop.ui.common.long_task import LongTask
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.sync.enroll_dialog import EnrollDialog

if TYPE_CHECKING:
    from asiria_desktop.services.results import Approval
    from asiria_desktop.services.sync.support_logs import SupportLogService

REFRESH_MS = 1000


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    header = table.horizontalHeader()
    # Every column as wide as its longest entry; the last (the message) takes the rest and
    # wraps, so neither a time nor a message is cut.
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(True)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


class SyncDialog(QDialog):
    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncDialog")
        self.setWindowTitle("Sync with head office")
        self.setModal(True)
        self.setMinimumSize(760, 620)
        self._ops = ops
        self._task = LongTask(self)
        self._logs_task = LongTask(self)
        self.overview: SyncOverview | None = None
        self.enroll_dialog: EnrollDialog | None = None

        heading = QLabel("Sync with head office")
        heading.setObjectName("dialogTitle")
        self.terminal_label = QLabel()
        self.terminal_label.setWordWrap(True)
        self.state_label = QLabel()
        self.state_label.setObjectName("syncStateLabel")
        self.state_label.setWordWrap(True)
        # A calm note (no keyring...) with the whole text behind "Details", for a manager.
        self.warning_note = MessageWithDetails("Sync", "syncWarningNote")
        self.warning_label = self.warning_note.label
        self.warning_note.setVisible(False)
        self.pending_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.rejected_table = _table(
            ["#", "Event", "Recorded", "Why it was rejected"], "rejectedTable"
        )
        self.history_table = _table(
            ["Finished", "Result", "Sent", "Received", "Message"], "historyTable"
        )
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.setObjectName("primaryButton")
        self.retry_button = QPushButton("Retry rejected")
        self.enroll_button = QPushButton("Enrol this till...")
        self.logs_button = QPushButton("Send logs to support")
        self.logs_button.setObjectName("sendLogsButton")
        self.logs_button.setToolTip("Send the till's logs of the last 3 days to head office")
        close = QPushButton("Close (Esc)")
        self.sync_button.clicked.connect(self.sync_now)
        self.retry_button.clicked.connect(self.retry_rejected)
        self.enroll_button.clicked.connect(self.enroll)
        self.logs_button.clicked.connect(self.send_logs)
        close.clicked.connect(self.accept)

        buttons = QHBoxLayout()
        for button in (self.sync_button, self.retry_button, self.enroll_button, self.logs_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.terminal_label)
        layout.addWidget(self.state_label)
        layout.addWidget(self.warning_note)
        layout.addWidget(self.pending_label)
        layout.addWidget(self.progress)
        layout.addWidget(QLabel("Rejected events (kept until a manager retries them)"))
        layout.addWidget(self.rejected_table, 1)
        layout.addWidget(QLabel("Recent syncs"))
        layout.addWidget(self.history_table, 2)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self._refreshing = False
        self.refresh()

    # ----- showing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        sync = self._ops.services.sync
        self._ops.read(sync.overview, self._show, self._read_failed)

    def _read_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        self.message_label.setText(plain_message(exc))

    def _show(self, overview: SyncOverview) -> None:
        self._refreshing = False
        self.overview = overview
        status = overview.status
        self.terminal_label.setText(overview.terminal_text)
        if not overview.enrolled:
            state = "Not connected: the till sells offline."
        elif status.revoked:
            state = f"Cannot sync: {status.error}"
        elif status.online:
            state = "Online."
        elif status.online is None:
            state = "Not synced yet."
        else:
            state = f"Offline: {status.error or 'the cloud cannot be reached'}"
        if status.last_sync_at is not None:
            state += f" Last successful sync {status.last_sync_at.strftime('%Y-%m-%d %H:%M')}."
        self.state_label.setText(state)
        self.warning_note.set_message(overview.warning_note, overview.warning or "")
        self.warning_note.setVisible(bool(overview.warning))
        self.pending_label.setText(
            f"Waiting to be sent: {overview.pending}. Rejected: {len(overview.rejected)}."
        )
        progress = status.progress
        self.progress.setVisible(progress is not None)
        if progress is not None:
            self.progress.setRange(0, progress.total or 0)  # (0, 0): a busy bar
            self.progress.setValue(progress.applied)
            self.progress.setFormat(f"Receiving the catalog: {progress.applied} changes")
        _fill(
            self.rejected_table,
            [[str(e.seq), e.label, e.recorded_at, e.reason] for e in overview.rejected],
        )
        _fill(
            self.history_table,
            [
                [
                    r.finished_at[:16].replace("T", " "),
                    "OK" if r.ok else "Failed",
                    str(r.pushed + r.duplicates),
                    str(r.pulled),
                    r.message,
                ]
                for r in overview.history
            ],
        )
        self.retry_button.setEnabled(bool(overview.rejected))
        self.sync_button.setEnabled(overview.enrolled and not self._task.running)

    # ----- acting ------------------------------------------------------------------------------

    def sync_now(self) -> None:
        if self._task.running:
            return
        self.sync_button.setEnabled(False)
        self.message_label.setText("Syncing...")
        sync = self._ops.services.sync
        self._task.start(sync.sync_now, self._synced, self._failed)

    def _synced(self, report: SyncReport) -> None:
        self.message_label.setText(report.message)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.message_label.setText(plain_message(exc))
        self.refresh()

    def retry_rejected(self) -> None:
        sync = self._ops.services.sync
        self._ops.run(sync.retry_rejected, self._retried, self._failed)

    def _retried(self, message: str) -> None:
        self.message_label.setText(message)
        self.refresh()

    def send_logs(self) -> None:
        """A manager sends the last days of logs; the upload runs off the sale's worker."""
        service: SupportLogService | None = self._ops.services.support_logs
        if service is None:
            self.message_label.setText("This till cannot send its logs.")
            return
        granted: list[Approval | None] = [None]

        def may_send(approval: Approval | None) -> None:
            granted[0] = approval
            service.may_send(approval)

        def upload(_: object) -> None:
            self.logs_button.setEnabled(False)
            self.message_label.setText("Sending the logs to head office...")
            self._logs_task.start(
                lambda: service.send(approval=granted[0]), self._logs_sent, self._logs_failed
            )

        self._ops.run_approved(may_send, upload, self._failed, parent=self)

    def _logs_sent(self, message: str) -> None:
        self.logs_button.setEnabled(True)
        self.message_label.setText(message)

    def _logs_failed(self, exc: BaseException) -> None:
        self.logs_button.setEnabled(True)
        self.message_label.setText(plain_message(exc))

    def enroll(self) -> None:
        sync = self._ops.services.sync
        dialog = EnrollDialog(self._ops, sync.default_server_url, sync.default_name, self)
        dialog.accepted.connect(lambda: self.message_label.setText(dialog.result_message))
        dialog.finished.connect(lambda _code: self.refresh())
        self.enroll_dialog = dialog
        dialog.open()

    def done(self, result: int) -> None:
        self._timer.stop()
        super().done(result)
