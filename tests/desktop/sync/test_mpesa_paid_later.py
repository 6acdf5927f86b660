"""A prompt paid after the till stopped waiting is found by the next sync, not only when the
cashier opens the claim screen: each sync that works asks the cloud about the till's prompts
still unresolved, keeps their new state on the till, and tells the sale screen about every paid
one that no sale holds (the sale in progress included)."""

from __future__ import annotations

import threading
from typing import Any

from asiria_desktop.local_db.mpesa_repos import SqlMpesaPromptStore
from asiria_desktop.services.sale.mpesa import MpesaService
from asiria_desktop.services.sale.mpesa_watch import PaidLaterNews, PaidLaterWatch, mpesa_receipts
from tests.desktop.ui.mpesa_fake import FakeMpesaGateway

from .fake_cloud import FakeCloud
from .support import CASHIER_PIN, SODA_300


def watched(till: Any, gateway: FakeMpesaGateway) -> tuple[MpesaService, PaidLaterWatch]:
    """The till's M-Pesa service on a scripted cloud, watched after each sync as the till
    wires it (``bootstrap.build_till``)."""
    mpesa = MpesaService(till.context, gateway, SqlMpesaPromptStore(till.database.engine))
    sale = till.services.sale
    watch = PaidLaterWatch(mpesa, lambda: mpesa_receipts(sale.view()))
    till.sync_engine.follow_ups.add(watch.check)
    return mpesa, watch


def test_the_next_sync_finds_a_prompt_paid_after_the_wait_and_keeps_its_state(
    enrolled: Any,
) -> None:
    till = enrolled
    till.services.auth.login(CASHIER_PIN)
    gateway = FakeMpesaGateway(result_code=None)  # nobody answers while the till waits
    mpesa, watch = watched(till, gateway)
    heard: list[PaidLaterNews] = []
    watch.on_news(heard.append)
    sent = mpesa.send_prompt("0712 345 678", 125_000)
    unpaid = mpesa.send_prompt("0722 000 111", 5_000)

    assert till.services.sync.sync_now().ok
    assert watch.news.prompts == () and heard == []  # both still pending on the cloud

    gateway.pay_later(sent.attempt_id)  # the customer typed the PIN after the dialog closed
    gateway.result_code = None  # the other one still has not answered
    assert till.services.sync.sync_now().ok

    [news] = heard
    [prompt] = news.prompts
    assert (prompt.attempt_id, prompt.receipt, prompt.amount_cents) == (
        sent.attempt_id,
        "SKP0000001",
        125_000,
    )
    assert news.text == ("M-Pesa payment received: KES 1,250 from 0712 345 678, not on any sale.")
    kept = SqlMpesaPromptStore(till.database.engine).get(sent.attempt_id)
    assert kept is not None and kept.state.paid and kept.state.receipt == "SKP0000001"
    still = SqlMpesaPromptStore(till.database.engine).get(unpaid.attempt_id)
    assert still is not None and still.state.status == "pending"

    assert till.services.sync.sync_now().ok
    assert len(heard) == 1  # the same news is not told twice


def test_a_payment_on_the_sale_in_progress_or_a_saved_sale_is_no_news(enrolled: Any) -> None:
    till = enrolled
    till.services.auth.login(CASHIER_PIN)
    gateway = FakeMpesaGateway(result_code=None)
    mpesa, watch = watched(till, gateway)
    heard: list[PaidLaterNews] = []
    watch.on_news(heard.append)
    first = mpesa.send_prompt("0712 345 678", 30_000)
    second = mpesa.send_prompt("0733 444 555", 40_000)
    gateway.pay_later(first.attempt_id)
    gateway.pay_later(second.attempt_id)
    assert till.services.sync.sync_now().ok
    assert [p.receipt for p in watch.news.prompts] == ["SKP0000002", "SKP0000001"]
    assert watch.news.text == "2 M-Pesa payments received (KES 700 in all), not on any sale."

    sale = till.services.sale
    sale.scan(SODA_300)
    sale.add_payment("mpesa", sale.view().balance_due_cents, reference="SKP0000001")
    assert [p.receipt for p in watch.recount().prompts] == ["SKP0000002"]  # on this sale
    sale.complete()
    assert [p.receipt for p in watch.recount().prompts] == ["SKP0000002"]  # on a saved sale
    assert [p.receipt for p in heard[-1].prompts] == ["SKP0000002"]


def test_a_failed_sync_asks_nothing_and_a_failing_follow_up_does_not_fail_the_sync(
    enrolled: Any, cloud: FakeCloud
) -> None:
    till = enrolled
    till.services.auth.login(CASHIER_PIN)
    gateway = FakeMpesaGateway(result_code=None)
    mpesa, watch = watched(till, gateway)
    sent = mpesa.send_prompt("0712 345 678", 30_000)
    gateway.pay_later(sent.attempt_id)
    gateway.callers.clear()

    cloud.fail("status", status=503, times=10)
    assert not till.services.sync.sync_now().ok
    assert gateway.callers == set() and watch.news.prompts == ()

    cloud.state.failures.clear()

    def broken() -> None:
        raise RuntimeError("a follow-up with a bug")

    till.sync_engine.follow_ups.add(broken)
    assert till.services.sync.sync_now().ok  # the check ran, the broken follow-up was logged
    assert [p.receipt for p in watch.news.prompts] == ["SKP0000001"]
    assert gateway.callers == {threading.current_thread().name}  # on the sync's own thread
