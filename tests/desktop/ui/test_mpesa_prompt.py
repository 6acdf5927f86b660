"""M-Pesa at the payment dialog with a scripted cloud: a prompt to the customer's phone, every
way it can end, amounts split over several prompts, a prompt paid after its dialog closed and
claimed later, a till-number payment claimed by phone and amount, and the offline code path."""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from asiria_desktop.local_db.mpesa_repos import SqlMpesaPromptStore
from asiria_desktop.ports.mpesa import TillNumberPayment
from asiria_desktop.services.sale.mpesa import OFFLINE, MpesaService
from asiria_desktop.ui.payment.mpesa_claim_dialog import MpesaClaimDialog
from asiria_desktop.ui.payment.mpesa_prompt_dialog import LATE_PAYMENT, MpesaPromptDialog
from asiria_desktop.ui.payment.payment_dialog import PaymentDialog
from tests.desktop.ui.conftest import shown_window
from tests.desktop.ui.mpesa_fake import FakeMpesaGateway

PHONE = "0712 345 678"


@pytest.fixture
def gateway() -> FakeMpesaGateway:
    return FakeMpesaGateway()


@pytest.fixture
def max_prompt_cents() -> int:
    return 250_000_00


@pytest.fixture
def wait_seconds() -> int:
    """How long the till waits for the customer: long enough that a test's answer always
    comes within it, however busy the machine; the tests of a wait that runs out set 3."""
    return 60


@pytest.fixture
def window(
    qtbot: Any, till: Any, gateway: FakeMpesaGateway, max_prompt_cents: int, wait_seconds: int
) -> Iterator[Any]:
    mpesa = MpesaService(
        till.context,
        gateway,
        SqlMpesaPromptStore(till.database.engine),
        max_prompt_cents=max_prompt_cents,
        wait_seconds=wait_seconds,
        poll_seconds=0.2,
    )
    yield from shown_window(qtbot, dataclasses.replace(till.services, mpesa=mpesa))


def open_payment(cashier: Any, products: Any, *, items: int = 1) -> PaymentDialog:
    cashier.log_in("1111")
    for product in products["by_count"][:items]:
        cashier.focus_cart()
        cashier.scan(product.barcode)
    cashier.wait_lines(items)
    from PySide6.QtCore import Qt

    cashier.press(Qt.Key.Key_F12)
    pay = cashier.dialog(PaymentDialog)
    cashier.press(Qt.Key.Key_F3)
    cashier.wait(pay.phone_edit.isVisible)
    return pay


def whole_due(pay: PaymentDialog) -> int:
    return pay._view.balance_due_cents // 100 * 100


def prompt(cashier: Any, pay: PaymentDialog, amount_cents: int | None = None) -> MpesaPromptDialog:
    from asiria_desktop.domain.money import format_amount

    cents = whole_due(pay) if amount_cents is None else amount_cents
    cashier.type_into(pay.amount_edit, format_amount(cents))
    cashier.type_into(pay.phone_edit, PHONE, enter=True)
    return cashier.dialog(MpesaPromptDialog)


def pay_rest_in_cash(cashier: Any, pay: PaymentDialog) -> None:
    from PySide6.QtCore import Qt

    from asiria_desktop.domain.money import format_amount

    cashier.press(Qt.Key.Key_F1)
    cashier.type_into(pay.amount_edit, format_amount(pay._view.balance_due_cents), enter=True)
    cashier.wait(pay.complete_button.isEnabled)


def sale_payments(cashier: Any, receipt_no: str) -> list[tuple[str, int, str | None]]:
    db = sqlite3.connect(cashier.till.config.database_path)
    try:
        return db.execute(
            "SELECT p.method, p.amount_cents, p.reference FROM sale_payments p "
            "JOIN sales s ON s.id = p.sale_id WHERE s.receipt_no = ? ORDER BY p.position",
            (receipt_no,),
        ).fetchall()
    finally:
        db.close()


def complete(cashier: Any, pay: PaymentDialog) -> Any:
    from PySide6.QtCore import Qt

    cashier.wait(pay.complete_button.isEnabled)
    cashier.press(Qt.Key.Key_F12)
    cashier.wait(lambda: pay.result_of_sale is not None)
    return pay.result_of_sale


def test_paid_prompt_becomes_the_payment_with_its_receipt_number(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    pay = open_payment(cashier, products)
    dialog = prompt(cashier, pay)
    # The countdown runs while the cloud still says "pending"; nothing is paid yet.
    cashier.wait(lambda: "Waiting for the customer" in dialog.countdown.text())
    assert dialog.heading.text() == f"KES {whole_due(pay) // 100:,} to 0712 345 678"
    assert pay.payments_list.count() == 0
    cashier.wait(lambda: pay.payments_list.count() == 1)
    assert not dialog.isVisible()
    assert "SKP0000001" in pay.payments_list.item(0).text()
    assert gateway.started[0].phone == "254712345678"
    # The prompt and every poll ran in the background, never on the window's thread.
    assert gateway.callers and threading.main_thread().name not in gateway.callers
    pay_rest_in_cash(cashier, pay) if pay._view.balance_due_cents else None
    result = complete(cashier, pay)
    payments = sale_payments(cashier, result.receipt_no)
    assert ("mpesa", whole_due_of(payments), "SKP0000001") in payments


def whole_due_of(payments: list[tuple[str, int, str | None]]) -> int:
    return next(amount for method, amount, _ in payments if method == "mpesa")


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (1032, "cancelled the M-Pesa prompt"),
        (1, "balance is too low"),
        (2001, "wrong M-Pesa PIN"),
        (1037, "could not be reached"),
        (1019, "prompt expired before the customer answered"),
        (17, "M-Pesa did not take the payment (Daraja result 17)"),
    ],
)
def test_a_prompt_that_fails_says_why_and_offers_try_again_or_another_tender(
    cashier: Any, products: Any, gateway: FakeMpesaGateway, code: int, words: str
) -> None:
    gateway.result_code = code
    pay = open_payment(cashier, products)
    dialog = prompt(cashier, pay)
    cashier.wait(lambda: words in dialog.status_label.text())
    assert dialog.try_again_button.isVisible() and dialog.other_button.isVisible()
    assert pay.payments_list.count() == 0 and not pay.complete_button.isEnabled()

    # The customer tops up / types the right PIN: "Try again" sends a new prompt that is paid.
    gateway.result_code = 0
    dialog.try_again_button.click()
    cashier.wait(lambda: pay.payments_list.count() == 1)
    assert len(gateway.started) == 2
    assert "SKP0000002" in pay.payments_list.item(0).text()


def test_another_tender_goes_back_to_cash(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    gateway.result_code = 1032
    pay = open_payment(cashier, products)
    dialog = prompt(cashier, pay)
    cashier.wait(dialog.other_button.isVisible)
    dialog.other_button.click()
    cashier.wait(lambda: not dialog.isVisible())
    assert pay.method_buttons["cash"].isChecked()
    pay_rest_in_cash(cashier, pay)
    result = complete(cashier, pay)
    assert [m for m, _, _ in sale_payments(cashier, result.receipt_no)] == ["cash"]


@pytest.mark.parametrize("wait_seconds", [3])  # the wait runs out
def test_no_answer_in_time_points_to_the_claim_screen(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    gateway.result_code = None  # the customer never answers while the till waits
    pay = open_payment(cashier, products)
    dialog = prompt(cashier, pay)
    cashier.wait(lambda: dialog.status_label.text() == LATE_PAYMENT, timeout=15_000)
    assert dialog.try_again_button.isVisible()
    assert pay.payments_list.count() == 0

    # The customer pays just after: "Try again" takes that payment instead of a second prompt.
    gateway.pay_later(gateway.started[0].attempt_id)
    dialog.try_again_button.click()
    cashier.wait(lambda: pay.payments_list.count() == 1)
    assert "SKP0000001" in pay.payments_list.item(0).text()
    assert len(gateway.started) == 1


@pytest.mark.parametrize("wait_seconds", [3])  # the wait runs out
def test_try_again_pressed_before_the_last_look_is_back_is_not_lost(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    import threading

    gateway.result_code = None  # the customer never answers while the till waits
    gateway.answer_gate = threading.Event()  # the look at the end of the wait is slow
    pay = open_payment(cashier, products)
    dialog = prompt(cashier, pay)
    cashier.wait(lambda: dialog.status_label.text() == LATE_PAYMENT, timeout=15_000)

    # The customer pays, the cashier presses Try again at once, then the last look answers
    # "pending" (it was worked out before the payment): the press still checks again and takes
    # the payment, with no second prompt.
    gateway.pay(gateway.started[0].attempt_id)
    dialog.try_again_button.click()
    assert dialog.status_label.text() == "Checking whether the customer paid meanwhile…"
    gateway.answer_gate.set()
    cashier.wait(lambda: pay.payments_list.count() == 1)
    assert "SKP0000001" in pay.payments_list.item(0).text()
    assert len(gateway.started) == 1


def test_mpesa_down_says_so_and_can_be_tried_again(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    gateway.daraja_down = True
    pay = open_payment(cashier, products)
    dialog = prompt(cashier, pay)
    cashier.wait(lambda: "M-Pesa did not answer" in dialog.status_label.text())
    assert dialog.try_again_button.isVisible()
    gateway.daraja_down = False
    dialog.try_again_button.click()
    cashier.wait(lambda: pay.payments_list.count() == 1)


def test_offline_till_asks_for_the_code_and_takes_it(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    gateway.offline = True
    pay = open_payment(cashier, products)
    dialog = prompt(cashier, pay)
    cashier.wait(lambda: dialog.status_label.text() == OFFLINE)
    assert dialog.code_button.isVisible() and not dialog.try_again_button.isVisible()
    dialog.code_button.click()
    cashier.wait(lambda: not dialog.isVisible())
    assert pay.error_label.text() == OFFLINE
    assert pay.focusWidget() is pay.reference_edit
    cashier.type_into(pay.reference_edit, "QK12AB34CD", enter=True)
    cashier.wait(lambda: pay.payments_list.count() == 1)
    assert "QK12AB34CD" in pay.payments_list.item(0).text()


def test_a_wrong_phone_number_sends_nothing(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    pay = open_payment(cashier, products)
    from asiria_desktop.domain.money import format_amount

    cashier.type_into(pay.amount_edit, format_amount(whole_due(pay)))
    cashier.type_into(pay.phone_edit, "0812", enter=True)
    dialog = cashier.dialog(MpesaPromptDialog)
    cashier.wait(lambda: "0712 345 678" in dialog.status_label.text())
    assert gateway.started == []


def test_an_amount_above_the_limit_goes_as_several_prompts(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    pay = open_payment(cashier, products, items=3)
    due = whole_due(pay)
    assert due >= 300
    # The cloud's limit is lower than the till's setting: it learns it from the refusal.
    gateway.limit_cents = (due // 3 // 100 + 1) * 100
    gateway.pending_polls = 0
    dialog = prompt(cashier, pay, due)
    cashier.wait(lambda: pay.payments_list.count() == 3, timeout=15_000)
    cashier.wait(lambda: not dialog.isVisible())
    paid = [s for s in gateway.started if s.status == "succeeded"]
    assert len(paid) == 3 and sum(s.amount_cents for s in paid) == due
    assert all(s.amount_cents <= gateway.limit_cents for s in paid)
    assert pay.window().findChild(MpesaPromptDialog) is not None
    pay_rest_in_cash(cashier, pay) if pay._view.balance_due_cents else None
    result = complete(cashier, pay)
    receipts = {ref for m, _, ref in sale_payments(cashier, result.receipt_no) if m == "mpesa"}
    assert receipts == {s.receipt for s in paid}


def test_closing_while_waiting_keeps_the_prompt_for_the_claim_screen(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    gateway.result_code = None
    pay = open_payment(cashier, products)
    dialog = prompt(cashier, pay)
    cashier.wait(lambda: dialog.waiting)
    dialog.reject()  # the cashier gives up waiting
    cashier.wait(lambda: not dialog.isVisible())
    attempt = gateway.started[0].attempt_id
    gateway.pay_later(attempt)  # the customer pays a minute later

    pay.claim_button.click()
    claim = cashier.dialog(MpesaClaimDialog)
    cashier.wait(lambda: claim.prompts_list.count() == 1)
    listed = claim.prompts_list.item(0).text()
    assert "SKP0000001" in listed and "0712 345 678" in listed
    # M-Pesa moves whole shillings: the list reads like the customer's message, no ".00".
    assert f"KES {whole_due(pay) // 100:,}" in listed and ".00" not in listed
    claim.use_button.click()
    cashier.wait(lambda: pay.payments_list.count() == 1)
    pay_rest_in_cash(cashier, pay) if pay._view.balance_due_cents else None
    result = complete(cashier, pay)
    assert any(ref == "SKP0000001" for _, _, ref in sale_payments(cashier, result.receipt_no))

    # Once on a sale, the prompt is no longer offered to the next one.
    assert pay._ops.services.mpesa.claimable() == []


def test_a_till_number_payment_is_claimed_by_phone_and_amount(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    pay = open_payment(cashier, products)
    due = whole_due(pay)
    gateway.till_payments.append(TillNumberPayment("SKT0000009", due, "254712345678", "JANE"))
    pay.claim_button.click()
    claim = cashier.dialog(MpesaClaimDialog)
    cashier.wait(lambda: "No paid prompt" in claim.error_label.text())
    cashier.type_into(claim.phone_edit, "0799 000 000")
    from asiria_desktop.domain.money import format_amount

    cashier.type_into(claim.amount_edit, format_amount(due))
    claim.find_button.click()
    cashier.wait(lambda: "No unclaimed M-Pesa payment" in claim.error_label.text())
    cashier.type_into(claim.phone_edit, "+254 712 345 678")
    claim.find_button.click()
    cashier.wait(lambda: pay.payments_list.count() == 1)
    assert "SKT0000009" in pay.payments_list.item(0).text()


@pytest.mark.parametrize("max_prompt_cents", [100])  # a one-shilling limit: every sale splits
def test_the_tills_own_limit_splits_the_amount_and_says_which_prompt_is_on_the_phone(
    cashier: Any, products: Any, gateway: FakeMpesaGateway, max_prompt_cents: int
) -> None:
    pay = open_payment(cashier, products)
    gateway.result_code = None  # each prompt waits until the test pays it
    dialog = prompt(cashier, pay, 200)  # KES 2 in two prompts of KES 1
    cashier.wait(lambda: dialog.heading.text() == "Prompt 1 of 2: KES 1 to 0712 345 678")
    cashier.wait(lambda: len(gateway.started) == 1)  # the heading shows before M-Pesa has it
    gateway.pay("attempt-1")
    cashier.wait(lambda: dialog.heading.text() == "Prompt 2 of 2: KES 1 to 0712 345 678")
    cashier.wait(lambda: pay.payments_list.count() == 1)  # each confirmed prompt is a payment
    cashier.wait(lambda: len(gateway.started) == 2)
    gateway.pay("attempt-2")
    cashier.wait(lambda: pay.payments_list.count() == 2)
    assert [s.amount_cents for s in gateway.started] == [100, 100]
    assert {s.receipt for s in gateway.started} == {"SKP0000001", "SKP0000002"}


def test_a_claimed_payment_above_what_is_still_due_is_refused(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    gateway.result_code = None
    pay = open_payment(cashier, products)
    due = whole_due(pay)
    dialog = prompt(cashier, pay, due)
    cashier.wait(lambda: dialog.waiting)
    dialog.reject()
    cashier.wait(lambda: not dialog.isVisible())
    gateway.pay_later(gateway.started[0].attempt_id)

    # Meanwhile the customer paid part in cash: the prompt is now more than what is due.
    from PySide6.QtCore import Qt

    from asiria_desktop.domain.money import format_amount

    cashier.press(Qt.Key.Key_F1)
    cashier.type_into(pay.amount_edit, format_amount(100), enter=True)
    cashier.wait(lambda: pay.payments_list.count() == 1)
    pay.claim_button.click()
    claim = cashier.dialog(MpesaClaimDialog)
    cashier.wait(lambda: claim.prompts_list.count() == 1)
    claim.use_button.click()
    assert "more than the" in claim.error_label.text()
    assert "still due" in claim.error_label.text()
    assert claim.isVisible() and pay.payments_list.count() == 1


def test_paid_without_a_receipt_number_asks_for_the_code_never_a_second_prompt(
    cashier: Any, products: Any, gateway: FakeMpesaGateway
) -> None:
    gateway.receipt_missing = True
    pay = open_payment(cashier, products)
    dialog = prompt(cashier, pay)
    cashier.wait(lambda: "ask for the M-Pesa message code" in dialog.status_label.text())
    assert dialog.code_button.isVisible() and not dialog.try_again_button.isVisible()
    assert pay.payments_list.count() == 0 and len(gateway.started) == 1
    dialog.code_button.click()
    cashier.wait(lambda: pay.focusWidget() is pay.reference_edit)
    assert "ask for the M-Pesa message code" in pay.error_label.text()
