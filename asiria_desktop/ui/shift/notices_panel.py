"""The managers' notices: a status-bar button with the unread count, and the panel listing
what head office flagged for this store (read on the till even while offline)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.domain.wording import plural
from asiria_desktop.services.shift.notices import NoticeBoard, NoticeService
from asiria_desktop.ui.common.operations import Operations

UNREAD_MARK = "●"


class NoticesButton(QPushButton):
    """Shown only to a signed-in manager or owner; says how many notices they have not read."""

    board_changed = Signal(object)  # each fresh NoticeBoard

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__("Notices", parent)
        self.setObjectName("noticesButton")
        self.setToolTip("Notices from head office for this store")
        self._ops = ops
        self._reading = False
        self._again = False  # asked again while reading (someone signed in): read once more
        self.unread = 0
        self.setVisible(False)

    def refresh(self) -> None:
        service = self._ops.services.notices
        if service is None:
            return
        if self._reading:
            self._again = True
            return
        self._reading = True
        self._ops.read(service.board, self.show_board, self._failed)

    def show_board(self, board: NoticeBoard) -> None:
        self._reading = False
        if self._again:
            self._again = False
            self.refresh()
        self.unread = board.unread
        self.setVisible(board.allowed)
        self.setText(f"Notices  {board.unread}" if board.unread else "Notices")
        self.setProperty("unread", bool(board.unread))
        self.style().unpolish(self)
        self.style().polish(self)
        self.setToolTip(
            f"{plural(board.unread, 'unread notice')} from head office"
            if board.unread
            else "No unread notices from head office"
        )
        self.board_changed.emit(board)

    def _failed(self, _exc: BaseException) -> None:
        self._reading = False
        self._again = False  # the count is informative: the next refresh tries again


class NoticesDialog(QDialog):
    """Newest first; unread ones marked. "Mark read" tells head office too (at the next sync)."""

    changed = Signal()  # something was marked read: the badge should refresh

    def __init__(
        self, ops: Operations, service: NoticeService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noticesDialog")
        self.setWindowTitle("Notices for this store")
        self.setMinimumSize(720, 480)
        self._ops = ops
        self._service = service
        self.summary = QLabel("Loading notices ...")
        self.summary.setObjectName("noticesSummary")
        self.list_widget = QListWidget()
        self.list_widget.setObjectName("noticesList")
        self.list_widget.setWordWrap(True)
        self.list_widget.setAlternatingRowColors(True)
        self.list_widget.itemDoubleClicked.connect(lambda item: self._mark([self._id(item)]))
        self.mark_button = QPushButton("Mark read")
        self.mark_button.setObjectName("noticesMarkRead")
        self.mark_button.clicked.connect(self.mark_selected)
        self.mark_all_button = QPushButton("Mark all read")
        self.mark_all_button.setObjectName("noticesMarkAllRead")
        self.mark_all_button.clicked.connect(self.mark_all)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mark_button)
        buttons.addWidget(self.mark_all_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list_widget, 1)
        layout.addLayout(buttons)
        self.board: NoticeBoard | None = None
        self.reload()

    def reload(self) -> None:
        self._ops.read(self._service.board, self.show_board)

    def show_board(self, board: NoticeBoard) -> None:
        self.board = board
        self.list_widget.clear()
        if not board.allowed:
            self.summary.setText("Notices are for managers and owners.")
        elif not board.lines:
            self.summary.setText(
                "No notices yet. Head office's notices for this store appear here after a sync."
            )
        else:
            self.summary.setText(
                f"{plural(len(board.lines), 'notice')}, {board.unread} unread. "
                "Double-click one, or choose it and press Mark read."
            )
        bold = QFont(self.list_widget.font())
        bold.setBold(True)
        for line in board.lines:
            mark = f"{UNREAD_MARK} " if line.unread else ""
            item = QListWidgetItem(f"{mark}{line.title}    {line.when}\n{line.message}")
            item.setData(Qt.ItemDataRole.UserRole, line.id)
            if line.unread:
                item.setFont(bold)
            self.list_widget.addItem(item)
        if board.lines:
            self.list_widget.setCurrentRow(0)
        self.mark_button.setEnabled(bool(board.unread))
        self.mark_all_button.setEnabled(bool(board.unread))

    def mark_selected(self) -> None:
        ids = [self._id(item) for item in self.list_widget.selectedItems()]
        self._mark(ids)

    def mark_all(self) -> None:
        if self.board is not None:
            self._mark([line.id for line in self.board.lines if line.unread])

    def _mark(self, ids: list[str]) -> None:
        if ids:
            self._ops.run(lambda: self._service.mark_read(ids), lambda _count: self._marked())

    def _marked(self) -> None:
        self.changed.emit()
        self.reload()

    @staticmethod
    def _id(item: QListWidgetItem) -> str:
        return str(item.data(Qt.ItemDataRole.UserRole))
