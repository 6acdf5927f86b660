"""The till window: login screen, then the sale screen, with the status bar underneath.

Scans come from two places and go to one slot: the keyboard-wedge filter (a USB scanner typing
into whatever has the focus) and the ScannerBridge (serial scanners, on their own threads)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

from asiria_desktop.services.container import TillServices
from asiria_desktop.services.results import CashierSession, ShiftView
from asiria_desktop.ui.common.background import BackgroundRunner
from asiria_desktop.ui.common.focus_return import DialogFocusReturn
from asiria_desktop.ui.common.messages import plain_message
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.common.status_bar import TillStatusBar
from asiria_desktop.ui.common.theme import apply_theme
from asiria_desktop.ui.devices.scan_filter import ScanKeyFilter
from asiria_desktop.ui.devices.scanner_bridge import ScannerBridge
from asiria_desktop.ui.sale.sale_screen import SaleScreen
from asiria_desktop.ui.shift.notices_panel import NoticesButton, NoticesDialog
from asiria_desktop.ui.shift.shift_flow import ShiftFlow
from asiria_desktop.ui.signin.login_screen import LoginScreen
from asiria_desktop.ui.stock.stock_flow import StockFlow
from asiria_desktop.ui.sync.sync_dialog import SyncDialog


class MainWindow(QMainWindow):
    def __init__(self, services: TillServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"AsiriaPOS - {services.store.name}")
        self.resize(1366, 768)
        apply_theme(self)
        self.runner = BackgroundRunner(self._show_error, self)
        self.ops = Operations(services, self.runner, self, self._show_error)
        self.cashier: CashierSession | None = None

        self.login_screen = LoginScreen(self.ops, services.store.name)
        self.sale_screen = SaleScreen(self.ops)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.login_screen)
        self.stack.addWidget(self.sale_screen)
        self.setCentralWidget(self.stack)
        self.status = TillStatusBar(self.ops)
        self.setStatusBar(self.status)
        self.shift_flow = ShiftFlow(self.ops, self)
        self.stock_flow = StockFlow(self.ops, self.sale_screen)

        self.login_screen.logged_in.connect(self._logged_in)
        self.sale_screen.logout_requested.connect(self.logout)
        self.sale_screen.shift_requested.connect(self.shift_flow.show_menu)
        self.sale_screen.stock_requested.connect(self.stock_flow.show_menu)
        self.stock_flow.message.connect(
            lambda text, level: self.sale_screen.banner.show_message(text, level)
        )
        self.stock_flow.stock_changed.connect(lambda _result: self.status.refresh())
        self.sale_screen.sale_completed.connect(lambda _result: self.status.refresh())
        self.status.snapshot_changed.connect(self.sale_screen.show_status)
        self.sale_screen.printer_banner.retry_requested.connect(self.retry_printing)
        self.sale_screen.printer_banner.discard_requested.connect(self.discard_printing)
        self.status.sync_requested.connect(self.show_sync_screen)
        self.sync_dialog: SyncDialog | None = None
        self.notices_button = NoticesButton(self.ops)
        self.status.addPermanentWidget(self.notices_button)
        self.notices_button.clicked.connect(self.show_notices)
        self.status.snapshot_changed.connect(lambda _snapshot: self.notices_button.refresh())
        self.notices_dialog: NoticesDialog | None = None
        self.shift_flow.shift_changed.connect(self._shift_changed)
        self.shift_flow.document_printed.connect(self.sale_screen.preview.show_receipt)
        self.shift_flow.message.connect(
            lambda text, level: self.sale_screen.banner.show_message(text, level)
        )

        self.scan_filter = ScanKeyFilter(self._scanning_allowed, services.wedge, parent=self)
        self.scan_filter.scanned.connect(self._scanned)
        _application().installEventFilter(self.scan_filter)
        self.focus_return = DialogFocusReturn(self, self._keyboard_home)
        _application().installEventFilter(self.focus_return)
        self.scanner_bridge = ScannerBridge(services.scanners, self)
        self.scanner_bridge.scanned.connect(self._scanned)
        self.scanner_bridge.start()
        self.status.refresh()
        # The shift is the till's, not the cashier's: show it before anyone logs in.
        self.ops.read(services.shifts.current, self._shift_changed, _ignore)
        # Ask the printer once (paper, cover, connection): seconds for a switched-off network
        # printer, so in the background; the status bar shows the answer.
        self.ops.read(services.status.check_printer, lambda _s: self.status.refresh(), _ignore)
        self.login_screen.reset()

    def _keyboard_home(self) -> QWidget:
        """Where the keyboard belongs when no dialog is open."""
        if self.stack.currentWidget() is self.sale_screen:
            return self.sale_screen.search_edit
        return self.login_screen.pin_edit

    def _scanning_allowed(self) -> bool:
        # Watch for scans on the sale screen, its dialogs included: a scan typed into the
        # payment dialog's amount field must never become a payment. With no window active
        # (no window manager gave the focus back) the keys still reach this window: a scan
        # then still goes to the sale.
        active = QApplication.activeWindow()
        return self.stack.currentWidget() is self.sale_screen and (
            active is None or active is self or active.parentWidget() is not None
        )

    def _scanned(self, code: str) -> None:
        if self.stack.currentWidget() is not self.sale_screen:
            return  # a serial scanner read something before anyone logged in
        modal = QApplication.activeModalWidget()
        if modal is None:
            self.sale_screen.scan(code)
            return
        take = getattr(modal, "accept_scan", None)  # a receipt number for a refund or void
        if callable(take):
            take(code)
            return
        QApplication.beep()
        self.sale_screen.banner.show_message(
            f"Scan of {code} not added: finish or close the open window first, then scan again.",
            "warning",
        )

    def _logged_in(self, session: CashierSession) -> None:
        self.cashier = session
        self.shift_flow.cashier = session
        self.status.set_cashier(session)
        self.notices_button.refresh()
        self.stack.setCurrentWidget(self.sale_screen)
        self.sale_screen.start()
        self.sale_screen.offer_leftover(then=self.shift_flow.check_open)

    def logout(self) -> None:
        auth = self.services.auth
        self.ops.run(auth.logout, lambda _r: self._logged_out())

    def _logged_out(self) -> None:
        self.cashier = None
        self.status.set_cashier(None)
        self.notices_button.refresh()
        self.sale_screen.banner.clear()
        self.stack.setCurrentWidget(self.login_screen)
        self.login_screen.reset()

    def _shift_changed(self, shift: ShiftView | None) -> None:
        self.status.refresh()  # opening and closing a shift each add an unsent event
        if shift is None:
            self.status.set_shift("No shift open")
        else:
            self.status.set_shift(f"Shift of {shift.cashier_name}")

    def show_sync_screen(self) -> None:
        """The manager's sync screen. The sync service decides who may open it: a manager or
        owner logged in goes straight in, a cashier (or nobody, at the login screen) is asked
        for a manager's PIN; cancelled, the screen stays closed."""

        def open_dialog(_allowed: object) -> None:
            self._open_sync_dialog()

        self.ops.run_approved(self.services.sync.open_screen, open_dialog)

    def _open_sync_dialog(self) -> SyncDialog:
        self.sync_dialog = SyncDialog(self.ops, self)
        self.sync_dialog.finished.connect(lambda _code: self.status.refresh())
        self.sync_dialog.open()
        return self.sync_dialog

    def show_notices(self) -> NoticesDialog | None:
        service = self.services.notices
        if service is None:  # a till built without the notices panel
            return None
        self.notices_dialog = NoticesDialog(self.ops, service, self)
        self.notices_dialog.changed.connect(self.notices_button.refresh)
        self.notices_dialog.finished.connect(lambda _code: self.notices_button.refresh())
        self.notices_dialog.open()
        return self.notices_dialog

    def offer_enrolment(self) -> None:
        """First run of a till that is not enrolled: enrol now, or skip and sell offline."""
        from asiria_desktop.ui.sync.enroll_dialog import EnrollDialog, FirstRunDialog

        sync = self.services.sync
        if not sync.should_offer_enrolment():
            return
        question = FirstRunDialog(self)
        self.first_run_dialog = question

        def enrol() -> None:
            form = EnrollDialog(self.ops, sync.default_server_url, sync.default_name, self)
            self.enroll_dialog = form
            form.finished.connect(lambda _code: self.status.refresh())
            form.open()

        question.accepted.connect(enrol)
        question.rejected.connect(lambda: self.ops.run(sync.skip_enrolment))
        question.open()

    # -- the printer strip -------------------------------------------------------------------

    def retry_printing(self) -> None:
        self.ops.read(self.services.status.retry_printing, self._printer_message)

    def discard_printing(self) -> None:
        self.ops.read(self.services.status.discard_printing, self._printer_message)

    def _printer_message(self, text: str) -> None:
        self.sale_screen.banner.show_message(text, "info")
        self.status.refresh()

    def _show_error(self, exc: BaseException) -> None:
        if self.stack.currentWidget() is self.sale_screen:
            self.sale_screen.show_error(exc)
        else:
            self.login_screen.error_label.setText(plain_message(exc))

    def closeEvent(self, event: QCloseEvent) -> None:
        _application().removeEventFilter(self.scan_filter)
        _application().removeEventFilter(self.focus_return)
        self.scanner_bridge.stop()
        self.runner.shutdown()  # a sale being saved finishes before the window goes
        super().closeEvent(event)


def _ignore(_exc: BaseException) -> None:
    """A failed printer check at start-up is no news for the cashier: the status bar says it."""


def _application() -> QCoreApplication:
    """The running Qt application (a main window exists only inside one)."""
    app = QApplication.instance()
    if app is None:
        raise RuntimeError("the till's window needs a running QApplication")
    return app
