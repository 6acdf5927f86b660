"""After a crash, the next login is offered the sale that was being rung up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from asiria_desktop.ui.sale.restore_sale_dialog import RestoreSaleDialog
from asiria_desktop.ui.shift.shift_dialogs import AmountDialog

from .conftest import PERSON_GAP_MS, send_key

COKE = "5449000000996"  # KES 80.00
TOMATO_LABEL = "2100101090004"  # scale label: tomatoes, KES 90.00


def _cut_off_sale(tmp_path: Any, *, pay_cents: int = 0) -> None:
    """A till that rang up three items (and maybe took some cash) and then stopped dead."""
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from asiria_desktop.demo import seed_demo

    first = build_till(TillConfig(data_dir=tmp_path / "till", scan_debounce_ms=0))
    seed_demo(first)
    first.services.auth.login("1111")
    first.services.shifts.open(None, 500_000)
    for code in (COKE, COKE, TOMATO_LABEL):
        assert first.services.sale.scan(code).added
    if pay_cents:
        first.services.sale.add_payment("cash", pay_cents)
    first.close()  # nothing completed, parked or cancelled


def _restarted(tmp_path: Any) -> Any:
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig

    return build_till(TillConfig(data_dir=tmp_path / "till"))


@pytest.fixture
def till(tmp_path: Any, request: Any) -> Iterator[Any]:
    _cut_off_sale(tmp_path, pay_cents=getattr(request, "param", 0))
    again = _restarted(tmp_path)
    yield again
    again.close()


def test_the_next_login_offers_the_sale_back_and_restore_brings_the_items(cashier: Any) -> None:
    cashier.type_into(cashier.window.login_screen.pin_edit, "1111", enter=True)
    offer = cashier.dialog(RestoreSaleDialog)
    assert offer.question.text() == "Restore the sale in progress (3 items, 250.00)?"
    assert offer.discard_button.isEnabled()
    assert QApplication.focusWidget() is offer.ok_button
    send_key(offer.ok_button, Qt.Key.Key_Escape, "\x1b", PERSON_GAP_MS)
    assert offer.isVisible()  # Esc is no answer: the question stays
    send_key(offer.ok_button, Qt.Key.Key_Return, "\r", PERSON_GAP_MS)  # Enter restores
    cashier.wait_lines(2)
    assert [line.name for line in cashier.cart_lines()] == ["Coca-Cola 500ml", "Tomatoes (kg)"]
    assert cashier.sale.view.total_cents == 25000
    assert "restored" in cashier.sale.banner.text.lower()
    # The shift was open before the crash: no float to ask for, the till is ready to sell.
    cashier.idle()
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert not [w for w in shown if isinstance(w, AmountDialog)]


def test_discard_asks_once_more_and_then_empties_the_cart(cashier: Any) -> None:
    cashier.type_into(cashier.window.login_screen.pin_edit, "1111", enter=True)
    offer = cashier.dialog(RestoreSaleDialog)
    offer.discard_button.click()
    assert offer.isVisible() and offer.discard_button.text() == "Yes, discard it"
    offer.discard_button.click()
    cashier.wait(lambda: "discarded" in cashier.sale.banner.text.lower())
    assert cashier.cart_lines() == []
    assert cashier.till.services.sale.leftover_sale() is None


@pytest.mark.parametrize("till", [5000], indirect=True)
def test_a_sale_with_payments_can_only_be_restored(cashier: Any) -> None:
    cashier.type_into(cashier.window.login_screen.pin_edit, "1111", enter=True)
    offer = cashier.dialog(RestoreSaleDialog)
    assert not offer.discard_button.isEnabled()
    assert "payments" in offer.error_label.text()
    offer.ok_button.click()
    cashier.wait_lines(2)
    assert cashier.sale.view.paid_cents == 5000
