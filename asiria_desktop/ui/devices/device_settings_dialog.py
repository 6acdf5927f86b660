"""The device settings screen: printer, cash drawer, scanner and customer display of this till,
with "Find devices", "Test print", "Open drawer" and "Scan test", saved per till.

It talks only to the DeviceSetup port (bootstrap hands in the hardware adapter). Device tests run
in the background because a switched-off network printer takes seconds to time out. The scan
test box recognises a keyboard-mode scanner by keystroke timing (services.wedge), from whatever
field of this screen has the focus, and says so when a code was typed by hand instead.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from asiria_desktop.ports.device_setup import (
    DeviceSetup,
    FoundDevices,
    SectionsIn,
    SettingsSections,
)
from asiria_desktop.ports.devices import DeviceStatus
from asiria_desktop.services.sale.wedge import WedgeDetector
from asiria_desktop.ui.common.background import BackgroundRunner
from asiria_desktop.ui.devices.device_form import (
    DRAWER_KINDS,
    PRINTER_KINDS,
    SUFFIXES,
    TERMINATORS,
    choice_box,
    chosen,
    number_box,
    select_choice,
)


class DeviceSettingsDialog(QDialog):
    def __init__(
        self,
        setup: DeviceSetup,
        *,
        runner: BackgroundRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Devices of this till")
        self.setup = setup
        self.runner = runner or BackgroundRunner(self._show_failure, self)
        self.detector = WedgeDetector()
        self.last_scan = ""
        self._sections: SettingsSections = setup.load()
        self._build()
        self._fill(self._sections)
        self._fit_screen()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.printer_kind = choice_box(PRINTER_KINDS)
        self.host = QLineEdit()
        self.host.setPlaceholderText("192.168.1.50")
        self.port = number_box(1, 65535, 9100)
        self.usb_printer = choice_box([], editable=True)
        usb_edit = self.usb_printer.lineEdit()
        if usb_edit is not None:  # an editable combo box always has one
            usb_edit.setPlaceholderText("vendor:product, e.g. 04b8:0e15")
        self.printer_serial = choice_box([], editable=True)
        self.file_path = QLineEdit()
        self.file_path.setPlaceholderText("/dev/usb/lp0")
        self.paper = choice_box([("80 mm", 80), ("58 mm", 58)])
        self.columns = choice_box([("Automatic", 0), ("32", 32), ("42", 42), ("48", 48)])
        self.code_page = choice_box([(cp, cp) for cp in ("CP858", "CP850", "CP437", "CP1252")])
        self.receipt_code = choice_box(
            [("QR code", "qr"), ("Code 128", "code128"), ("None", "none")]
        )
        self.cut = choice_box(
            [("Partial cut", "partial"), ("Full cut", "full"), ("No cutter", "none")]
        )
        printer = QFormLayout()
        for label, widget in [
            ("Printer", self.printer_kind),
            ("Network address", self.host),
            ("Network port", self.port),
            ("USB printer", self.usb_printer),
            ("Serial port", self.printer_serial),
            ("Device file", self.file_path),
            ("Paper", self.paper),
            ("Columns", self.columns),
            ("Code page", self.code_page),
            ("Receipt number as", self.receipt_code),
            ("Cutter", self.cut),
        ]:
            printer.addRow(label, widget)

        self.drawer_kind = choice_box(DRAWER_KINDS)
        self.pin = choice_box([("Pin 2", 2), ("Pin 5", 5)])
        self.pulse = number_box(2, 510, 100)
        self.pulse.setSuffix(" ms")
        self.drawer_serial = choice_box([], editable=True)
        drawer = QFormLayout()
        drawer.addRow("Drawer", self.drawer_kind)
        drawer.addRow("Kick pin", self.pin)
        drawer.addRow("Pulse", self.pulse)
        drawer.addRow("Serial port", self.drawer_serial)

        self.scanner_serial = choice_box([("None (keyboard-mode scanner)", "")], editable=True)
        self.scanner_baud = choice_box([(str(b), b) for b in (9600, 19200, 38400, 57600, 115200)])
        self.prefix = QLineEdit()
        self.suffix = choice_box(SUFFIXES)
        self.camera = number_box(-1, 9, -1)
        self.camera.setSpecialValueText("No camera")
        self.scan_box = QLineEdit()
        self.scan_box.setPlaceholderText("Click here and scan a barcode")
        scanner = QFormLayout()
        scanner.addRow("Serial scanner port", self.scanner_serial)
        scanner.addRow("Baud rate", self.scanner_baud)
        scanner.addRow("Prefix", self.prefix)
        scanner.addRow("Suffix", self.suffix)
        scanner.addRow("Camera", self.camera)
        scanner.addRow("Scan test", self.scan_box)

        self.display_on = QCheckBox("Customer pole display")
        self.display_serial = choice_box([], editable=True)
        self.display_protocol = choice_box(
            [("ESC/POS (Epson DM-D)", "escpos"), ("CD5220", "cd5220")]
        )
        display = QFormLayout()
        display.addRow(self.display_on)
        display.addRow("Serial port", self.display_serial)
        display.addRow("Commands", self.display_protocol)

        grid = QGridLayout()
        for (title, form), (row, col) in zip(
            [("Receipt printer", printer), ("Cash drawer", drawer), ("Scanner", scanner),
             ("Customer display", display)],
            [(0, 0), (0, 1), (1, 0), (1, 1)],
            strict=True,
        ):  # fmt: skip
            form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            box = QGroupBox(title)
            box.setLayout(form)
            grid.addWidget(box, row, col)

        self.find_button = QPushButton("Find devices")
        self.print_button = QPushButton("Test print")
        self.drawer_button = QPushButton("Open drawer")
        self.scan_button = QPushButton("Scan test (serial)")
        tests = QHBoxLayout()
        for button, action in [
            (self.find_button, self.find_devices),
            (self.print_button, self.test_print),
            (self.drawer_button, self.test_drawer),
            (self.scan_button, self.test_scan),
        ]:
            button.setAutoDefault(False)  # Enter from a scanner must never press a button
            button.clicked.connect(action)
            tests.addWidget(button)
        self.status = QLabel("Settings apply the next time the till starts.")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        for box_button in self.buttons.buttons():
            if isinstance(box_button, QPushButton):
                box_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        # The four groups scroll when the screen is small (a 1366x768 till): the test buttons,
        # the status line and Save stay in sight.
        groups = QWidget()
        groups.setLayout(grid)
        scroll = QScrollArea()
        scroll.setObjectName("deviceGroups")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(groups)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(tests)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _fit_screen(self) -> None:
        groups = self.findChild(QScrollArea, "deviceGroups")
        inner = groups.widget() if groups is not None else None
        wanted = inner.sizeHint() if inner is not None else self.sizeHint()
        width, height = wanted.width() + 60, wanted.height() + 190
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            width, height = min(width, room.width() - 40), min(height, room.height() - 60)
        self.resize(width, height)

    # -- settings in and out -----------------------------------------------------------------

    def _fill(self, sections: SectionsIn) -> None:
        p, d = sections.get("printer", {}), sections.get("drawer", {})
        s, c = sections.get("scanner", {}), sections.get("display", {})
        select_choice(self.printer_kind, p.get("kind", "simulated"))
        self.host.setText(str(p.get("host", "")))
        self.port.setValue(int(p.get("port", 9100)))
        vid, pid = int(p.get("usb_vendor_id", 0)), int(p.get("usb_product_id", 0))
        select_choice(self.usb_printer, f"{vid:04x}:{pid:04x}" if vid else "")
        select_choice(self.printer_serial, p.get("serial_port", ""))
        self.file_path.setText(str(p.get("file_path", "")))
        select_choice(self.paper, p.get("paper_mm", 80))
        select_choice(self.columns, p.get("columns", 0))
        select_choice(self.code_page, p.get("code_page", "CP858"))
        select_choice(self.receipt_code, p.get("receipt_code", "qr"))
        select_choice(self.cut, p.get("cut", "partial"))
        select_choice(self.drawer_kind, d.get("kind", "printer"))
        select_choice(self.pin, d.get("pin", 2))
        self.pulse.setValue(int(d.get("on_ms", 100)))
        select_choice(self.drawer_serial, d.get("serial_port", ""))
        select_choice(self.scanner_serial, s.get("serial_port", ""))
        select_choice(self.scanner_baud, s.get("baudrate", 9600))
        self.prefix.setText(str(s.get("prefix", "")))
        select_choice(self.suffix, s.get("suffix", "\r"))
        self.camera.setValue(int(s.get("camera_index", -1)))
        self.display_on.setChecked(bool(c.get("enabled", False)))
        select_choice(self.display_serial, c.get("serial_port", ""))
        select_choice(self.display_protocol, c.get("protocol", "escpos"))

    def sections(self) -> SettingsSections:
        """The settings as shown on screen, on top of what was loaded (keeps unshown keys)."""
        out = {name: dict(values) for name, values in self._sections.items()}
        usb = str(chosen(self.usb_printer) or "")
        vid, _, pid = usb.partition(":")
        try:
            usb_ids = (int(vid, 16), int(pid, 16)) if usb else (0, 0)
        except ValueError:
            usb_ids = (0, 0)
        out.setdefault("printer", {}).update(
            kind=self.printer_kind.currentData(),
            host=self.host.text().strip(),
            port=self.port.value(),
            usb_vendor_id=usb_ids[0],
            usb_product_id=usb_ids[1],
            serial_port=str(chosen(self.printer_serial) or ""),
            file_path=self.file_path.text().strip(),
            paper_mm=self.paper.currentData(),
            columns=self.columns.currentData(),
            code_page=self.code_page.currentData(),
            receipt_code=self.receipt_code.currentData(),
            cut=self.cut.currentData(),
        )
        out.setdefault("drawer", {}).update(
            kind=self.drawer_kind.currentData(),
            pin=self.pin.currentData(),
            on_ms=self.pulse.value(),
            off_ms=self.pulse.value(),
            serial_port=str(chosen(self.drawer_serial) or ""),
        )
        out.setdefault("scanner", {}).update(
            serial_port=str(chosen(self.scanner_serial) or ""),
            baudrate=self.scanner_baud.currentData(),
            prefix=self.prefix.text(),
            suffix=self.suffix.currentData(),
            camera_index=self.camera.value(),
        )
        out.setdefault("display", {}).update(
            enabled=self.display_on.isChecked(),
            serial_port=str(chosen(self.display_serial) or ""),
            protocol=self.display_protocol.currentData(),
        )
        return out

    def save(self) -> None:
        try:
            self.setup.save(self.sections())
        except (OSError, ValueError) as exc:
            self._show(DeviceStatus(False, f"Could not save the settings: {exc}"))
            return
        self.accept()

    # -- the buttons -------------------------------------------------------------------------

    def find_devices(self) -> None:
        self._show(DeviceStatus(True, "Looking for devices..."))
        self.runner.read(self.setup.discover, self._fill_choices)

    def _fill_choices(self, found: FoundDevices) -> None:
        for box in (
            self.printer_serial,
            self.drawer_serial,
            self.scanner_serial,
            self.display_serial,
        ):
            current = chosen(box)
            keep = [
                (box.itemText(i), box.itemData(i))
                for i in range(box.count())
                if not box.itemData(i)
            ]
            box.clear()
            for label, value in keep + [(c.label, c.value) for c in found.serial_ports]:
                box.addItem(label, value)
            select_choice(box, current)
        current = chosen(self.usb_printer)
        self.usb_printer.clear()
        for choice in found.usb_printers:
            self.usb_printer.addItem(choice.label, choice.value)
        select_choice(self.usb_printer, current)
        counts = (
            f"{len(found.serial_ports)} serial port(s), {len(found.usb_printers)} USB printer(s)"
        )
        self._show(DeviceStatus(True, f"Found {counts}. {found.note}".strip()))

    def test_print(self) -> None:
        self._try("Printing a test page...", lambda: self.setup.test_print(self.sections()))

    def test_drawer(self) -> None:
        self._try("Opening the drawer...", lambda: self.setup.test_drawer(self.sections()))

    def test_scan(self) -> None:
        self._try(
            "Scan a barcode with the serial scanner now...",
            lambda: self.setup.test_scan(self.sections(), 15.0),
        )

    def _try(self, doing: str, work: Callable[[], DeviceStatus]) -> None:
        self._show(DeviceStatus(True, doing))
        self.runner.read(work, self._show)

    def _show(self, status: DeviceStatus) -> None:
        self.status.setText(status.message)
        self.status.setProperty("ok", status.ok)
        self.status.setStyleSheet("" if status.ok else "color: #b00020; font-weight: bold;")

    def _show_failure(self, exc: BaseException) -> None:
        self._show(DeviceStatus(False, f"That did not work: {exc}"))

    # -- keyboard-wedge scan test, from any field of this screen ------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        focus = QApplication.focusWidget()
        if focus is None or watched is not focus or not self.isAncestorOf(focus):
            return False
        if event.isAutoRepeat():  # a held key repeats every ~30 ms: never a scan
            self.detector.reset()
            return False
        t_ms = float(event.timestamp())
        if event.key() in TERMINATORS:
            typed = self.detector.pending
            code = self.detector.feed_terminator(t_ms)
            if code is not None:
                self._scanned(code, focus)
                return True  # the scanner's Enter must not press Save
            if focus is self.scan_box and (typed or self.scan_box.text()):
                self._show(DeviceStatus(False, "That was typed by hand, not scanned."))
                return True
            return False
        text = event.text()
        if len(text) == 1 and text.isprintable():
            self.detector.feed(text, t_ms)
        else:
            self.detector.reset()
        return False

    def _scanned(self, code: str, focus: QWidget) -> None:
        if isinstance(focus, QLineEdit) and focus is not self.scan_box:
            text = focus.text()  # the scan went into a settings field: take it back out
            if text.endswith(code):
                focus.setText(text[: -len(code)])
        self.scan_box.setText(code)
        self.last_scan = code
        self._show(DeviceStatus(True, f"Scanner works (keyboard mode): read {code}"))

    def done(self, result: int) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        super().done(result)
