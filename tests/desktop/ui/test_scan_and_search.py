from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from asiria_desktop.ui.sale.quantity_dialog import QuantityDialog


def test_unknown_barcode_says_not_found_and_offers_search(cashier: Any) -> None:
    cashier.log_in()
    cashier.focus_cart()
    cashier.scan("4006381333931")  # a valid EAN-13 that the demo catalog does not have
    banner = cashier.sale.banner
    cashier.wait(lambda: "not found" in banner.text.lower())
    assert "4006381333931" in banner.text
    assert banner.action_button.isVisible()
    assert "Search" in banner.action_button.text()
    assert cashier.cart_lines() == []

    banner.action_button.click()
    assert QApplication.focusWidget() is cashier.sale.search_edit


def test_scan_into_the_search_box_goes_to_the_cart_not_the_search(
    cashier: Any, products: Any
) -> None:
    product = products["by_count"][0]
    cashier.log_in()
    search = cashier.sale.search_edit
    cashier.focus(search)
    cashier.scan(product.barcode)
    cashier.wait_lines(1)
    assert search.text() == ""
    assert cashier.cart_lines()[0].name == product.name


def test_type_ahead_search_finds_a_product_and_adds_it(cashier: Any, products: Any) -> None:
    product = products["by_count"][2]
    brand, item = product.name.split()[:2]
    word = f"{brand} {item[:3]}"  # a few letters of the second word: prefix search
    cashier.log_in()
    cashier.press(Qt.Key.Key_F2)
    search = cashier.sale.search_edit
    cashier.wait(lambda: QApplication.focusWidget() is search)
    QTest.keyClicks(search, word)  # no Enter yet: results come as the cashier types
    results = cashier.sale.results
    cashier.wait(lambda: results.count() > 0)
    assert cashier.sale.right_stack.currentWidget() is results
    names = [results.item(i).text() for i in range(results.count())]
    assert all(brand.lower() in name.lower() for name in names)
    row = next(i for i, name in enumerate(names) if name.startswith(product.name))
    QTest.keyClick(search, Qt.Key.Key_Down)
    results.setCurrentRow(row)
    QTest.keyClick(results, Qt.Key.Key_Return)
    cashier.wait_lines(1)
    assert cashier.cart_lines()[0].name == product.name
    assert search.text() == ""
    assert cashier.sale.right_stack.currentWidget() is cashier.sale.grid


def test_product_grid_adds_by_touch_and_void_line(cashier: Any, products: Any) -> None:
    cashier.log_in()
    grid = cashier.sale.grid
    cashier.wait(lambda: len(grid.product_buttons) > 0)
    grid.product_buttons[0].click()
    if cashier.sale.view is None or not cashier.cart_lines():
        weigh = QApplication.activeModalWidget()
        if isinstance(weigh, QuantityDialog):  # first product is sold by weight
            cashier.type_into(weigh.value_edit, "0.5", enter=True)
    cashier.wait_lines(1)
    cashier.focus_cart()
    cashier.press(Qt.Key.Key_F8)
    cashier.wait_lines(0)
    assert "removed" in cashier.sale.banner.text


def test_weighed_items_by_touch_and_by_scale_label(cashier: Any, products: Any) -> None:
    from asiria_desktop.demo import seed_demo

    label = seed_demo(cashier.till).sample_scale_label  # idempotent: just the demo facts
    weighed = products["weighed"][0]
    cashier.log_in()
    cashier.sale.add_product(weighed)  # as a tap on its grid button does
    weigh = cashier.dialog(QuantityDialog)
    cashier.type_into(weigh.value_edit, "0.5", enter=True)
    cashier.wait_lines(1)
    assert cashier.cart_lines()[0].qty_milli == 500

    cashier.focus_cart()
    cashier.scan(label)  # a price-embedded label from the shop's scale: no question asked
    cashier.wait_lines(2)
    # The cart shows what the label stands for: its weight, the price per kg, its price.
    model = cashier.sale.cart.table.model()
    shown = [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]
    assert shown[0][:3] == [weighed.name, "0.500 kg", f"{weighed.price_text}/kg"]
    assert shown[1] == ["Tomatoes (kg)", "0.750 kg", "120.00/kg", "", "90.00"]


def test_an_unexpected_error_is_a_plain_message_and_the_sale_is_kept(
    cashier: Any, products: Any, monkeypatch: Any
) -> None:
    cashier.log_in()
    cashier.focus_cart()
    cashier.scan(products["by_count"][0].barcode)
    cashier.wait_lines(1)

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("database is locked (sqlite3.OperationalError)")

    monkeypatch.setattr(cashier.till.services.sale, "set_qty", broken)
    cashier.press(Qt.Key.Key_F4)
    cashier.type_into(cashier.dialog(QuantityDialog).value_edit, "2", enter=True)
    cashier.wait(lambda: "Something went wrong" in cashier.sale.banner.text)
    assert "sqlite" not in cashier.sale.banner.text
    assert "kept" in cashier.sale.banner.text
    assert len(cashier.cart_lines()) == 1
    assert cashier.till.services.sale.view().item_count == 1


def test_arrow_keys_in_the_search_box_choose_the_line_f8_voids(cashier: Any, products: Any) -> None:
    first, second = products["by_count"][:2]
    cashier.log_in()
    search = cashier.focus(cashier.sale.search_edit)
    cashier.scan(first.barcode)
    cashier.wait_lines(1)
    cashier.scan(second.barcode)
    cashier.wait_lines(2)
    assert cashier.sale.cart.selected_line().name == second.name  # the last scanned
    QTest.keyClick(search, Qt.Key.Key_Up)
    assert cashier.sale.cart.selected_line().name == first.name
    cashier.press(Qt.Key.Key_F8)
    cashier.wait_lines(1)
    assert cashier.cart_lines()[0].name == second.name
