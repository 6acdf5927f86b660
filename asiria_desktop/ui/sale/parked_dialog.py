"""Park the current sale under a label, and the list of parked sales to recall one."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QWidget

from asiria_desktop.services.results import ParkedView
from asiria_desktop.ui.common.form_dialog import FormDialog


class ParkDialog(FormDialog):
    chosen = Signal(str)  # the label (may be empty)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Park this sale", "Park sale", parent)
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("parkLabel")
        self.label_edit.setPlaceholderText("Customer name or note (optional)")
        self.form.addRow("Label", self.label_edit)
        self.label_edit.setFocus()

    def submit(self) -> None:
        self.chosen.emit(self.label_edit.text().strip())
        self.accept()


class RecallDialog(FormDialog):
    """Lists the parked sales; Enter or double-click recalls the chosen one."""

    chosen = Signal(object)  # the parked sale's id

    def __init__(self, parked: list[ParkedView], parent: QWidget | None = None) -> None:
        super().__init__("Parked sales", "Recall sale", parent)
        self.setMinimumSize(520, 420)
        self.list_widget = QListWidget()
        self.list_widget.setObjectName("parkedList")
        for entry in parked:
            item = QListWidgetItem(parked_text(entry))
            item.setData(Qt.ItemDataRole.UserRole, entry.id)
            self.list_widget.addItem(item)
        if parked:
            self.list_widget.setCurrentRow(0)
        else:
            self.show_error("No sales are parked.")
            self.ok_button.setEnabled(False)
        self.list_widget.itemDoubleClicked.connect(lambda _item: self.submit())
        self.form.addRow(self.list_widget)
        self.list_widget.setFocus()

    def submit(self) -> None:
        item = self.list_widget.currentItem()
        if item is None:
            self.show_error("Choose a parked sale first.")
            return
        self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
        self.accept()


def parked_text(entry: ParkedView) -> str:
    label = entry.label or "No label"
    when = entry.parked_at.astimezone().strftime("%H:%M")
    return f"{label}    {entry.total_text}    {entry.item_count} items    {when}".rstrip()
