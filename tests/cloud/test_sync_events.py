"""Every till event type is checked against the contract and applied with its rows."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from uuid6 import uuid7

from .conftest import terminal_client
from .sync_support import CONTRACT, contract_json, envelope, push, statuses

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events.md"


def documented_examples() -> dict:
    sections = re.split(r"^## `([a-z.]+)`\n", DOCS.read_text(encoding="utf-8"), flags=re.M)
    examples = {}
    for name, body in zip(sections[1::2], sections[2::2], strict=True):
        blocks = re.findall(r"```json\n(.*?)```", body, flags=re.S)
        if blocks:
            examples[name] = json.loads(blocks[0])
    return examples


def test_the_cloud_checks_with_the_same_contract_as_the_tests():
    from cloud_api.sync.validation import CONTRACT as SHIPPED

    shipped = json.loads((SHIPPED / "sync-v1.schema.json").read_text(encoding="utf-8"))
    assert shipped == json.loads((CONTRACT / "sync-v1.schema.json").read_text(encoding="utf-8"))


def test_every_contract_example_and_documented_payload_is_accepted():
    from cloud_api.sync.validation import event_problem

    examples = documented_examples()
    assert set(examples) == {
        "sale.voided",
        "refund.created",
        "shift.opened",
        "shift.closed",
        "cash.moved",
        "drawer.opened",
        "stock.adjusted",
        "goods.received",
        "audit.recorded",
        "notice.read",
    }
    for event in contract_json("push-request.example.json")["events"]:
        assert event_problem(event) is None
        with_rounding = {**event, "payload": {**event["payload"], "rounding_cents": -20}}
        assert event_problem(with_rounding) is None
    for kind, payload in examples.items():
        assert event_problem(envelope(kind, payload, 1)) is None, kind


def test_till_built_payloads_are_accepted():
    """Payloads from the till's own builders (asiria_desktop.domain), with real ids."""
    from datetime import UTC, datetime

    from asiria_desktop.domain.events import drawer_opened_payload, shift_opened_payload
    from cloud_api.sync.validation import event_problem

    at = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    built = {
        "shift.opened": shift_opened_payload(str(uuid7()), str(uuid7()), 500000, at, "T01"),
        "drawer.opened": drawer_opened_payload(str(uuid7()), "no_sale", str(uuid7()), at, None),
    }
    for kind, payload in built.items():
        assert event_problem(envelope(kind, payload, 1)) is None, (kind, payload)


def test_a_refund_number_is_optional_and_checked():
    from cloud_api.sync.validation import event_problem

    payload = documented_examples()["refund.created"]
    assert payload["refund_no"] == "S01-T02-R000004"
    older_till = {key: value for key, value in payload.items() if key != "refund_no"}
    assert event_problem(envelope("refund.created", older_till, 1)) is None
    too_long = {**payload, "refund_no": "S01-T02-R" + "0" * 40}
    assert "refund_no" in (event_problem(envelope("refund.created", too_long, 1)) or "")


@pytest.fixture
def till(org_a):
    return terminal_client(org_a)


def _void(sale, user):
    return {
        "id": str(uuid7()),
        "sale_id": sale["id"],
        "receipt_no": sale["receipt_no"],
        "shift_id": None,
        "cashier_id": str(user.uuid),
        "approved_by": None,
        "reason": "customer changed mind",
        "voided_at": "2026-11-24T13:10:00+03:00",
        "total_cents": sale["total_cents"],
    }


def _refund(sale, user, line_index=0, qty=1):
    line = sale["lines"][line_index]
    per_unit = line["total_cents"] // line["qty"]
    tax = (2 * per_unit * 1600 + 11600) // (2 * 11600)
    return {
        "id": str(uuid7()),
        "sale_id": sale["id"],
        "receipt_no": sale["receipt_no"],
        "shift_id": None,
        "cashier_id": str(user.uuid),
        "approved_by": None,
        "created_at": "2026-11-24T15:00:00+03:00",
        "method": "cash",
        "reason": "damaged",
        "lines": [
            {
                "id": str(uuid7()),
                "sale_line_id": line["id"],
                "product_id": line["product_id"],
                "name": line["name"],
                "qty": qty,
                "qty_milli": None,
                "total_cents": per_unit * qty,
                "tax_cents": tax * qty,
            }
        ],
        "total_cents": per_unit * qty,
        "tax_cents": tax * qty,
    }


def test_every_event_type_is_applied_with_its_rows(org_a, till, client_as):
    from cloud_api.inventory.models import StockLevel, StockMovement
    from cloud_api.payments.models import Payment
    from cloud_api.sales.models import Refund, Sale
    from cloud_api.sync.models import TillActivity

    examples = documented_examples()
    cashier, manager = org_a.users["cashier"], org_a.users["manager"]
    coke = org_a.products[0]
    kept = org_a.make_sale(items=[(coke, 2, None)])
    voided = org_a.make_sale(items=[(coke, 1, None)])
    shift_id = str(uuid7())
    # The documented examples name the contract's people; the cloud only takes its own.
    people = {"cashier_id": str(cashier.uuid), "approved_by": str(manager.uuid)}
    shift_opened = {**examples["shift.opened"], "id": shift_id, "cashier_id": str(cashier.uuid)}
    shift_closed = {**examples["shift.closed"], "id": shift_id, "cashier_id": str(cashier.uuid)}
    events = [
        envelope("shift.opened", shift_opened, 1),
        envelope("sale.completed", kept, 2),
        envelope("sale.completed", voided, 3),
        envelope("sale.voided", _void(voided, manager), 4),
        envelope("refund.created", _refund(kept, manager), 5),
        envelope("cash.moved", {**examples["cash.moved"], "shift_id": shift_id, **people}, 6),
        envelope("drawer.opened", {**examples["drawer.opened"], "shift_id": shift_id, **people}, 7),
        envelope(
            "stock.adjusted",
            {
                "id": str(uuid7()),
                "cashier_id": str(manager.uuid),
                "approved_by": None,
                "adjusted_at": "2026-11-24T16:00:00+03:00",
                "reason": "recount",
                "lines": [{"product_id": str(coke.uuid), "delta_milli": 10000}],
            },
            8,
        ),
        envelope(
            "goods.received",
            {
                "id": str(uuid7()),
                "cashier_id": str(manager.uuid),
                "received_at": "2026-11-24T16:30:00+03:00",
                "supplier": "Bidco",
                "reference": "INV-1",
                "lines": [{"product_id": str(coke.uuid), "qty_milli": 24000}],
            },
            9,
        ),
        envelope("shift.closed", shift_closed, 10),
    ]

    response = push(till, events)

    assert statuses(response) == ["applied"] * 10, response.json()
    assert Sale.objects.get(uuid=voided["id"]).status == "voided"
    assert set(
        Payment.objects.filter(sale__uuid=voided["id"]).values_list("status", flat=True)
    ) == {"reversed"}
    refund = Refund.objects.get(uuid=events[4]["payload"]["id"])
    assert refund.amount_cents == 8000 and refund.business_date.isoformat() == "2026-11-24"
    moved = dict(
        StockMovement.objects.filter(product=coke)
        .order_by("id")
        .values_list("reason", "delta_milli")
    )
    assert moved == {
        "sale": -1000,  # the last sale movement (dict keeps the last of each reason)
        "sale_void": 1000,
        "refund": 1000,
        "adjustment": 10000,
        "purchase_receipt": 24000,
    }
    level = StockLevel.objects.get(store=org_a.stores[0], product=coke)
    assert level.on_hand_milli == -2000 - 1000 + 1000 + 1000 + 10000 + 24000
    kinds = sorted(TillActivity.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            "shift.opened",
            "sale.voided",
            "refund.created",
            "cash.moved",
            "drawer.opened",
            "stock.adjusted",
            "goods.received",
            "shift.closed",
        ]
    )
    listed = client_as("manager").get("/api/v1/till-activity/", {"shift_id": shift_id}).json()
    assert {row["kind"] for row in listed["results"]} == {
        "shift.opened",
        "shift.closed",
        "cash.moved",
        "drawer.opened",
    }
    closed = client_as("owner").get("/api/v1/till-activity/", {"kind": "shift.closed"}).json()
    assert closed["results"][0]["amount_cents"] == examples["shift.closed"]["counted_cash_cents"]


def test_a_void_of_an_unknown_sale_is_rejected_and_the_rest_goes_on(org_a, till):
    ghost = org_a.make_sale()
    events = [
        envelope("sale.voided", _void(ghost, org_a.users["manager"]), 1),
        envelope("sale.completed", org_a.make_sale(), 2),
    ]

    response = push(till, events)

    assert statuses(response) == ["rejected", "applied"]
    assert "Unknown sale" in response.json()["results"][0]["error"]


def test_a_shift_opened_twice_under_new_event_ids_is_rejected(org_a, till):
    shift = {
        **documented_examples()["shift.opened"],
        "cashier_id": str(org_a.users["cashier"].uuid),
    }
    assert statuses(push(till, [envelope("shift.opened", shift, 1)])) == ["applied"]

    again = push(till, [envelope("shift.opened", shift, 2)])

    assert statuses(again) == ["rejected"]
    assert "already received" in again.json()["results"][0]["error"]


RECEIPTS = itertools.count(1)


def _batches():
    kinds = st.sampled_from(["valid", "invalid", "repeat", "tampered"])
    return st.lists(kinds, min_size=1, max_size=12)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=_batches())
def test_any_batch_gets_one_answer_per_event_and_every_event_is_accounted_for(org_a, plan):
    from cloud_api.sync.models import SyncEvent

    till = terminal_client(org_a)
    events, expected = [], []
    applied_before = SyncEvent.objects.count()
    for seq, kind in enumerate(plan, start=1):
        if kind in ("repeat", "tampered") and events:
            event = json.loads(json.dumps(events[-1]))
            if kind == "tampered":
                event["payload"]["receipt_no"] = f"S01-T09-{next(RECEIPTS):06d}"
            events.append(event)
            first = expected[len(events) - 2]
            same = kind == "repeat"
            expected.append("duplicate" if same and first != "rejected" else "rejected")
            continue
        receipt = f"S01-T01-{next(RECEIPTS):06d}"
        event = envelope("sale.completed", org_a.make_sale(receipt_no=receipt), seq)
        if kind == "invalid":
            event["payload"]["change_cents"] += 1
        events.append(event)
        expected.append("applied" if kind != "invalid" else "rejected")

    response = push(till, events)
    answered = statuses(response)

    assert len(answered) == len(events)
    assert [r["id"] for r in response.json()["results"]] == [e["id"] for e in events]
    assert answered == expected
    assert SyncEvent.objects.count() - applied_before == answered.count("applied")
    assert statuses(push(till, events)) == [
        "duplicate" if status != "rejected" else "rejected" for status in answered
    ]
