"""Shifts: open with a float, cash in/out, no-sale, X report, close with a count and a Z report."""

from __future__ import annotations

from asiria_desktop.domain.errors import InvalidAmount, ShiftError
from asiria_desktop.domain.events import (
    DrawerReason,
    EventType,
    drawer_opened_payload,
    shift_closed_payload,
    shift_opened_payload,
)
from asiria_desktop.domain.money import MAX_CENTS
from asiria_desktop.domain.permissions import Action
from asiria_desktop.domain.receipt import render_shift_report
from asiria_desktop.domain.shift import (
    CashMovement,
    CashMovementKind,
    ReportKind,
    Shift,
    ShiftReport,
    build_shift_report,
)
from asiria_desktop.ports.drawer import CashDrawer
from asiria_desktop.ports.printer import ReceiptPrinter
from asiria_desktop.ports.records import ShiftRecord
from asiria_desktop.ports.unit_of_work import UnitOfWork
from asiria_desktop.services.context import TillContext, storage_errors
from asiria_desktop.services.devices.devices import open_drawer, print_text
from asiria_desktop.services.formatting import money_text
from asiria_desktop.services.results import Approval, ShiftReportView, ShiftView
from asiria_desktop.services.signin.approvals import authorize


def no_open_shift() -> ShiftError:
    return ShiftError("No shift is open on this till. Open a shift (count the float) first.")


class ShiftService:
    def __init__(self, ctx: TillContext, printer: ReceiptPrinter, drawer: CashDrawer) -> None:
        self._ctx = ctx
        self._printer = printer
        self._drawer = drawer

    def current(self) -> ShiftView | None:
        with self._ctx.uow(read_only=True) as uow:
            record = uow.shifts.open_for_terminal()
            return None if record is None else self._view(uow, record)

    def open(self, cashier_id: str | None, float_cents: int) -> ShiftView:
        """Open this till's shift with ``float_cents`` in the drawer (``cashier_id``: default the
        logged-in cashier)."""
        cashier = self._ctx.require_cashier()
        if not 0 <= float_cents <= MAX_CENTS:
            raise InvalidAmount("The float can't be negative.")
        now = self._ctx.clock.now()
        owner = cashier_id or cashier.user_id
        with storage_errors("The shift was not opened"), self._ctx.uow() as uow:
            existing = uow.shifts.open_for_terminal()
            if existing is not None:
                raise ShiftError(
                    f"A shift is already open on this till (since {existing.opened_at:%H:%M}). "
                    "Close it first."
                )
            record = ShiftRecord(
                self._ctx.ids(), self._ctx.settings.terminal_code, owner, now, float_cents
            )
            uow.shifts.add(record)
            payload = shift_opened_payload(
                record.id, owner, float_cents, now, self._ctx.settings.terminal_code
            )
            uow.outbox.append(str(EventType.SHIFT_OPENED), payload, now)
            uow.audit.record(
                "shift_opened", cashier.user_id, None, {"float_cents": float_cents}, now
            )
            uow.commit()
            view = self._view(uow, record)
        self._ctx.events_committed()  # head office sees it soon, like a sale
        return view

    def cash_in(self, amount_cents: int, reason: str, approval: Approval | None = None) -> str:
        return self._move(CashMovementKind.IN, Action.CASH_IN, amount_cents, reason, approval)

    def cash_out(self, amount_cents: int, reason: str, approval: Approval | None = None) -> str:
        return self._move(CashMovementKind.OUT, Action.CASH_OUT, amount_cents, reason, approval)

    def no_sale(self, approval: Approval | None = None, reason: str = "") -> str:
        """Open the drawer without a sale (logged, a ``drawer.opened`` event)."""
        approver = authorize(self._ctx, Action.NO_SALE, approval)
        cashier = self._ctx.require_cashier()
        now = self._ctx.clock.now()
        with storage_errors("The drawer opening was not recorded"), self._ctx.uow() as uow:
            shift = uow.shifts.open_for_terminal()
            if shift is None:
                raise no_open_shift()
            payload = drawer_opened_payload(
                self._ctx.ids(), DrawerReason.NO_SALE, cashier.user_id, now, approver, shift.id
            )
            uow.outbox.append(str(EventType.DRAWER_OPENED), payload, now)
            uow.audit.record(
                str(Action.NO_SALE), cashier.user_id, approver, {"reason": reason}, now
            )
            uow.commit()
        self._ctx.events_committed()  # head office sees it soon, like a sale
        opened = open_drawer(self._drawer)
        return "Drawer opened." if opened.ok else opened.message

    def x_report(self, *, print_it: bool = False) -> ShiftReportView:
        """Mid-shift figures; the shift stays open."""
        with self._ctx.uow(read_only=True) as uow:
            record = uow.shifts.open_for_terminal()
            if record is None:
                raise no_open_shift()
            report = self._report(uow, record, ReportKind.X, None)
        view = self._report_view(report)
        if print_it:
            print_text(self._printer, view.text)
        return view

    def close(self, counted_cents: int, approval: Approval | None = None) -> ShiftReportView:
        """Close the shift with the counted cash: Z report, ``shift.closed`` event, printed."""
        approver = authorize(self._ctx, Action.CLOSE_SHIFT, approval)
        cashier = self._ctx.require_cashier()
        now = self._ctx.clock.now()
        with storage_errors("The shift was not closed"), self._ctx.uow() as uow:
            record = uow.shifts.open_for_terminal()
            if record is None:
                raise no_open_shift()
            report = self._report(uow, record, ReportKind.Z, counted_cents)
            uow.shifts.close(record.id, now, cashier.user_id, counted_cents)
            payload = shift_closed_payload(report, cashier.user_id, now, approver)
            uow.outbox.append(str(EventType.SHIFT_CLOSED), payload, now)
            uow.audit.record(
                "shift_closed",
                cashier.user_id,
                approver,
                {
                    "shift_id": record.id,
                    "counted_cash_cents": counted_cents,
                    "difference_cents": report.difference_cents,
                },
                now,
            )
            uow.commit()
        self._ctx.events_committed()  # head office sees it soon, like a sale
        view = self._report_view(report)
        print_text(self._printer, view.text)
        return view

    # ---------------------------------------------------------------------------------------

    def _move(
        self,
        kind: CashMovementKind,
        action: Action,
        amount_cents: int,
        reason: str,
        approval: Approval | None,
    ) -> str:
        approver = authorize(self._ctx, action, approval)
        cashier = self._ctx.require_cashier()
        if not 0 < amount_cents <= MAX_CENTS:
            raise InvalidAmount("Enter an amount more than zero.")
        reason = " ".join(reason.split())[:200]
        if not reason:
            raise ShiftError("Enter a reason for the cash movement.")
        now = self._ctx.clock.now()
        with storage_errors("The cash movement was not recorded"), self._ctx.uow() as uow:
            shift = uow.shifts.open_for_terminal()
            if shift is None:
                raise no_open_shift()
            movement = CashMovement(
                kind=kind,
                amount_cents=amount_cents,
                reason=reason,
                id=self._ctx.ids(),
                shift_id=shift.id,
                cashier_id=cashier.user_id,
                approved_by=approver,
                moved_at=now,
            )
            uow.cash_movements.add(movement)
            uow.outbox.append(str(EventType.CASH_MOVED), movement.to_payload(), now)
            uow.audit.record(
                str(action),
                cashier.user_id,
                approver,
                {"amount_cents": amount_cents, "reason": reason},
                now,
            )
            uow.commit()
        self._ctx.events_committed()  # head office sees it soon, like a sale
        opened = open_drawer(self._drawer)
        word = "in" if kind is CashMovementKind.IN else "out"
        text = f"Cash {word} {money_text(amount_cents, self._ctx.settings.currency)} recorded."
        return text if opened.ok else f"{text} {opened.message}"

    def _report(
        self,
        uow: UnitOfWork,
        record: ShiftRecord,
        kind: ReportKind,
        counted_cents: int | None,
    ) -> ShiftReport:
        shift = Shift(
            record.id,
            record.cashier_id,
            record.opened_at,
            record.opening_float_cents,
            record.terminal_code,
        )
        return build_shift_report(
            kind,
            shift,
            uow.sales.for_shift(record.id),
            uow.refunds.for_shift(record.id),
            uow.voids.for_shift(record.id),
            uow.cash_movements.for_shift(record.id),
            counted_cents,
            generated_at=self._ctx.clock.now(),
        )

    def _report_view(self, report: ShiftReport) -> ShiftReportView:
        settings = self._ctx.settings
        return ShiftReportView(
            kind=str(report.kind),
            shift_id=report.shift_id,
            text=render_shift_report(report, settings.store, settings.receipt_width),
            sales_count=report.sales_count,
            gross_cents=report.gross_cents,
            expected_cash_cents=report.expected_cash_cents,
            counted_cash_cents=report.counted_cash_cents,
            difference_cents=report.difference_cents,
            totals_by_method={str(m): c for m, c in report.payments_by_method.items()},
        )

    def _view(self, uow: UnitOfWork, record: ShiftRecord) -> ShiftView:
        user = uow.users.get(record.cashier_id)
        return ShiftView(
            id=record.id,
            cashier_id=record.cashier_id,
            cashier_name=user.name if user is not None else "",
            opened_at=record.opened_at,
            opening_float_cents=record.opening_float_cents,
            opening_float_text=money_text(record.opening_float_cents, self._ctx.settings.currency),
        )
