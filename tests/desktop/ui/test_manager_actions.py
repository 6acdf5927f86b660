"""Manager actions at the real till window with a real till behind it: void a whole sale from the
shift menu, change a line's price (F3), quick-add an unknown product, the device settings screen,
and the last receipt shown again after a restart. Each checks the result in the database."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt

from asiria_desktop.ui.devices.device_settings_dialog import DeviceSettingsDialog
from asiria_desktop.ui.returns.void_sale_dialog import VoidSaleDialog
from asiria_desktop.ui.sale.quick_add_dialog import QuickAddDialog
from asiria_desktop.ui.shift.shift_dialogs import AmountDialog, ShiftDialog
from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog

from ..services.support import audit, outbox, rows, user_id

COKE = "5449000000996"  # a demo product, KES 80.00
UNKNOWN = "5901234123457"  # a valid EAN-13 the demo catalog does not have


def approve(cashier: Any, pin: str = "9999") -> None:
    approval = cashier.dialog(ApprovalDialog)
    cashier.type_into(approval.pin_edit, pin, enter=True)
    cashier.wait(lambda: not approval.isVisible())


def sell_coke_for_cash(till: Any) -> Any:
    sale = till.services.sale
    assert sale.scan(COKE).added
    sale.add_payment("cash", 10000)
    return sale.complete()


def test_void_a_sale_from_the_shift_menu_scanning_its_receipt(cashier: Any, till: Any) -> None:
    cashier.log_in("1111")
    done = sell_coke_for_cash(till)

    cashier.press(Qt.Key.Key_F9)
    menu = cashier.dialog(ShiftDialog)
    menu.buttons["void_sale"].click()
    dialog = cashier.dialog(VoidSaleDialog)
    cashier.wait(lambda: dialog.receipt_edit.hasFocus())
    cashier.scan(done.receipt_no)  # the receipt's code, scanned into the open screen
    cashier.wait(lambda: done.receipt_no in dialog.sale_label.text())
    assert "Coca-Cola" in dialog.sale_label.text() and dialog.void_button.isEnabled()

    dialog.void_button.click()  # no reason yet
    assert "Say why" in dialog.error_label.text()
    cashier.type_into(dialog.reason_edit, "customer changed mind")
    dialog.void_button.click()
    approve(cashier)
    cashier.wait(lambda: not dialog.isVisible())
    cashier.wait(lambda: "voided" in cashier.sale.banner.text)

    voided = [e for e in outbox(till) if e["type"] == "sale.voided"]
    assert len(voided) == 1
    payload = voided[0]["payload"]
    assert payload["receipt_no"] == done.receipt_no
    assert payload["reason"] == "customer changed mind"
    assert payload["approved_by"] == user_id(till, "Wanjiru")
    assert payload["cashier_id"] == user_id(till, "Amina")


def test_f3_changes_the_price_of_the_selected_line(cashier: Any, till: Any) -> None:
    cashier.log_in("1111")
    cashier.focus_cart()
    cashier.scan(COKE)
    cashier.wait_lines(1)

    cashier.press(Qt.Key.Key_F3)
    dialog = cashier.dialog(AmountDialog, "Change price")
    cashier.type_into(dialog.amount_edit, "65", enter=True)
    approve(cashier)
    cashier.wait(lambda: cashier.cart_lines()[0].unit_price_cents == 6500)
    line = cashier.cart_lines()[0]
    assert line.price_overridden and line.total_cents == 6500
    cashier.wait(lambda: "Price of Coca-Cola" in cashier.sale.banner.text)

    cashier.idle()
    sale = till.services.sale
    sale.add_payment("cash", 6500)
    result = sale.complete()
    manager = user_id(till, "Wanjiru")
    overrides = [a for a in audit(till) if a[0] == "price_override"]
    assert len(overrides) == 1
    _action, actor, approver, details = overrides[0]
    assert (actor, approver) == (user_id(till, "Amina"), manager)
    assert (details["from_cents"], details["to_cents"]) == (8000, 6500)
    assert details["receipt_no"] == result.receipt_no
    (data,) = rows(till, "SELECT total_cents FROM sales WHERE receipt_no = ?", result.receipt_no)
    assert data[0] == 6500


def test_an_unknown_barcode_can_be_added_by_a_manager_and_lands_in_the_cart(
    cashier: Any, till: Any
) -> None:
    cashier.log_in("1111")
    cashier.focus_cart()
    cashier.scan(UNKNOWN)
    cashier.wait(lambda: "not found" in cashier.sale.banner.text)
    banner = cashier.sale.banner
    assert banner.action_button.text() == "Search by name (F2)"
    assert banner.second_button.text() == "Add product (manager)"

    banner.second_button.click()
    dialog = cashier.dialog(QuickAddDialog)
    assert dialog.barcode_edit.text() == UNKNOWN
    cashier.type_into(dialog.name_edit, "Sukuma wiki bunch")
    cashier.type_into(dialog.price_edit, "30")
    dialog.ok_button.click()
    approve(cashier)
    cashier.wait_lines(1)
    assert cashier.cart_lines()[0].name == "Sukuma wiki bunch"
    assert cashier.cart_lines()[0].unit_price_cents == 3000

    found = till.services.catalog.lookup(UNKNOWN)
    assert found.found and found.product.name == "Sukuma wiki bunch"
    added = [a for a in audit(till) if a[0] == "quick_add_product"]
    assert added and added[0][2] == user_id(till, "Wanjiru")


def test_device_settings_need_a_manager_and_a_drawer_test_is_a_logged_no_sale(
    cashier: Any, till: Any
) -> None:
    cashier.log_in("1111")
    cashier.press(Qt.Key.Key_F9)
    cashier.dialog(ShiftDialog).buttons["devices"].click()
    approve(cashier)
    dialog = cashier.dialog(DeviceSettingsDialog)

    # A drawer on its own serial port (a loopback here): the kick is a drawer.opened event.
    dialog.drawer_kind.setCurrentIndex(dialog.drawer_kind.findData("serial"))
    dialog.drawer_serial.setEditText("loop://")
    dialog.drawer_button.click()
    cashier.wait(lambda: "Drawer kick sent" in dialog.status.text())
    opened = [e for e in outbox(till) if e["type"] == "drawer.opened"]
    assert len(opened) == 1
    assert opened[0]["payload"]["reason"] == "no_sale"
    assert opened[0]["payload"]["approved_by"] == user_id(till, "Wanjiru")

    dialog.paper.setCurrentIndex(dialog.paper.findData(58))
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    cashier.wait(lambda: not dialog.isVisible())
    saved = json.loads((till.config.data_dir / "devices-T01.json").read_text(encoding="utf-8"))
    assert saved["printer"]["paper_mm"] == 58 and saved["drawer"]["kind"] == "serial"
    assert [a[0] for a in audit(till)][-1] == "device_settings_saved"
    cashier.wait(lambda: "next time the till starts" in cashier.sale.banner.text)


def test_the_last_receipt_shows_after_a_restart_with_reprint(cashier: Any, till: Any) -> None:
    till.services.auth.login("1111")
    done = sell_coke_for_cash(till)  # before this window was opened: as if the till restarted
    till.services.auth.logout()
    cashier.log_in("1111")
    preview = cashier.sale.preview
    cashier.wait(lambda: done.receipt_no in preview.text)
    assert preview.reprint_button.isEnabled()
    preview.reprint_button.click()
    cashier.wait(lambda: f"Receipt {done.receipt_no} reprinted." in cashier.sale.banner.text)
    assert "COPY" in till.printer.last_text


def test_a_manager_pin_typed_fast_approves_and_is_never_a_scan(cashier: Any) -> None:
    """The PIN field hides what is typed, so the scan detector never sees it: a manager who
    types 9999 and Enter at a scanner's pace approves the price change."""
    from PySide6.QtWidgets import QApplication

    from .conftest import SCANNER_GAP_MS, send_key, send_text

    cashier.log_in("1111")
    cashier.scan(COKE)
    cashier.wait_lines(1)
    cashier.press(Qt.Key.Key_F3)
    dialog = cashier.dialog(AmountDialog, "Change price")
    cashier.type_into(dialog.amount_edit, "65", enter=True)
    approval = cashier.dialog(ApprovalDialog)
    cashier.wait(lambda: QApplication.focusWidget() is approval.pin_edit)
    send_text(approval.pin_edit, "9999", SCANNER_GAP_MS)
    send_key(approval.pin_edit, Qt.Key.Key_Return, "\r", SCANNER_GAP_MS)
    cashier.wait(lambda: cashier.cart_lines()[0].unit_price_cents == 6500)
    assert "Scan of" not in cashier.sale.banner.text
