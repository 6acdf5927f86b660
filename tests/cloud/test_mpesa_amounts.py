"""Phone numbers and amounts as M-Pesa takes them (pure functions: property tests)."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloud_api.payments.mpesa.amounts import normalise_phone, phone_matches, split_plan

subscriber = st.sampled_from("17").flatmap(
    lambda first: st.text("0123456789", min_size=8, max_size=8).map(lambda rest: first + rest)
)


@settings(deadline=None)  # a loaded machine is not a failure
@given(subscriber, st.sampled_from(["0{}", "+254{}", "254{}", "{}", "+254 {}", "0{}-"]))
def test_every_written_form_becomes_the_same_msisdn(number, form):
    written = form.format(f"{number[:3]} {number[3:6]} {number[6:]}")

    assert normalise_phone(written.rstrip("-")) == "254" + number


@pytest.mark.parametrize(
    "raw", ["", "0812345678", "071234567", "07123456789", "+255712345678", "phone", "2547123"]
)
def test_what_is_not_a_kenyan_mobile_number_is_refused_in_plain_words(raw):
    with pytest.raises(ValueError, match="Kenyan mobile number"):
        normalise_phone(raw)


@settings(deadline=None)  # a loaded machine is not a failure
@given(subscriber)
def test_a_phone_matches_its_masked_and_hashed_forms_and_not_anothers(number):
    phone = "254" + number
    other = "254" + ("7" if number[0] == "1" else "1") + number[1:]

    assert phone_matches(f"{phone[:5]}****{phone[-3:]}", phone)
    assert phone_matches(hashlib.sha256(phone.encode()).hexdigest(), phone)
    assert phone_matches("0" + number, phone)
    assert not phone_matches(f"{other[:5]}****{other[-3:]}", phone)
    assert not phone_matches(hashlib.sha256(other.encode()).hexdigest(), phone)


@settings(deadline=None)  # a loaded machine is not a failure
@given(
    st.integers(min_value=1, max_value=2_000_000).map(lambda shillings: shillings * 100),
    st.integers(min_value=1_000, max_value=300_000).map(lambda shillings: shillings * 100),
)
def test_a_split_is_the_fewest_even_whole_shilling_prompts_within_the_limit(amount, limit):
    plan = split_plan(amount, limit)

    assert sum(plan) == amount
    assert all(part % 100 == 0 and 100 <= part <= limit for part in plan)
    assert len(plan) == -(-amount // limit)
    assert max(plan) - min(plan) <= 100


def test_cents_cannot_be_sent_to_m_pesa():
    with pytest.raises(ValueError, match="whole shillings"):
        split_plan(12_550, 25_000_000)
