"""The customer of the sale: found by phone, or added with their WhatsApp consent.

Opened from the payment dialog ("Customer  F7"). The cashier types the phone number; a
customer this till has met comes back with their name and consent; a new one needs a name and,
if they agree, the consent box ticked. "Send this receipt on WhatsApp" is offered only with
consent. Attaching never blocks the sale: the customer rides with the sale to the cloud.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from asiria_desktop.domain.customer import SaleCustomer
from asiria_desktop.services.sale.customers import CustomerLookup, CustomerService
from asiria_desktop.ui.common.form_dialog import FormDialog
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations

CONSENT_TEXT = "Agrees to receive receipts and offers on WhatsApp"
RECEIPT_TEXT = "Send this receipt on WhatsApp"


class CustomerDialog(FormDialog):
    attached = Signal(object)  # the SaleCustomer, or None when removed

    def __init__(
        self, ops: Operations, service: CustomerService, parent: QWidget | None = None
    ) -> None:
        super().__init__("Customer for this sale", "Attach customer", parent)
        self.setObjectName("customerDialog")
        self._ops = ops
        self._service = service
        self.phone_edit = QLineEdit()
        self.phone_edit.setObjectName("customerPhone")
        self.phone_edit.setPlaceholderText("0712 345 678")
        self.phone_edit.setMaxLength(24)
        self.find_button = QPushButton("Find")
        self.find_button.setAutoDefault(False)
        self.find_button.clicked.connect(self.find_customer)
        self.phone_edit.returnPressed.connect(self.find_customer)
        self.found_label = QLabel("Type the customer's phone number, then Enter.")
        self.found_label.setObjectName("customerFound")
        self.found_label.setWordWrap(True)
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("customerName")
        self.name_edit.setPlaceholderText("e.g. Akinyi Otieno")
        self.name_edit.setMaxLength(120)
        self.consent_box = QCheckBox(CONSENT_TEXT)
        self.consent_box.setObjectName("customerConsent")
        self.receipt_box = QCheckBox(RECEIPT_TEXT)
        self.receipt_box.setObjectName("customerReceipt")
        self.receipt_box.setEnabled(False)
        self.consent_box.toggled.connect(self._consent_changed)
        self.remove_button = QPushButton("Remove customer")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove)
        self.form.addRow("Phone", self.phone_edit)
        self.form.addRow("", self.find_button)
        self.form.addRow(self.found_label)
        self.form.addRow("Name", self.name_edit)
        self.form.addRow(self.consent_box)
        self.form.addRow(self.receipt_box)
        self.form.addRow(self.remove_button)
        current = self._service.attached
        self.remove_button.setVisible(current is not None)
        if current is not None:
            self._show_attached(current)
        self.ok_button.setDefault(False)
        self.ok_button.setAutoDefault(False)
        self.phone_edit.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter in the phone field looks the number up (returnPressed); it never attaches.
            if self.focusWidget() is not self.phone_edit:
                self.submit()
            return
        super().keyPressEvent(event)

    def _show_attached(self, customer: SaleCustomer) -> None:
        self.phone_edit.setText(customer.phone)
        self.name_edit.setText(customer.name)
        self.consent_box.setChecked(customer.whatsapp_consent)
        self.receipt_box.setChecked(customer.digital_receipt)
        self.found_label.setText(f"Attached: {customer.label}.")

    def _consent_changed(self, consent: bool) -> None:
        self.receipt_box.setEnabled(consent)
        if not consent:
            self.receipt_box.setChecked(False)

    def find_customer(self) -> None:
        phone = self.phone_edit.text()
        if not phone.strip():
            self.show_error("Type the customer's phone number.")
            return
        self.show_error("")
        self._ops.read(lambda: self._service.find(phone), self._found, self._failed)

    def _found(self, lookup: CustomerLookup) -> None:
        self.phone_edit.setText(lookup.phone_text)
        self.found_label.setText(lookup.message)
        if lookup.known:
            self.name_edit.setText(lookup.name)
            self.consent_box.setChecked(lookup.whatsapp_consent)
            self.receipt_box.setChecked(lookup.whatsapp_consent)
            self.ok_button.setFocus()
        else:
            self.name_edit.setFocus()

    def submit(self) -> None:
        phone = self.phone_edit.text()
        if not phone.strip():
            self.show_error("Type the customer's phone number.")
            return
        name = self.name_edit.text()
        consent = self.consent_box.isChecked()
        receipt = self.receipt_box.isChecked()
        self.ok_button.setEnabled(False)
        self._ops.run(
            lambda: self._service.attach(
                phone, name, whatsapp_consent=consent, digital_receipt=receipt
            ),
            self._attached,
            self._failed,
        )

    def _attached(self, customer: SaleCustomer) -> None:
        self.ok_button.setEnabled(True)
        self.attached.emit(customer)
        self.accept()

    def remove(self) -> None:
        self._service.detach()
        self.attached.emit(None)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.show_error(plain_message(exc))


class CustomerRow(QWidget):
    """The payment dialog's customer line: who the sale is for (wrapped, never cut off) and
    "Customer  F7", which opens the customer dialog. Hidden when the till has no customer
    service."""

    def __init__(self, dialog: QWidget, ops: Operations) -> None:
        super().__init__(dialog)
        self.setObjectName("customerRow")
        self._dialog = dialog
        self._ops = ops
        self._service = ops.services.customers
        self.label = QLabel()
        self.label.setObjectName("customerLabel")
        self.label.setWordWrap(True)
        self.button = QPushButton("Customer  F7")
        self.button.setObjectName("customerButton")
        self.button.setAutoDefault(False)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_dialog)
        QShortcut(QKeySequence("F7"), dialog).activated.connect(self.open_dialog)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.setVisible(self._service is not None)
        self.show_customer(self._service.attached if self._service is not None else None)

    def show_customer(self, customer: SaleCustomer | None) -> None:
        if customer is None:
            self.label.setText("No customer on this sale.")
            return
        receipt = " - receipt on WhatsApp" if customer.digital_receipt else ""
        self.label.setText(f"Customer: {customer.label}{receipt}")

    def open_dialog(self) -> None:
        if self._service is None or not self.button.isEnabled():
            return
        customer_dialog = CustomerDialog(self._ops, self._service, self._dialog)
        customer_dialog.attached.connect(self.show_customer)
        customer_dialog.open()

    def finish(self) -> None:
        """The sale is saved: its customer went with it and can no longer change."""
        self.button.setEnabled(False)
