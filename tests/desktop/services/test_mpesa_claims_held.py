"""The claim list never offers an M-Pesa payment that a sale held at this till already has: a
parked sale, or the sale a crash cut off (kept on disk, waiting to be restored). Once such a
sale lets the payment go, the payment is claimable again."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from asiria_desktop.local_db.mpesa_repos import SqlMpesaPromptStore
from asiria_desktop.ports.records import ParkedCartRecord
from asiria_desktop.services.sale.mpesa import MpesaService
from tests.desktop.ui.mpesa_fake import FakeMpesaGateway

from .support import CASHIER_PIN, SODA_300

RECEIPT = "SKP0000001"


def paid_later(till: Any) -> MpesaService:
    """A prompt of KES 60 that the customer paid after the till stopped waiting."""
    gateway = FakeMpesaGateway(result_code=None)
    mpesa = MpesaService(till.context, gateway, SqlMpesaPromptStore(till.database.engine))
    sent = mpesa.send_prompt("0712 345 678", 6_000)
    gateway.pay_later(sent.attempt_id)
    assert [p.receipt for p in mpesa.claimable()] == [RECEIPT]
    return mpesa


def kept_cart(till: Any) -> dict[str, Any]:
    """The sale in progress as the till keeps it on disk."""
    db = sqlite3.connect(till.config.database_path)
    try:
        ((state,),) = db.execute("SELECT state FROM open_cart").fetchall()
    finally:
        db.close()
    cart: dict[str, Any] = json.loads(state)["cart"]
    return cart


def test_a_payment_on_a_parked_sale_is_not_offered_until_the_sale_lets_it_go(
    make_till: Any,
) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    mpesa = paid_later(till)
    sale = till.services.sale
    sale.scan(SODA_300)
    view = sale.add_payment("mpesa", 6_000, reference=RECEIPT)
    # The sale, with the payment, put aside as a held sale is stored.
    held = kept_cart(till)
    context = till.context
    with context.uow() as uow:
        uow.parked.add(ParkedCartRecord(context.ids(), "Akinyi", None, context.clock.now(), held))
        uow.commit()
    sale.remove_payment(view.payments[0].id)
    sale.cancel()
    assert mpesa.claimable() == []

    [parked] = sale.parked()
    sale.recall(parked.id)
    assert mpesa.claimable(in_cart=[RECEIPT]) == []  # now on the sale in progress
    sale.remove_payment(sale.view().payments[0].id)  # the payment is given back
    assert [p.receipt for p in mpesa.claimable(in_cart=[])] == [RECEIPT]


def test_a_payment_on_the_sale_a_crash_cut_off_is_not_offered(make_till: Any) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    paid_later(till)
    sale = till.services.sale
    sale.scan(SODA_300)
    sale.add_payment("mpesa", 6_000, reference=RECEIPT)
    till.close()  # the till dies with the payment on the sale

    again = make_till(seed=False)
    again.services.auth.login(CASHIER_PIN)
    store = SqlMpesaPromptStore(again.database.engine)
    mpesa = MpesaService(again.context, FakeMpesaGateway(result_code=None), store)
    assert again.services.sale.leftover_sale() is not None
    assert mpesa.claimable() == []
