"""The manager's view (Shift menu, "Today's figures") and the "often bought with" hint on the
sale screen, at the real till window with a real till behind it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from asiria_desktop.local_db.sync_repos import SqlSyncStore
from asiria_desktop.ports.sync_store import BasketCompanion, BasketHintRecord, CatalogChange
from asiria_desktop.ui.shift.manager_view import ManagerView
from asiria_desktop.ui.shift.shift_dialogs import ShiftDialog
from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog

COKE = "5449000000996"  # a demo product, KES 80.00


def sell(till: Any, code: str, qty: int, method: str = "cash") -> None:
    sale = till.services.sale
    sale.add_product(till.services.catalog.lookup(code).product.id, qty=qty)
    reference = "SKO3ZQ8H2J" if method == "mpesa" else None
    sale.add_payment(method, sale.view().balance_due_cents, reference)
    sale.complete()


def test_a_cashier_opens_todays_figures_with_a_managers_pin(cashier: Any, till: Any) -> None:
    cashier.log_in("1111")
    sell(till, COKE, 2)
    sell(till, COKE, 1, method="mpesa")
    cashier.press(Qt.Key.Key_F9)
    cashier.dialog(ShiftDialog).buttons["today"].click()
    approval = cashier.dialog(ApprovalDialog)
    cashier.type_into(approval.pin_edit, "9999", enter=True)
    view = cashier.dialog(ManagerView)
    assert view.tiles["sales"].text() == "2"
    assert view.tiles["total"].text().endswith("240.00")
    assert view.tiles["average"].text().endswith("120.00")
    assert [row[0] for row in view.mix_rows] == ["Cash", "M-Pesa"]
    assert [row[2] for row in view.mix_rows] == ["67%", "33%"]
    assert view.top_rows[0][:2] == ("Coca-Cola 500ml", "3")
    bars = {bar.hour: bar.total_cents for bar in view.chart.bars}
    assert sum(bars.values()) == 24000
    assert "240.00" in view.chart.accessibleDescription()
    image = view.chart.grab().toImage()
    assert image.width() > 100  # the chart paints without error
    view.accept()


def test_the_sale_screen_hints_what_is_often_bought_with_the_item(
    cashier: Any, till: Any, products: Any
) -> None:
    coke = till.services.catalog.lookup(COKE).product
    others = [p for p in till.services.catalog.search("soda") if p.id != coke.id]
    companion = others[0]
    cashier.log_in("1111")
    cashier.scan(COKE)
    cashier.wait_lines(1)
    cashier.idle()
    assert not cashier.sale.hint_label.isVisible()  # never synced: no hint at all

    record = BasketHintRecord(coke.id, (BasketCompanion(companion.id, companion.name, 5000, 3100),))
    SqlSyncStore(till.database.engine).apply_page(
        [CatalogChange("basket_hint", coke.id, record)], "3"
    )
    cashier.sale.add_product(coke)  # a second coke: the hint is looked up again
    cashier.wait(lambda: cashier.sale.hint_label.isVisible())
    assert cashier.sale.hint_label.text() == f"Often bought with Coca-Cola 500ml: {companion.name}"

    cashier.sale.add_product(companion)  # the companion is in the cart now: nothing to suggest
    cashier.wait_lines(2)
    cashier.wait(lambda: not cashier.sale.hint_label.isVisible())
