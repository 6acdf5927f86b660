"""Drives the shift (and manager) menu: open on login when none is open, X and Z reports, cash
in/out, no sale, voiding a sale and the device settings screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from asiria_desktop.ports.device_setup import DeviceSetup
from asiria_desktop.services.results import (
    Approval,
    CashierSession,
    ShiftReportView,
    ShiftView,
    VoidResult,
)
from asiria_desktop.services.shift.insights import TodayFigures
from asiria_desktop.services.signin.biometrics import PersonView
from asiria_desktop.ui.common.operations import Operations
from asiria_desktop.ui.returns.void_sale_dialog import VoidSaleDialog
from asiria_desktop.ui.shift.shift_dialogs import (
    AmountDialog,
    ShiftDialog,
    close_shift_dialog,
    open_shift_dialog,
)
from asiria_desktop.ui.shift.text_report_dialog import TextReportDialog

if TYPE_CHECKING:  # both screens are imported when first opened (start-up time)
    from asiria_desktop.ui.devices.device_settings_dialog import DeviceSettingsDialog
    from asiria_desktop.ui.signin.security_dialog import SecurityDialog


class ShiftFlow(QObject):
    shift_changed = Signal(object)  # the ShiftView, or None once closed
    message = Signal(str, str)  # text, level: for the banner
    document_printed = Signal(str, str, str)  # number, text, kind: for the last-document pane

    def __init__(self, ops: Operations, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._ops = ops
        self._parent = parent_widget
        self._shifts = ops.services.shifts
        self.cashier: CashierSession | None = None
        self.void_dialog: VoidSaleDialog | None = None
        self.device_dialog: DeviceSettingsDialog | None = None
        self.security_dialog: SecurityDialog | None = None

    def check_open(self) -> None:
        """After login: if no shift is open on this till, ask for the float to open one."""
        self._ops.run(self._shifts.current, self._checked)

    def _checked(self, shift: ShiftView | None) -> None:
        self.shift_changed.emit(shift)
        if shift is None:
            self.ask_open()

    def ask_open(self) -> None:
        dialog = open_shift_dialog(self._parent)
        dialog.chosen.connect(lambda cents, _reason: self._open(cents))
        dialog.open()

    def _open(self, float_cents: int) -> None:
        shifts = self._shifts
        cashier_id = self.cashier.user_id if self.cashier is not None else None
        self._ops.run(lambda: shifts.open(cashier_id, float_cents), self._opened)

    def _opened(self, shift: ShiftView) -> None:
        self.shift_changed.emit(shift)
        self.message.emit("Shift open. Ready to sell.", "success")

    def show_menu(self) -> None:
        self._ops.run(self._shifts.current, self._menu)

    def _menu(self, shift: ShiftView | None) -> None:
        self.shift_changed.emit(shift)
        dialog = ShiftDialog(shift, self._parent)
        dialog.chosen.connect(self._chosen)
        dialog.open()

    def _chosen(self, action: str) -> None:
        shifts = self._shifts
        if action == "open":
            self.ask_open()
        elif action == "x_report":
            self._ops.run(shifts.x_report, lambda report: self._show_report("X report", report))
        elif action == "cash_in":
            self._cash_dialog("Cash in", lambda c, r, a: shifts.cash_in(c, r, approval=a))
        elif action == "cash_out":
            self._cash_dialog("Cash out", lambda c, r, a: shifts.cash_out(c, r, approval=a))
        elif action == "no_sale":
            self._ops.run_approved(
                lambda a: shifts.no_sale(approval=a),
                lambda _r: self.message.emit("Drawer opened.", "success"),
            )
        elif action == "void_sale":
            dialog = VoidSaleDialog(self._ops, self._parent)
            dialog.voided.connect(self._voided)
            self.void_dialog = dialog
            dialog.open()
        elif action == "devices":
            admin = self._ops.services.devices
            if admin is None or not admin.available:
                self.message.emit("This till has no device settings screen.", "info")
                return
            self._ops.run_approved(admin.open_settings, self._open_devices)
        elif action == "security":
            self.open_security()
        elif action == "today":
            self.open_today()
        elif action == "close":
            closing = close_shift_dialog(self._parent)
            closing.chosen.connect(lambda cents, _reason: self._close(cents))
            closing.open()

    def open_today(self) -> None:
        """The manager's view of today's figures (a manager, or a manager's approval)."""
        insights = self._ops.services.insights
        if insights is None:
            self.message.emit("Today's figures are not available on this till.", "info")
            return
        self._ops.run_approved(insights.open_today, self._show_today)

    def _show_today(self, figures: TodayFigures) -> None:
        from asiria_desktop.ui.shift.manager_view import ManagerView

        self.manager_view = ManagerView(figures, self._parent)
        self.manager_view.open()

    def open_security(self) -> None:
        """Sign-in and security: behind a manager approval, reused for enrolling and removing."""
        services = self._ops.services
        biometrics = services.biometrics
        if biometrics is None:
            self.message.emit("This till has no sign-in and security screen.", "info")
            return
        granted: list[Approval | None] = [None]

        def open_screen(approval: Approval | None) -> list[PersonView]:
            granted[0] = approval
            return biometrics.open_screen(approval)

        def show(people: list[PersonView]) -> None:
            from asiria_desktop.ui.signin.security_dialog import SecurityDialog

            risks = services.security
            dialog = SecurityDialog(
                biometrics, risks, self._ops.runner, people, granted[0], self._parent
            )
            self.security_dialog = dialog
            dialog.open()

        self._ops.run_approved(open_screen, show)

    def _voided(self, result: VoidResult) -> None:
        self.document_printed.emit(result.slip_no, result.slip_text, "void")
        self.message.emit(result.message, "success")
        self._ops.run(self._shifts.current, self.shift_changed.emit)  # refreshes the status

    def _open_devices(self, setup: DeviceSetup) -> None:
        from asiria_desktop.ui.devices.device_settings_dialog import DeviceSettingsDialog

        dialog = DeviceSettingsDialog(setup, parent=self._parent)
        self.device_dialog = dialog
        dialog.accepted.connect(
            lambda: self.message.emit(
                "Device settings saved. They apply the next time the till starts.", "success"
            )
        )
        dialog.open()

    def _cash_dialog(self, title: str, call: Callable[[int, str, Approval | None], str]) -> None:
        dialog = AmountDialog(title, title, "Amount", ask_reason=True, parent=self._parent)

        def chosen(cents: int, reason: str) -> None:
            self._ops.run_approved(
                lambda approval: call(cents, reason, approval),
                lambda _r: self.message.emit(f"{title} recorded.", "success"),
            )

        dialog.chosen.connect(chosen)
        dialog.open()

    def _close(self, counted_cents: int) -> None:
        shifts = self._shifts
        self._ops.run_approved(
            lambda approval: shifts.close(counted_cents, approval=approval), self._closed
        )

    def _closed(self, report: ShiftReportView) -> None:
        self.shift_changed.emit(None)
        self.message.emit("Shift closed. Open a new shift (F9) to sell again.", "info")
        self._show_report("Z report", report)

    def _show_report(self, title: str, report: ShiftReportView) -> None:
        TextReportDialog(title, report.text, self._parent).open()
