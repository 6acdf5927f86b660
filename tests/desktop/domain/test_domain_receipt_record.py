"""A printed document survives storage unchanged, whatever it holds."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.money import Currency
from asiria_desktop.domain.receipt import (
    ReceiptDocument,
    ReceiptItem,
    ReceiptPayment,
    ReceiptTaxRow,
    as_copy,
)
from asiria_desktop.domain.receipt_record import document_from_record, document_to_record

text = st.text(max_size=60)
cents = st.integers(min_value=-(10**12), max_value=10**12)
aware = st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=3))]))

documents = st.builds(
    ReceiptDocument,
    title=text,
    header_lines=st.tuples(text, text),
    receipt_no=text,
    printed_for=aware,
    cashier_name=text,
    items=st.lists(
        st.builds(ReceiptItem, text, st.none() | text, cents, cents, text, text), max_size=4
    ).map(tuple),
    subtotal_cents=cents,
    discount_cents=cents,
    total_cents=cents,
    tax_rows=st.lists(st.builds(ReceiptTaxRow, text, cents, cents, text), max_size=3).map(tuple),
    payments=st.lists(st.builds(ReceiptPayment, text, cents), max_size=3).map(tuple),
    change_cents=cents,
    footer_lines=st.lists(text, max_size=3).map(tuple),
    currency=st.builds(Currency, st.sampled_from(["KES", "UGX", "USD"]), st.integers(0, 4)),
    rounding_cents=cents,
    note=text,
    number_label=st.sampled_from(["Receipt", "Refund"]),
    approved_by=text,
)


@given(documents)
def test_a_stored_document_comes_back_equal(doc: ReceiptDocument) -> None:
    assert document_from_record(document_to_record(doc)) == doc


@given(documents)
def test_a_copy_differs_only_by_its_mark_and_is_marked_once(doc: ReceiptDocument) -> None:
    copy = as_copy(doc)
    assert copy.title.endswith(" - COPY")
    assert as_copy(copy) == copy
    assert {**document_to_record(copy), "title": doc.title} == document_to_record(doc)
