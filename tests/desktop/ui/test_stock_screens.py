"""The Stock key (F11) at the real till window: receive a delivery with the scanner, adjust
stock with a manager's approval, and nothing typed is lost when a save is refused. Each checks
what the till then holds (stock level, outbox)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from asiria_desktop.local_db.sync_repos import SqlSyncStore
from asiria_desktop.ports.sync_store import CatalogChange, StockLevelRecord
from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog
from asiria_desktop.ui.stock.stock_dialogs import (
    AdjustStockDialog,
    ReceiveGoodsDialog,
    StockMenuDialog,
)

from ..services.support import outbox, user_id

COKE = "5449000000996"
TOMATO_LABEL = "2100101090004"  # a scale label of the weighed tomatoes
UNKNOWN = "5901234123457"


def open_stock_screen(cashier: Any, action: str) -> Any:
    cashier.press(Qt.Key.Key_F11)
    cashier.dialog(StockMenuDialog).buttons[action].click()
    kind = ReceiveGoodsDialog if action == "receive" else AdjustStockDialog
    return cashier.dialog(kind)


def table(dialog: Any) -> list[list[str]]:
    grid = dialog.lines.table
    return [
        [grid.item(row, column).text() for column in range(grid.columnCount())]
        for row in range(grid.rowCount())
    ]


def stock_of(till: Any, code: str) -> int:
    return int(till.services.stock.find(code).on_hand_milli)


def window_unsent(cashier: Any) -> int:
    """The status bar's count of events waiting for head office."""
    cashier.window.status.refresh()
    text = cashier.window.status.unsent_label.text()  # "Unsent: 3"
    return int(text.split(":")[1].split()[0]) if text[-1].isdigit() else -1


def test_receive_a_delivery_by_scanning_it(cashier: Any, till: Any) -> None:
    cashier.log_in("1111")
    dialog = open_stock_screen(cashier, "receive")
    cashier.type_into(dialog.supplier_edit, "Bidco")
    cashier.type_into(dialog.reference_edit, "DN-4471")
    cashier.scan(COKE)  # the focus is in the delivery note field: the scan is not text
    cashier.wait(lambda: len(table(dialog)) == 1)
    assert dialog.reference_edit.text() == "DN-4471"
    assert table(dialog) == [["Coca-Cola 500ml", "0 (this till)", "1"]]
    cashier.type_into(dialog.lines.quantity_edit, "24", enter=True)

    cashier.scan(TOMATO_LABEL)
    cashier.wait(lambda: len(table(dialog)) == 2)
    assert table(dialog)[1] == ["Tomatoes (kg)", "0.000 kg (this till)", ""]
    assert dialog.lines.quantity_edit.hasFocus()  # a weight to type
    cashier.type_into(dialog.lines.quantity_edit, "5.5", enter=True)
    cashier.wait(dialog.lines.search_edit.hasFocus)  # Enter: back to scanning

    cashier.scan(UNKNOWN)
    cashier.wait(lambda: f"Barcode {UNKNOWN} not found" in dialog.error_label.text())
    assert [row[2] for row in table(dialog)] == ["24", "5.5"]

    dialog.save_button.click()
    cashier.wait(lambda: not dialog.isVisible())
    cashier.wait(lambda: "Received 2 products from Bidco" in cashier.sale.banner.text)
    assert "Coca-Cola 500ml now 24, Tomatoes (kg) now 5.500 kg" in cashier.sale.banner.text
    assert stock_of(till, COKE) == 24_000 and stock_of(till, TOMATO_LABEL) == 5_500
    (event,) = [e for e in outbox(till) if e["type"] == "goods.received"]
    assert event["payload"]["supplier"] == "Bidco"
    assert event["payload"]["reference"] == "DN-4471"
    cashier.wait(lambda: window_unsent(cashier) == len(outbox(till)))

    again = open_stock_screen(cashier, "receive")  # the next delivery shows the new stock
    cashier.scan(COKE)
    cashier.wait(lambda: len(table(again)) == 1)
    assert table(again)[0][1] == "24 (this till)"
    cashier.scan(COKE)  # scanned again: one more crate
    cashier.wait(lambda: table(again)[0][2] == "2")
    again.reject()


def test_a_refused_delivery_keeps_everything_typed(cashier: Any, till: Any) -> None:
    cashier.log_in("1111")
    dialog = open_stock_screen(cashier, "receive")
    cashier.type_into(dialog.supplier_edit, "Bidco")
    cashier.scan(COKE)
    cashier.wait(lambda: len(table(dialog)) == 1)
    cashier.type_into(dialog.lines.quantity_edit, "2.5")
    dialog.save_button.click()
    cashier.wait(lambda: "not a number of pieces for Coca-Cola" in dialog.error_label.text())
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert dialog.supplier_edit.text() == "Bidco" and table(dialog)[0][2] == "2.5"
    assert stock_of(till, COKE) == 0 and not [e for e in outbox(till) if "goods" in e["type"]]

    cashier.type_into(dialog.lines.quantity_edit, "3")
    dialog.save_button.click()
    cashier.wait(lambda: not dialog.isVisible())
    assert stock_of(till, COKE) == 3_000


def test_a_cashier_adjusts_stock_with_a_managers_pin(cashier: Any, till: Any) -> None:
    cashier.log_in("1111")
    dialog = open_stock_screen(cashier, "adjust")
    cashier.scan(COKE)
    cashier.wait(lambda: len(table(dialog)) == 1)
    assert table(dialog)[0][2] == ""  # a change is typed, with its sign
    cashier.type_into(dialog.lines.quantity_edit, "-2")
    dialog.choose_reason("damaged")
    cashier.type_into(dialog.note_edit, "dropped")
    dialog.save_button.click()

    approval = cashier.dialog(ApprovalDialog)
    cashier.type_into(approval.pin_edit, "1234", enter=True)
    cashier.wait(lambda: "That manager PIN is not right" in approval.error_label.text())
    assert stock_of(till, COKE) == 0
    cashier.type_into(approval.pin_edit, "9999", enter=True)
    cashier.wait(lambda: not dialog.isVisible())
    cashier.wait(lambda: "Stock adjusted (Damaged: dropped)" in cashier.sale.banner.text)
    assert "Coca-Cola 500ml -2, now -2" in cashier.sale.banner.text
    assert stock_of(till, COKE) == -2_000
    (event,) = [e for e in outbox(till) if e["type"] == "stock.adjusted"]
    assert event["payload"]["approved_by"] == user_id(till, "Wanjiru")
    assert event["payload"]["lines"][0]["delta_milli"] == -2_000


def test_cancelling_the_managers_pin_keeps_the_adjustment_open(cashier: Any, till: Any) -> None:
    cashier.log_in("1111")
    dialog = open_stock_screen(cashier, "adjust")
    cashier.scan(COKE)
    cashier.wait(lambda: len(table(dialog)) == 1)
    cashier.type_into(dialog.lines.quantity_edit, "+3")
    dialog.save_button.click()
    cashier.dialog(ApprovalDialog).reject()
    cashier.wait(lambda: "A manager must approve changing the stock" in dialog.error_label.text())
    assert dialog.isVisible() and table(dialog)[0][2] == "+3"
    assert not [e for e in outbox(till) if e["type"] == "stock.adjusted"]


def test_a_manager_enters_a_shelf_count(cashier: Any, till: Any) -> None:
    coke = till.services.stock.find(COKE).product_id
    SqlSyncStore(till.database.engine).apply_page(  # head office's figure, as pulled
        [CatalogChange("stock_level", coke, StockLevelRecord(coke, 24_000))], "1"
    )
    cashier.log_in("9999")
    dialog = open_stock_screen(cashier, "adjust")
    dialog.counted_radio.click()
    assert dialog.lines.quantity_label.text() == "Counted"
    for _ in range(3):  # three bottles on the shelf, scanned one by one
        cashier.scan(COKE)
    cashier.wait(lambda: table(dialog) == [["Coca-Cola 500ml", "24", "3"]])
    dialog.choose_reason("theft_loss")
    dialog.save_button.click()  # a manager: no PIN asked
    cashier.wait(lambda: not dialog.isVisible())
    cashier.wait(lambda: "Stock adjusted (Theft or loss)" in cashier.sale.banner.text)
    assert stock_of(till, COKE) == 3_000
    (event,) = [e for e in outbox(till) if e["type"] == "stock.adjusted"]
    assert event["payload"]["lines"] == [{"product_id": coke, "delta_milli": -21_000}]


def test_search_by_name_adds_a_product(cashier: Any, till: Any) -> None:
    cashier.log_in("1111")
    dialog = open_stock_screen(cashier, "receive")
    cashier.type_into(dialog.lines.search_edit, "coca")
    cashier.wait(lambda: dialog.lines.results.count() > 0)
    send_enter(cashier, dialog.lines.search_edit)
    cashier.wait(lambda: len(table(dialog)) == 1)
    assert table(dialog)[0][0].startswith("Coca-Cola")
    dialog.reject()


def send_enter(cashier: Any, widget: Any) -> None:
    widget.setFocus()
    cashier.wait(widget.hasFocus)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def test_the_adjust_screen_says_how_old_its_stock_figures_are(cashier: Any, till: Any) -> None:
    cashier.log_in("9999")
    dialog = open_stock_screen(cashier, "adjust")
    cashier.wait(lambda: "has not synced with head office" in dialog.as_of_label.text())
    dialog.reject()

    SqlSyncStore(till.database.engine).set_state("last_sync_at", "2026-12-04T07:02:00+00:00")
    dialog = open_stock_screen(cashier, "adjust")
    cashier.wait(lambda: "as of the last sync" in dialog.as_of_label.text())
    assert "04 Dec" in dialog.as_of_label.text()
    dialog.reject()
