"""The contract's example sale, rung up through the domain, gives exactly the example payload."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asiria_desktop.domain.cart import Cart, PaymentMethod
from asiria_desktop.domain.events import EventType, drawer_opened_payload
from asiria_desktop.domain.pricing import Discount, DiscountKind
from asiria_desktop.domain.sale import CashierRef, complete_sale

from .support import BREAD, COKE, NAIROBI, TOMATOES, load_contract, make_id_factory

CASHIER = CashierRef("5b0c4f0e-2d7a-4b8e-9a51-3c1f2e7d8a90", "Wanjiku")
SHIFT_ID = "01936b90-1111-7abc-8def-0123456789ab"
NOW = datetime(2026, 11, 24, 13, 5, 42, tzinfo=NAIROBI)


def _validator(schema: dict[str, Any], definition: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        {"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]},
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def test_example_sale_totals_match_the_contract(example_cart: Cart) -> None:
    priced = example_cart.priced()
    coke, tomatoes, bread = priced.lines
    assert (coke.total_cents, coke.tax_cents) == (16000, 2207)
    assert (tomatoes.total_cents, tomatoes.tax_cents) == (15000, 0)
    assert (bread.total_cents, bread.discount_cents, bread.tax_cents) == (6000, 500, 0)
    assert priced.subtotal_cents == 37500
    assert priced.discount_cents == 500
    assert priced.tax_cents == 2207
    assert priced.total_cents == 37000


def test_example_split_tender_gives_30_change(example_cart: Cart) -> None:
    example_cart.add_payment(PaymentMethod.MPESA, 20000, "SKO3ZQ8H2J")
    assert example_cart.balance_due_cents == 17000
    example_cart.add_payment(PaymentMethod.CASH, 20000)
    assert example_cart.is_paid
    assert example_cart.change_cents == 3000


def test_example_payload_equals_the_contract_example(
    example_cart: Cart, now: datetime, schema: dict[str, Any]
) -> None:
    example_cart.add_payment(PaymentMethod.MPESA, 20000, "sko3zq8h2j")
    example_cart.add_payment(PaymentMethod.CASH, 20000)
    sale = complete_sale(
        example_cart,
        "01936c1e-8a4b-7c2d-9e3f-5a6b7c8d9e01",
        "S01-T02-000017",
        CASHIER,
        SHIFT_ID,
        now,
    )
    payload = sale.to_payload()
    _validator(schema, "SaleCompleted").validate(payload)

    expected = load_contract("push-request.example.json")["events"][0]["payload"]
    # Ids come from the till's id factory; everything a person or the cloud reads must match.
    for ours, theirs in zip(payload["lines"], expected["lines"], strict=True):
        assert {k: v for k, v in ours.items() if k != "id"} == {
            k: v for k, v in theirs.items() if k != "id"
        }
    for ours, theirs in zip(payload["payments"], expected["payments"], strict=True):
        assert (ours["method"], ours["amount_cents"], ours["reference"]) == (
            theirs["method"],
            theirs["amount_cents"],
            theirs["reference"],
        )
    for key in ("receipt_no", "cashier_id", "shift_id", "completed_at", "currency"):
        assert payload[key] == expected[key]
    for key in ("subtotal_cents", "discount_cents", "tax_cents", "total_cents", "change_cents"):
        assert payload[key] == expected[key]
    assert payload["rounding_cents"] == 0


def test_example_push_request_with_our_payloads_validates(
    example_cart: Cart, now: datetime, ids: Callable[[], str], schema: dict[str, Any]
) -> None:
    example_cart.add_payment(PaymentMethod.CASH, 40000)
    sale = complete_sale(example_cart, ids(), "S01-T02-000018", CASHIER, None, now)
    drawer = drawer_opened_payload(ids(), "no_sale", CASHIER.id, now, approved_by=ids())
    events = [
        {
            "id": ids(),
            "type": str(t),
            "seq": n,
            "recorded_at": "2026-11-24T13:05:42+03:00",
            "payload": p,
        }
        for n, (t, p) in enumerate(
            [(EventType.SALE_COMPLETED, sale.to_payload()), (EventType.DRAWER_OPENED, drawer)],
            start=1,
        )
    ]
    _validator(schema, "PushRequest").validate({"events": events})
    assert sale.change_cents == 3000


def test_the_schema_rejects_a_broken_payload(
    example_cart: Cart, now: datetime, schema: dict[str, Any]
) -> None:
    # Guards the guard: an amount sent as display text must not pass validation.
    example_cart.add_payment(PaymentMethod.CASH, 37000)
    payload = complete_sale(
        example_cart, "01936c1e-8a4b-7c2d-9e3f-5a6b7c8d9e01", "S01-T02-000019", CASHIER, None, now
    ).to_payload()
    payload["total_cents"] = "370.00"
    with pytest.raises(jsonschema.ValidationError):
        _validator(schema, "SaleCompleted").validate(payload)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(1, 5), st.integers(1, 3000)),
        min_size=1,
        max_size=8,
    ),
    st.integers(0, 10_000),
    st.booleans(),
)
def test_any_completed_sale_validates_against_the_contract(
    rows: list[tuple[int, int, int]], cart_discount_bp: int, by_mpesa: bool
) -> None:
    schema = load_contract("sync-v1.schema.json")
    cart = Cart(make_id_factory())
    products = [COKE, BREAD, TOMATOES, replace(BREAD, id=BREAD.id[:-1] + "9", price_cents=0)]
    for index, qty, grams in rows:
        product = products[index]
        if product.sold_by_weight:
            cart.add_product(product, qty_milli=grams)
        else:
            cart.add_product(product, qty=qty)
    cart.set_cart_discount(Discount(DiscountKind.PERCENT, cart_discount_bp))
    due = cart.balance_due_cents
    if by_mpesa and due:
        cart.add_payment(PaymentMethod.MPESA, due, "SKO3ZQ8H2J")
    elif due:
        cart.add_payment(PaymentMethod.CASH, due + 1000)
    sale = complete_sale(
        cart, "01936c1e-8a4b-7c2d-9e3f-5a6b7c8d9e01", "S01-T02-000017", CASHIER, None, NOW
    )
    payload = sale.to_payload()
    _validator(schema, "SaleCompleted").validate(payload)
    assert payload["total_cents"] == sum(line["total_cents"] for line in payload["lines"])
    paid = sum(p["amount_cents"] for p in payload["payments"])
    assert paid - payload["change_cents"] == payload["total_cents"]


# What the repository's copy adds to the shared contract (which is read-only here): upper limits
# and "no control characters in a name" only ever narrow what the shared contract allows, and
# new event types only add to it.
LOCAL_TIGHTENINGS = [
    ("SaleLine", "properties", "qty", "maximum"),
    ("SaleLine", "properties", "qty_milli", "maximum"),
    ("SaleLine", "properties", "name", "pattern"),
    ("SaleCompleted", "properties", "customer"),
    # An optional addition: the till's app version and unsent count with each push.
    ("PushRequest", "properties", "client"),
]
LOCAL_EVENT_TYPES = ["audit.recorded", "notice.read"]
LOCAL_DEFINITIONS = ["AuditRecorded", "BasketHint", "Customer", "SaleCustomer"]


def without_local_tightenings(schema: dict[str, Any]) -> dict[str, Any]:
    import copy

    loosened = copy.deepcopy(schema)
    for *path, key in LOCAL_TIGHTENINGS:
        node = loosened["$defs"]
        for part in path:
            node = node[part]
        del node[key]
    # Event types added after v1 was shared (the contract may add, never remove or rename).
    events = loosened["$defs"]["Event"]
    for added in LOCAL_EVENT_TYPES:
        events["properties"]["type"]["enum"].remove(added)
        events["allOf"] = [
            rule for rule in events["allOf"] if rule["if"]["properties"]["type"]["const"] != added
        ]
    for definition in LOCAL_DEFINITIONS:
        del loosened["$defs"][definition]
    return loosened


def test_the_contract_copy_is_the_shared_contract_plus_its_bounds() -> None:
    import json
    from pathlib import Path

    from .support import CONTRACT_DIR

    copy = json.loads((CONTRACT_DIR / "sync-v1.schema.json").read_text(encoding="utf-8"))
    cloud_copy = Path(__file__).resolve().parents[3] / "cloud_api" / "sync" / "contract"
    assert (cloud_copy / "sync-v1.schema.json").read_bytes() == (
        CONTRACT_DIR / "sync-v1.schema.json"
    ).read_bytes()
    # shared/ sits beside the checkout (ARCHITECTURE.md): ../shared/contract from the repo root
    shared = Path(__file__).resolve().parents[3].parent / "shared" / "contract"
    if not shared.exists():
        pytest.skip("the shared contract folder is not on this machine; the copy is used as is")
    original = json.loads((shared / "sync-v1.schema.json").read_text(encoding="utf-8"))
    assert without_local_tightenings(copy) == original
    assert (CONTRACT_DIR / "push-request.example.json").read_bytes() == (
        shared / "examples" / "push-request.json"
    ).read_bytes()
