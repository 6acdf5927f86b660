"""The first-run wizard of a new till: connect it to head office and set up its devices, or
choose demo / training mode, or sell offline and connect later.

Shown by ``asiria run`` before the sale screen while the till is not enrolled and nobody chose
training or "later". Pages: welcome (three choices), connect (server address, one-time code,
till name; enrols in the background as the Sync screen's form does), devices (the device
settings screen itself: printer, drawer, scanner, with their tests). ``choice`` says how it
ended: ``CONNECTED``, ``TRAINING``, ``OFFLINE``, or ``CANCELLED`` (window closed).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.ui.common.long_task import LongTask
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.theme import apply_theme

if TYPE_CHECKING:
    from asiria_desktop.services.container import TillServices
    from asiria_desktop.ui.devices.device_settings_dialog import DeviceSettingsDialog

CONNECTED, TRAINING, OFFLINE, CANCELLED = "connected", "training", "offline", "cancelled"


def _text(text: str, name: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


def _choice(title: str, detail: str, name: str, primary: bool = False) -> QPushButton:
    button = QPushButton(f"{title}\n{detail}")
    button.setObjectName(name)
    button.setMinimumHeight(72)
    button.setStyleSheet("text-align: left; padding: 10px 16px;")
    if primary:
        button.setProperty("primary", True)
    return button


class FirstRunWizard(QDialog):
    def __init__(self, services: TillServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.setWindowTitle("AsiriaPOS - set up this till")
        self.setModal(True)
        self.resize(720, 520)
        apply_theme(self)
        self.services = services
        self.choice = CANCELLED
        self.connected_message = ""
        self.device_dialog: DeviceSettingsDialog | None = None
        self._task = LongTask(self)

        self.pages = QStackedWidget()
        self.welcome_page = self._welcome()
        self.connect_page = self._connect()
        self.devices_page = self._devices()
        for page in (self.welcome_page, self.connect_page, self.devices_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    # ----- pages -----------------------------------------------------------------------------

    def _welcome(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_text("Welcome to AsiriaPOS", "dialogTitle"))
        layout.addWidget(
            _text(
                "Let's get this till ready. Choose how you want to use it; you can change "
                "your mind later."
            )
        )
        self.connect_choice = _choice(
            "Connect to head office",
            "For a real shop: you need the server address and an enrolment code.",
            "connectChoice",
            primary=True,
        )
        self.training_choice = _choice(
            "Demo / training mode",
            "Practice with a demo shop. Training sales are never sent to head office.",
            "trainingChoice",
        )
        self.offline_choice = _choice(
            "Sell offline now, connect later",
            "Sales are kept on this till and sent once it is connected (Sync button).",
            "offlineChoice",
        )
        self.connect_choice.clicked.connect(lambda: self.pages.setCurrentWidget(self.connect_page))
        self.training_choice.clicked.connect(lambda: self._finish(TRAINING))
        self.offline_choice.clicked.connect(self._sell_offline)
        for button in (self.connect_choice, self.training_choice, self.offline_choice):
            layout.addWidget(button)
        layout.addStretch(1)
        self.welcome_error = _text("", "errorLabel")
        layout.addWidget(self.welcome_error)
        return page

    def _connect(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_text("Connect this till to head office", "dialogTitle"))
        layout.addWidget(
            _text(
                "Type the server address and the enrolment code head office gave you. The "
                "code works once and expires; ask for a new one if it is refused."
            )
        )
        sync = self.services.sync
        form = QFormLayout()
        self.server_edit = QLineEdit(sync.default_server_url)
        self.server_edit.setObjectName("serverEdit")
        self.server_edit.setPlaceholderText("https://pos.example.com")
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("enrollCodeEdit")
        self.name_edit = QLineEdit(sync.default_name)
        self.name_edit.setObjectName("tillNameEdit")
        form.addRow("Server address", self.server_edit)
        form.addRow("Enrolment code", self.code_edit)
        form.addRow("Till name", self.name_edit)
        layout.addLayout(form)
        self.connect_status = _text("", "connectStatus")
        layout.addWidget(self.connect_status)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.back_button = QPushButton("Back")
        self.connect_button = QPushButton("Connect")
        self.connect_button.setObjectName("primaryButton")
        self.connect_button.setDefault(True)
        self.back_button.clicked.connect(lambda: self.pages.setCurrentWidget(self.welcome_page))
        self.connect_button.clicked.connect(self.connect_till)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.connect_button)
        layout.addLayout(buttons)
        return page

    def _devices(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_text("Printer and scanner", "dialogTitle"))
        self.connected_label = _text("", "connectedLabel")
        layout.addWidget(self.connected_label)
        layout.addWidget(
            _text(
                "Plug in the receipt printer, the cash drawer and the barcode scanner, then "
                "set them up: Find devices, pick the printer, Test print, Open drawer, Scan "
                "test. No printer yet? Finish now: receipts are shown on screen, and a manager "
                "can set devices up later (Shift, Device settings)."
            )
        )
        self.devices_button = QPushButton("Set up printer and scanner...")
        self.devices_button.setObjectName("devicesButton")
        self.devices_status = _text("", "devicesStatus")
        self.finish_button = QPushButton("Finish")
        self.finish_button.setObjectName("primaryButton")
        self.devices_button.clicked.connect(self.open_devices)
        self.finish_button.clicked.connect(lambda: self._finish(CONNECTED))
        layout.addWidget(self.devices_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.devices_status)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.finish_button)
        layout.addLayout(row)
        return page

    # ----- actions ---------------------------------------------------------------------------

    def connect_till(self) -> None:
        server = self.server_edit.text().strip()
        code = self.code_edit.text().strip()
        name = self.name_edit.text().strip() or "Till"
        if not server or not code:
            self.connect_status.setText("Type the server address and the enrolment code.")
            return
        self.connect_button.setEnabled(False)
        self.back_button.setEnabled(False)
        self.connect_status.setText("Connecting to head office...")
        sync = self.services.sync
        self._task.start(lambda: sync.enroll(server, code, name), self._connected, self._refused)

    def _connected(self, message: str) -> None:
        self.connected_message = message
        self.connected_label.setText(f"{message} Its products and accounts arrive in a moment.")
        self.pages.setCurrentWidget(self.devices_page)

    def _refused(self, exc: BaseException) -> None:
        self.connect_button.setEnabled(True)
        self.back_button.setEnabled(True)
        self.connect_status.setText(plain_message(exc))

    def open_devices(self) -> None:
        """The device settings screen itself. On first run nobody can sign in yet, so the
        wizard uses the till's own device set-up (the screen is a manager's afterwards)."""
        from asiria_desktop.ui.devices.device_settings_dialog import DeviceSettingsDialog

        setup = self.services.device_setup
        if setup is None:
            self.devices_status.setText("This till has no device settings.")
            return
        dialog = DeviceSettingsDialog(setup, parent=self)
        self.device_dialog = dialog
        dialog.accepted.connect(
            lambda: self.devices_status.setText("Devices saved. The till uses them from now on.")
        )
        dialog.open()

    def _sell_offline(self) -> None:
        try:
            self.services.sync.skip_enrolment()
        except Exception as exc:  # a full disk: say so, stay on the page
            self.welcome_error.setText(plain_message(exc))
            return
        self._finish(OFFLINE)

    def _finish(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def run_first_run(services: TillServices) -> str:
    """Show the wizard on its own (before the till's window) and return the choice."""
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("AsiriaPOS")
    wizard = FirstRunWizard(services)
    wizard.show()
    wizard.exec()
    return wizard.choice
