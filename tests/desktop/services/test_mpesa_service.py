"""M-Pesa at the till below the screens: every prompt is kept before the till waits on it, the
claim list (paid, on no sale, not in this cart), the per-prompt limit learned from the cloud,
and what kind of problem each cloud answer is."""

from __future__ import annotations

from typing import Any

import pytest

from asiria_desktop.local_db.mpesa_repos import SqlMpesaPromptStore
from asiria_desktop.ports.cloud import NotEnrolled
from asiria_desktop.services.sale.mpesa import OFFLINE, MpesaProblem, MpesaService
from tests.desktop.ui.mpesa_fake import FakeMpesaGateway

from .support import SODA_300


@pytest.fixture
def gateway() -> FakeMpesaGateway:
    return FakeMpesaGateway(result_code=None)  # nobody answers until a test says so


def service(till: Any, gateway: FakeMpesaGateway | None, limit: int = 250_000_00) -> MpesaService:
    return MpesaService(
        till.context,
        gateway,
        SqlMpesaPromptStore(till.database.engine),
        max_prompt_cents=limit,
    )


def test_a_prompt_paid_after_the_till_stopped_waiting_is_claimable_once(
    till: Any, gateway: FakeMpesaGateway
) -> None:
    mpesa = service(till, gateway)
    first = mpesa.send_prompt("0712 345 678", 6_000)
    second = mpesa.send_prompt("0722 000 111", 12_000)
    assert mpesa.claimable() == []  # both still pending: nothing is paid yet

    gateway.pay_later(first.attempt_id)
    gateway.result_code = None  # the second customer still has not answered
    [paid] = mpesa.claimable()  # the pending prompts were asked about again
    assert (paid.attempt_id, paid.receipt, paid.amount_cents) == (
        first.attempt_id,
        "SKP0000001",
        6_000,
    )
    assert paid.phone == "254712345678"
    assert mpesa.claimable(in_cart=["SKP0000001"]) == []  # already on the sale being paid
    assert mpesa.check(second.attempt_id).status == "pending"

    # Once the receipt is a payment of a saved sale, no other sale can claim it.
    sale = till.services.sale
    sale.scan(SODA_300)
    sale.add_payment("mpesa", 6_000, reference="SKP0000001")
    sale.complete()
    assert mpesa.claimable() == []


def test_offline_the_claim_list_is_the_tills_own(till: Any, gateway: FakeMpesaGateway) -> None:
    mpesa = service(till, gateway)
    sent = mpesa.send_prompt("0712 345 678", 6_000)
    gateway.pay_later(sent.attempt_id)
    mpesa.check(sent.attempt_id)  # the till saw it paid once
    gateway.offline = True
    assert [p.receipt for p in mpesa.claimable()] == ["SKP0000001"]


def test_the_clouds_lower_limit_is_learned_and_used_for_the_next_split(
    till: Any, gateway: FakeMpesaGateway
) -> None:
    mpesa = service(till, gateway)
    assert mpesa.plan(90_000) == [90_000]
    gateway.limit_cents = 30_000
    with pytest.raises(MpesaProblem) as refused:
        mpesa.send_prompt("0712 345 678", 90_000)
    assert refused.value.kind == "over_limit" and refused.value.limit_cents == 30_000
    assert mpesa.plan(90_000) == [30_000, 30_000, 30_000]
    assert gateway.started == []


@pytest.mark.parametrize(
    ("setup", "kind", "words"),
    [
        ("no_gateway", "offline", OFFLINE),
        ("offline", "offline", OFFLINE),
        ("not_enrolled", "offline", OFFLINE),
        ("daraja_down", "unavailable", "M-Pesa did not answer"),
    ],
)
def test_each_cloud_problem_says_what_to_do_next(
    till: Any, gateway: FakeMpesaGateway, setup: str, kind: str, words: str
) -> None:
    if setup == "not_enrolled":

        def refuse(*_args: object) -> Any:
            raise NotEnrolled()

        gateway.start_prompt = refuse  # type: ignore[method-assign]
    elif setup != "no_gateway":
        setattr(gateway, setup, True)
    mpesa = service(till, None if setup == "no_gateway" else gateway)
    with pytest.raises(MpesaProblem) as problem:
        mpesa.send_prompt("0712 345 678", 6_000)
    assert problem.value.kind == kind and words in problem.value.message
    assert mpesa.claimable() == []  # nothing was sent, so nothing is kept


def test_a_wrong_number_or_nothing_to_pay_sends_nothing(
    till: Any, gateway: FakeMpesaGateway
) -> None:
    mpesa = service(till, gateway)
    with pytest.raises(Exception, match="0712 345 678"):
        mpesa.send_prompt("0812 34", 6_000)
    with pytest.raises(MpesaProblem, match="nothing to pay"):
        mpesa.send_prompt("0712 345 678", 0)
    assert gateway.started == []
