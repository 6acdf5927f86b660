"""The customer's M-Pesa number, prompt amounts split under the per-transaction limit, and the
words a finished prompt is told in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.mpesa import (
    PromptState,
    display_phone,
    limit_from_message,
    normalise_phone,
    outcome_words,
    shillings_text,
    split_prompts,
)

nine_digits = st.from_regex(r"[17][0-9]{8}", fullmatch=True)


@given(nine_digits)
def test_every_way_of_writing_a_kenyan_number_is_the_same_number(rest: str) -> None:
    expected = "254" + rest
    spaced = f"0{rest[:3]} {rest[3:6]} {rest[6:]}"
    for written in (f"0{rest}", f"254{rest}", f"+254{rest}", spaced, f"+254-{rest}"):
        assert normalise_phone(written) == expected
    assert normalise_phone(display_phone(expected)) == expected


@pytest.mark.parametrize("bad", ["", "0812345678", "071234567", "07123456789", "2557123456789",
                                 "+1 712 345 678", "07l2345678", "712345678"])  # fmt: skip
def test_anything_else_is_refused_with_an_example(bad: str) -> None:
    with pytest.raises(DomainError, match="0712 345 678"):
        normalise_phone(bad)


@given(st.integers(1, 300_000), st.integers(1, 40), st.data())
def test_prompts_add_up_are_within_the_limit_and_are_as_few_as_possible(
    limit_kes: int, prompts: int, data: st.DataObject
) -> None:
    shillings = data.draw(st.integers((prompts - 1) * limit_kes + 1, prompts * limit_kes))
    parts = split_prompts(shillings * 100, limit_kes * 100)
    assert sum(parts) == shillings * 100
    assert all(0 < part <= limit_kes * 100 and part % 100 == 0 for part in parts)
    assert len(parts) == -(-shillings // limit_kes)
    assert max(parts) - min(parts) <= 100  # as even as whole shillings allow


def test_cents_cannot_go_by_prompt() -> None:
    with pytest.raises(DomainError, match="whole shillings"):
        split_prompts(12_350, 250_000_00)
    assert split_prompts(0, 100) == []


def test_the_limit_is_read_from_the_clouds_refusal() -> None:
    message = "M-Pesa takes at most KES 250,000 per prompt; send 2 prompts (KES 150,000, ...)."
    assert limit_from_message(message) == 250_000_00
    assert limit_from_message("Enter a Kenyan mobile number") is None


@pytest.mark.parametrize(
    ("status", "code", "words"),
    [
        ("succeeded", 0, "Paid. M-Pesa receipt SKP1234567."),
        ("cancelled", 1032, "cancelled the M-Pesa prompt"),
        ("failed", 1, "balance is too low"),
        ("failed", 2001, "wrong M-Pesa PIN"),
        ("timeout", 1037, "could not be reached"),
        ("timeout", None, "did not answer the M-Pesa prompt in time"),
        ("failed", 9999, "M-Pesa did not take the payment (Something odd)"),
    ],
)
def test_each_outcome_has_its_own_plain_words(status: str, code: int | None, words: str) -> None:
    state = PromptState(
        "a1",
        status,
        100_00,
        "254712345678",
        result_code=code,
        result_desc="Something odd.",
        receipt="SKP1234567" if code == 0 else None,
    )
    assert words in outcome_words(state)


def test_prompt_amounts_read_like_the_customers_m_pesa_message() -> None:
    assert shillings_text(180_000) == "KES 1,800"
    assert shillings_text(25_000_000) == "KES 250,000"
    assert shillings_text(12_345) == "KES 123.45"  # never hide cents that are there
