"""The stock screens of the sale screen's Stock key (F11): a small menu, "Receive goods" (a
delivery: supplier, delivery note, the products and quantities) and "Adjust stock" (a count or
a +/- change, with a reason; a manager approves). Both take scans from any scanner
(``accept_scan``, routed by the main window) and keep everything typed when a save is refused."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.services.results import StatusView, StockResult
from asiria_desktop.ui.common.form_dialog import FormDialog
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.widgets import dialog_buttons, error_line, primary_button
from asiria_desktop.ui.stock.stock_lines import StockLinesPanel


class StockMenuDialog(FormDialog):
    """Receive goods or adjust stock; emits ``chosen(action)`` and closes."""

    chosen = Signal(str)
    ACTIONS = (("receive", "Receive goods"), ("adjust", "Adjust stock (manager)"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Stock", "Close menu", parent)
        self.setObjectName("stockMenu")
        self.ok_button.hide()
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for action, text in self.ACTIONS:
            button = QPushButton(text)
            button.setObjectName("shiftAction")
            button.setAutoDefault(False)
            button.setMinimumHeight(64)
            button.clicked.connect(lambda _=False, a=action: self._choose(a))
            row.addWidget(button)
            self.buttons[action] = button
        self.form.addRow(row)

    def _choose(self, action: str) -> None:
        self.chosen.emit(action)
        self.accept()


class _StockDialog(QDialog):
    """Title, note, a form, the product list, the error line and Close / save (each dialog
    below defines ``save``)."""

    saved = Signal(object)  # the StockResult

    def save(self) -> None:
        raise NotImplementedError  # each dialog below saves its own kind of list

    def __init__(
        self,
        ops: Operations,
        title: str,
        note: str,
        quantity_caption: str,
        save_text: str,
        *,
        count_scans: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumSize(720, 600)
        self._ops = ops
        self._stock = ops.services.stock
        heading = QLabel(title)
        heading.setObjectName("dialogTitle")
        note_label = QLabel(note)
        note_label.setWordWrap(True)
        self.form = QFormLayout()
        self.lines = StockLinesPanel(ops, quantity_caption, count_scans=count_scans)
        self.error_label = error_line()
        self.save_button = primary_button(save_text, self.save)
        bottom = dialog_buttons(self, self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(note_label)
        layout.addLayout(self.form)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)
        self.lines.problem.connect(self.error_label.setText)

    def accept_scan(self, code: str) -> None:
        """A barcode read while this screen is open (the main window routes scans here)."""
        self.lines.add_code(code)

    def _saving(self) -> None:
        self.save_button.setEnabled(False)
        self.error_label.setText("")

    def _done(self, result: StockResult) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        """Refused: say why; the list and the form stay as they were."""
        self.save_button.setEnabled(True)
        self.error_label.setText(plain_message(exc))


class ReceiveGoodsDialog(_StockDialog):
    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(
            ops,
            "Receive goods",
            "A delivery from a supplier: scan each product (or type its name) and enter how "
            "many arrived, as on the delivery note. Weighed items in kg. The stock goes up "
            "and head office sees the delivery.",
            "Received",
            "Save delivery",
            parent=parent,
        )
        self.setObjectName("receiveGoodsDialog")
        self.supplier_edit = QLineEdit()
        self.supplier_edit.setObjectName("supplierEdit")
        self.supplier_edit.setMaxLength(120)
        self.supplier_edit.setPlaceholderText("e.g. Bidco Africa")
        self.reference_edit = QLineEdit()
        self.reference_edit.setObjectName("deliveryNoteEdit")
        self.reference_edit.setMaxLength(64)
        self.reference_edit.setPlaceholderText("the number on the delivery note")
        self.form.addRow("Supplier", self.supplier_edit)
        self.form.addRow("Delivery note", self.reference_edit)
        self.lines.focus_search()

    def save(self) -> None:
        entries = self.lines.draft.entries()
        supplier, reference = self.supplier_edit.text(), self.reference_edit.text()
        stock = self._stock
        self._saving()
        self._ops.run(lambda: stock.receive(entries, supplier, reference), self._done, self._failed)


class AdjustStockDialog(_StockDialog):
    COUNTED_CAPTION = "Counted"
    CHANGE_CAPTION = "Change (+/-)"

    def __init__(self, ops: Operations, parent: QWidget | None = None) -> None:
        super().__init__(
            ops,
            "Adjust stock",
            "Correct the stock of products: enter what you counted on the shelf, or the "
            "change (-2 for two broken, +3 found in the store room). Weighed items in kg. "
            "A manager approves.",
            self.CHANGE_CAPTION,
            "Save adjustment",
            count_scans=False,
            parent=parent,
        )
        self.setObjectName("adjustStockDialog")
        self.counted_radio = QRadioButton("What I counted")
        self.change_radio = QRadioButton("The change (+/-)")
        self.change_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.change_radio)
        group.addButton(self.counted_radio)
        modes = QHBoxLayout()
        modes.addWidget(self.change_radio)
        modes.addWidget(self.counted_radio)
        modes.addStretch(1)
        self.reason_box = QComboBox()
        self.reason_box.setObjectName("adjustReason")
        self._reasons = list(self._stock.reasons())
        for reason in self._reasons:
            self.reason_box.addItem(reason.label, reason.code)
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("adjustNote")
        self.note_edit.setPlaceholderText("what happened (needed for Other)")
        self.form.addRow("I enter", modes)
        self.form.addRow("Reason", self.reason_box)
        self.form.addRow("Note", self.note_edit)
        # A count is compared with head office's figure from the last sync: say how old it
        # is, and fetch a newer one now (other tills' sales sent since then are in it).
        self.as_of_label = QLabel()
        self.as_of_label.setObjectName("stockAsOf")
        self.as_of_label.setWordWrap(True)
        self.form.addRow("", self.as_of_label)
        self.counted_radio.toggled.connect(self._mode_changed)
        self.lines.focus_search()
        ops.services.sync.request_sync()
        ops.read(ops.services.status.snapshot, self._show_as_of)

    def _show_as_of(self, status: StatusView) -> None:
        if status.last_sync_at is None:
            text = (
                "Stock figures are this till's own: it has not synced with head office, so "
                "other tills' sales are not in them."
            )
        else:
            text = (
                f"Stock figures are head office's as of the last sync "
                f"({status.last_sync_at.strftime('%d %b %H:%M')}) plus this till's sales "
                "since. For a count, let the till sync first when it is online."
            )
        self.as_of_label.setText(text)

    @property
    def counted(self) -> bool:
        return self.counted_radio.isChecked()

    def choose_reason(self, code: str) -> None:
        self.reason_box.setCurrentIndex(self.reason_box.findData(code))

    def _mode_changed(self) -> None:
        """A count counts each scan as one more piece; a change is typed."""
        self.lines.draft.count_scans = self.counted
        self.lines.set_quantity_caption(
            self.COUNTED_CAPTION if self.counted else self.CHANGE_CAPTION
        )

    def save(self) -> None:
        entries = self.lines.draft.entries()
        reason = str(self.reason_box.currentData())
        note, counted = self.note_edit.text(), self.counted
        stock = self._stock
        self._saving()
        self._ops.run_approved(
            lambda approval: stock.adjust(
                entries, reason, note, counted=counted, approval=approval
            ),
            self._done,
            self._failed,
            parent=self,
        )
