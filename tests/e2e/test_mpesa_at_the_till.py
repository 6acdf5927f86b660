"""M-Pesa at a real till window (pytest-qt) against a real cloud (gunicorn on MariaDB, a real
Celery worker on Redis) and the FAKE Daraja on 127.0.0.1, driven by the production clients:

- "Send prompt to phone" from the payment dialog: the fake Daraja calls the cloud back, the
  cloud confirms through the STK query, the till's poll sees the receipt number, and the sale
  completes with it (and, once synced, the cloud links and verifies that payment);
- codes typed at the till (the offline path) are checked by the cloud after sync: one paid to
  the store's number (a C2B confirmation) becomes ``verified``, one M-Pesa never saw
  ``unverified`` (through Daraja's Transaction Status query and its result callback).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtCore import Qt

from cloud_api.integrations.fake_daraja import FakeDaraja
from cloud_api.integrations.fake_daraja_records import SANDBOX_PASSKEY, SANDBOX_SHORTCODE

from . import cloud
from .celery_worker import CeleryWorker
from .conftest import CASHIER_PIN, E2ECloud, Product, wait_for

pytestmark = pytest.mark.e2e

CALLBACK_SECRET = "e2e-mpesa-callback-" + "s" * 24
CUSTOMER = "254712345678"


@dataclass
class MpesaCloud:
    fake: FakeDaraja
    url: str


@pytest.fixture
def mpesa_cloud(e2e: E2ECloud, tmp_path: Path) -> Iterator[MpesaCloud]:
    """The fake Daraja, and a gunicorn + Celery worker of the e2e cloud configured for it."""
    fake = FakeDaraja(deliver_callbacks=True, callback_delay=1.0).start()
    server = cloud.Gunicorn(env={}, log_path=tmp_path / "gunicorn-mpesa.log", workers=2)
    env = cloud.cloud_env(eager=False) | {
        "ASIRIA_MPESA_BASE_URL": fake.url,
        "ASIRIA_MPESA_CONSUMER_KEY": fake.consumer_key,
        "ASIRIA_MPESA_CONSUMER_SECRET": fake.consumer_secret,
        "ASIRIA_MPESA_CALLBACK_SECRET": CALLBACK_SECRET,
        "ASIRIA_MPESA_CALLBACK_BASE_URL": server.url,
        "ASIRIA_MPESA_INITIATOR_NAME": "testapi",
        "ASIRIA_MPESA_SECURITY_CREDENTIAL": "e2e-fake-credential",
        "ASIRIA_MPESA_QUERY_AFTER_SECONDS": "2",
        "ASIRIA_MPESA_RETRY_BACKOFF": "0.1",
        "ASIRIA_MPESA_MAX_KES": "300",  # a small per-prompt limit, so a sale of 500 is split
    }
    server.env = env
    cloud.manage(
        "mpesa_configure_store",
        "--org",
        "E2E Shops",
        "--store",
        "Main",
        "--kind",
        "paybill",
        "--shortcode",
        SANDBOX_SHORTCODE,
        env=env | {"ASIRIA_MPESA_PASSKEY": SANDBOX_PASSKEY},
    )
    server.start()
    worker = CeleryWorker(env=env, log_path=tmp_path / "celery-mpesa.log").start()
    try:
        yield MpesaCloud(fake, server.url)
    finally:
        worker.stop()
        server.stop()
        fake.stop()


@pytest.fixture
def till_window(
    qtbot: Any, e2e: E2ECloud, mpesa_cloud: MpesaCloud, tmp_path: Path
) -> Iterator[Any]:
    """A till built in this process, enrolled with the M-Pesa cloud, its window open."""
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import MpesaSettings, TillConfig
    from asiria_desktop.ui.app import MainWindow
    from tests.desktop.ui.conftest import Cashier

    config = TillConfig(
        data_dir=tmp_path / "till", mpesa=MpesaSettings(wait_seconds=60, poll_seconds=0.5)
    )
    till = build_till(config)
    code = e2e.owner.enrollment_code(e2e.store_id, "M-Pesa till")
    till.services.sync.enroll(mpesa_cloud.url, code, "M-Pesa till")
    till.close()
    till = build_till(config)  # with the store and till codes enrolment gave it
    report = till.services.sync.sync_now()
    assert report.ok, report.message
    main = MainWindow(till.services)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow, timeout=10_000)
    cashier = Cashier(qtbot, main, till)
    cashier.log_in(CASHIER_PIN)
    try:
        yield cashier
    finally:
        qtbot.waitUntil(lambda: main.runner.idle, timeout=10_000)
        main.close()
        till.close()


def sell_one(cashier: Any, product: Product) -> Any:
    from asiria_desktop.ui.payment.payment_dialog import PaymentDialog

    cashier.focus_cart()
    cashier.scan(product.barcode)
    cashier.wait_lines(1)
    cashier.press(Qt.Key.Key_F12)
    pay = cashier.dialog(PaymentDialog)
    cashier.press(Qt.Key.Key_F3)
    return pay


def prompt_250(cashier: Any, pay: Any) -> Any:
    """Send a prompt of KES 250 to the customer's phone; the prompt dialog, once waiting."""
    from asiria_desktop.ui.payment.mpesa_prompt_dialog import MpesaPromptDialog

    cashier.type_into(pay.amount_edit, "250.00")
    cashier.type_into(pay.phone_edit, "0712 345 678", enter=True)
    prompt = cashier.dialog(MpesaPromptDialog)
    cashier.wait(lambda: "Waiting for the customer" in prompt.countdown.text(), timeout=30_000)
    return prompt


def finish(cashier: Any, pay: Any) -> Any:
    cashier.wait(pay.complete_button.isEnabled, timeout=60_000)
    cashier.press(Qt.Key.Key_F12)
    cashier.wait(lambda: pay.result_of_sale is not None)
    result = pay.result_of_sale
    cashier.press(Qt.Key.Key_Return)  # next sale
    cashier.wait_lines(0)
    return result


def synced(cashier: Any) -> None:
    report = cashier.till.services.sync.sync_now()
    assert report.ok and report.rejected == 0, report.message
    overview = cashier.till.services.sync.overview()
    assert overview.pending == 0 and not overview.rejected


def verification_of(reference: str) -> str | None:
    rows = cloud.query("SELECT verification FROM payments_payment WHERE reference = %s", reference)
    return rows[0][0] if rows else None


def ean13_of(prefix12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(prefix12))
    return prefix12 + str((10 - total % 10) % 10)


def product_for(
    e2e: E2ECloud, cashier: Any, label: str, number: int, price_cents: int = 25_000
) -> Product:
    body = e2e.owner.post(
        "products/",
        {
            "name": f"{label} item",
            "barcode": ean13_of(f"6009{number:08d}"),
            "price_cents": price_cents,
            "tax_class": "exempt",
        },
    )
    assert cashier.till.services.sync.sync_now().ok  # the till pulls it
    return Product(body["id"], body["barcode"], body["price_cents"], 0)


def test_a_prompt_from_the_payment_dialog_completes_the_sale_with_its_receipt(
    e2e: E2ECloud, mpesa_cloud: MpesaCloud, till_window: Any
) -> None:
    cashier = till_window
    product = product_for(e2e, cashier, "stk prompt", 41_001)
    pay = sell_one(cashier, product)
    # The till waits (countdown) until the cloud has the callback confirmed by the STK query.
    prompt_250(cashier, pay)
    cashier.wait(lambda: pay.payments_list.count() == 1, timeout=60_000)
    [push] = mpesa_cloud.fake.state.pushes.values()
    receipt = push.receipt
    assert receipt and receipt in pay.payments_list.item(0).text()
    assert push.body["PhoneNumber"] == CUSTOMER and int(push.body["Amount"]) == 250

    result = finish(cashier, pay)
    assert result.receipt_no
    # On the cloud the prompt's receipt is this sale's payment, checked against the attempt.
    synced(cashier)
    wait_for(lambda: verification_of(receipt) == "verified", 60, "STK payment not verified")
    linked = cloud.query(
        "SELECT a.status, p.reference FROM payments_mpesastkattempt a "
        "JOIN payments_payment p ON p.id = a.payment_id WHERE a.mpesa_receipt = %s",
        receipt,
    )
    assert linked == [("succeeded", receipt)]


def test_above_the_clouds_limit_the_till_sends_several_prompts(
    e2e: E2ECloud, mpesa_cloud: MpesaCloud, till_window: Any
) -> None:
    from asiria_desktop.ui.payment.mpesa_prompt_dialog import MpesaPromptDialog

    cashier = till_window
    product = product_for(e2e, cashier, "stk split", 41_005, price_cents=50_000)
    pay = sell_one(cashier, product)
    cashier.type_into(pay.amount_edit, "500.00")
    cashier.type_into(pay.phone_edit, "0712345678", enter=True)
    cashier.dialog(MpesaPromptDialog)
    # The cloud refuses 500 (limit 300): the till learns the limit and sends 250 + 250.
    cashier.wait(lambda: pay.payments_list.count() == 2, timeout=90_000)
    pushes = list(mpesa_cloud.fake.state.pushes.values())
    assert sorted(int(p.body["Amount"]) for p in pushes) == [250, 250]
    receipts = {p.receipt for p in pushes}
    assert len(receipts) == 2 and all(receipts)
    finish(cashier, pay)
    synced(cashier)
    for receipt in receipts:
        wait_for(lambda r=receipt: verification_of(r) == "verified", 60, f"{receipt} unverified")


def test_a_cancelled_prompt_says_so_and_keeps_the_sale(
    e2e: E2ECloud, mpesa_cloud: MpesaCloud, till_window: Any
) -> None:
    from asiria_desktop.ui.payment.mpesa_prompt_dialog import MpesaPromptDialog

    cashier = till_window
    mpesa_cloud.fake.script(CUSTOMER, "cancelled")
    product = product_for(e2e, cashier, "stk cancel", 41_002)
    pay = sell_one(cashier, product)
    cashier.type_into(pay.amount_edit, "250.00")
    cashier.type_into(pay.phone_edit, "+254712345678", enter=True)
    prompt = cashier.dialog(MpesaPromptDialog)
    cashier.wait(lambda: "cancelled" in prompt.status_label.text(), timeout=60_000)
    assert prompt.try_again_button.isVisible() and prompt.other_button.isVisible()
    assert pay.payments_list.count() == 0 and cashier.cart_lines()


def test_daraja_refusing_every_request_is_said_plainly_and_try_again_then_pays(
    e2e: E2ECloud, mpesa_cloud: MpesaCloud, till_window: Any
) -> None:
    from asiria_desktop.ui.payment.mpesa_prompt_dialog import MpesaPromptDialog

    cashier = till_window
    mpesa_cloud.fake.throttle_next(1_000)  # Daraja's spike arrest refuses every request (429)
    product = product_for(e2e, cashier, "stk busy", 41_006)
    pay = sell_one(cashier, product)
    cashier.type_into(pay.amount_edit, "250.00")
    cashier.type_into(pay.phone_edit, "0712 345 678", enter=True)
    prompt = cashier.dialog(MpesaPromptDialog)
    cashier.wait(lambda: "M-Pesa did not answer" in prompt.status_label.text(), timeout=60_000)
    assert "No prompt was sent" in prompt.status_label.text()
    assert prompt.try_again_button.isVisible() and prompt.other_button.isVisible()
    assert not mpesa_cloud.fake.state.pushes and pay.payments_list.count() == 0

    mpesa_cloud.fake.throttle_next(0)  # Daraja answers again
    prompt.try_again_button.click()
    cashier.wait(lambda: pay.payments_list.count() == 1, timeout=60_000)
    [push] = mpesa_cloud.fake.state.pushes.values()
    assert push.receipt and push.receipt in pay.payments_list.item(0).text()
    assert finish(cashier, pay).receipt_no


def test_typed_codes_are_verified_after_sync_or_not(
    e2e: E2ECloud, mpesa_cloud: MpesaCloud, till_window: Any
) -> None:
    cashier = till_window
    fake = mpesa_cloud.fake
    # The customer paid the pay bill from their phone; Daraja confirms it to the cloud.
    confirmation = fake.c2b_payment(shortcode=SANDBOX_SHORTCODE, amount=250, phone=CUSTOMER)
    answer = requests.post(
        f"{mpesa_cloud.url}/api/v1/payments/mpesa/c2b/confirmation/{CALLBACK_SECRET}/",
        json=confirmation,
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    paid_code = confirmation["TransID"]
    unknown_code = "SZZ0NOTPAI"  # no such payment

    for number, code in ((41_003, paid_code), (41_004, unknown_code)):
        product = product_for(e2e, cashier, f"typed code {number}", number)
        pay = sell_one(cashier, product)
        cashier.type_into(pay.amount_edit, "250.00")
        cashier.type_into(pay.reference_edit, code, enter=True)
        cashier.wait(lambda: pay.payments_list.count() == 1)
        finish(cashier, pay)
    synced(cashier)

    wait_for(lambda: verification_of(paid_code) == "verified", 60, "paid code not verified")
    wait_for(
        lambda: verification_of(unknown_code) == "unverified", 60, "unknown code not unverified"
    )
    assert fake.hits("/mpesa/transactionstatus/v1/query") >= 1  # M-Pesa was asked about it


def test_a_prompt_paid_after_the_dialog_closed_is_found_by_the_next_sync(
    e2e: E2ECloud, mpesa_cloud: MpesaCloud, till_window: Any
) -> None:
    from asiria_desktop.ui.payment.mpesa_claim_dialog import MpesaClaimDialog
    from asiria_desktop.ui.payment.payment_dialog import PaymentDialog

    cashier = till_window
    fake = mpesa_cloud.fake
    fake.deliver_callbacks = False  # the customer does not answer while the till waits
    product = product_for(e2e, cashier, "paid later", 41_007)
    pay = sell_one(cashier, product)
    prompt = prompt_250(cashier, pay)
    prompt.reject()  # the cashier stops waiting, and goes back to the sale
    pay.reject()
    cashier.wait(lambda: not pay.isVisible())
    strip, watch = cashier.sale.paid_later, cashier.till.services.mpesa_watch
    assert cashier.till.services.sync.sync_now().ok
    assert watch.news.prompts == () and not strip.isVisible()  # still pending on the cloud

    # A minute later the customer enters the PIN: Daraja calls the cloud back.
    [push] = fake.state.pushes.values()
    callback = fake.answer(push.checkout_request_id)
    answer = requests.post(str(push.body["CallBackURL"]), json=callback, timeout=30)
    assert answer.status_code == 200, answer.text

    def next_sync_finds_it() -> bool:
        assert cashier.till.services.sync.sync_now().ok
        return bool(watch.news.prompts)

    wait_for(next_sync_finds_it, 60, "no sync found the prompt paid after the dialog closed")
    cashier.wait(strip.isVisible)
    assert "M-Pesa payment received: KES 250 from 0712 345 678, not on any sale." in strip.text

    strip.claim_button.click()  # the claim list of the sale in progress
    pay = cashier.dialog(PaymentDialog)
    claim = cashier.dialog(MpesaClaimDialog)
    cashier.wait(lambda: claim.prompts_list.count() == 1, timeout=30_000)
    assert push.receipt and push.receipt in claim.prompts_list.item(0).text()
    claim.use_button.click()
    cashier.wait(lambda: pay.payments_list.count() == 1)
    assert finish(cashier, pay).receipt_no
    cashier.wait(lambda: not strip.isVisible())
    synced(cashier)
    wait_for(lambda: verification_of(push.receipt) == "verified", 60, "claimed prompt unverified")
