"""The sale screen tells the cashier about an M-Pesa prompt paid after the till stopped waiting,
as soon as a sync finds it: a strip in plain words (amount in whole shillings, the customer's
number) that never blocks selling, whose Claim button opens the claim list of the sale in
progress, and that goes away once the payment is on a sale."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from asiria_desktop.domain.money import format_amount
from asiria_desktop.local_db.mpesa_repos import SqlMpesaPromptStore
from asiria_desktop.services.sale.mpesa import MpesaService
from asiria_desktop.services.sale.mpesa_watch import PaidLaterWatch, mpesa_receipts
from asiria_desktop.ui.payment.mpesa_claim_dialog import MpesaClaimDialog
from asiria_desktop.ui.payment.payment_dialog import PaymentDialog
from tests.desktop.ui.conftest import shown_window
from tests.desktop.ui.mpesa_fake import FakeMpesaGateway
from tests.desktop.ui.test_mpesa_prompt import complete, open_payment, prompt


@pytest.fixture
def gateway() -> FakeMpesaGateway:
    return FakeMpesaGateway(result_code=None)  # the customer does not answer in time


@pytest.fixture
def mpesa(till: Any, gateway: FakeMpesaGateway) -> MpesaService:
    store = SqlMpesaPromptStore(till.database.engine)
    return MpesaService(till.context, gateway, store, wait_seconds=3, poll_seconds=0.2)


@pytest.fixture
def watch(till: Any, mpesa: MpesaService) -> PaidLaterWatch:
    sale = till.services.sale
    return PaidLaterWatch(mpesa, lambda: mpesa_receipts(sale.view()))


@pytest.fixture
def window(qtbot: Any, till: Any, mpesa: MpesaService, watch: PaidLaterWatch) -> Iterator[Any]:
    services = dataclasses.replace(till.services, mpesa=mpesa, mpesa_watch=watch)
    yield from shown_window(qtbot, services)


def sync_finds(watch: PaidLaterWatch) -> None:
    """What a sync does after it worked, on the sync's own thread (not the screen's)."""
    worker = threading.Thread(target=watch.check, name="sync")
    worker.start()
    worker.join()


def test_a_prompt_paid_after_the_dialog_closed_shows_and_is_claimed_from_the_strip(
    cashier: Any, products: Any, gateway: FakeMpesaGateway, watch: PaidLaterWatch
) -> None:
    pay = open_payment(cashier, products)
    dialog = prompt(cashier, pay)
    cashier.wait(lambda: dialog.waiting)
    due = pay._view.balance_due_cents // 100 * 100
    dialog.reject()  # the cashier gives up waiting
    pay.reject()  # and goes back to the sale
    cashier.wait(lambda: not pay.isVisible())
    strip = cashier.sale.paid_later
    assert not strip.isVisible()

    gateway.pay_later(gateway.started[0].attempt_id)  # the customer pays a minute later
    sync_finds(watch)
    cashier.wait(strip.isVisible)
    assert strip.text.startswith(
        f"M-Pesa payment received: KES {due // 100:,} from 0712 345 678, not on any sale."
    )
    assert ".00" not in strip.text and "Claim" in strip.text

    # Selling goes on under the strip: the next scan lands in the cart.
    cashier.focus_cart()
    cashier.scan(products["by_count"][1].barcode)
    cashier.wait_lines(2)

    strip.claim_button.click()
    pay = cashier.dialog(PaymentDialog)
    claim = cashier.dialog(MpesaClaimDialog)
    cashier.wait(lambda: claim.prompts_list.count() == 1)
    assert "SKP0000001" in claim.prompts_list.item(0).text()
    claim.use_button.click()
    cashier.wait(lambda: pay.payments_list.count() == 1)
    cashier.press(Qt.Key.Key_F1)
    cashier.type_into(pay.amount_edit, format_amount(pay._view.balance_due_cents), enter=True)
    complete(cashier, pay)
    cashier.press(Qt.Key.Key_Return)  # next sale: the payment dialog closes
    cashier.wait(lambda: not strip.isVisible())
    assert watch.news.prompts == ()


def test_claiming_from_the_strip_with_an_empty_cart_says_what_to_do_first(
    cashier: Any, gateway: FakeMpesaGateway, mpesa: MpesaService, watch: PaidLaterWatch
) -> None:
    cashier.log_in("1111")
    mpesa.send_prompt("0712 345 678", 50_000)
    gateway.pay_later(gateway.started[0].attempt_id)
    sync_finds(watch)
    strip = cashier.sale.paid_later
    cashier.wait(strip.isVisible)
    assert "KES 500 from 0712 345 678" in strip.text

    strip.claim_button.click()
    cashier.wait(lambda: "Scan the items this M-Pesa payment is for" in cashier.sale.banner.text)
    assert strip.isVisible()


def test_the_claim_screen_does_not_offer_a_payment_a_parked_sale_holds(
    cashier: Any, products: Any, till: Any, gateway: FakeMpesaGateway, mpesa: MpesaService
) -> None:
    from asiria_desktop.ports.records import ParkedCartRecord
    from tests.desktop.services.test_mpesa_claims_held import kept_cart

    till.services.auth.login("1111")  # the earlier sale, below the screens
    mpesa.send_prompt("0712 345 678", 6_000)
    gateway.pay_later(gateway.started[0].attempt_id)
    sale, context = till.services.sale, till.context
    sale.add_product(products["by_count"][0].id)
    view = sale.add_payment("mpesa", 6_000, reference="SKP0000001")
    with context.uow() as uow:  # that sale, with the payment, held aside
        held = kept_cart(till)
        uow.parked.add(ParkedCartRecord(context.ids(), "Akinyi", None, context.clock.now(), held))
        uow.commit()
    sale.remove_payment(view.payments[0].id)
    sale.cancel()

    pay = open_payment(cashier, products)  # the next customer's sale
    pay.claim_button.click()
    claim = cashier.dialog(MpesaClaimDialog)
    cashier.wait(lambda: "No paid prompt is waiting" in claim.error_label.text())
    assert claim.prompts_list.count() == 0
