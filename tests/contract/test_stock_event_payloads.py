"""The till's ``goods.received`` and ``stock.adjusted`` events are what the cloud accepts:
checked with the cloud's own schemas (``cloud_api/sync/contract/``: the envelope and ids of
sync-v1, the payloads of events-v1), through jsonschema-rs as the cloud's push does. Payloads
come from the domain builders for any quantities, and from a real till's outbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.stock import (
    ADJUSTMENT_REASON_LABELS,
    MAX_STOCK_MILLI,
    SUPPLIER_MAX,
    AdjustmentReason,
    StockItem,
    StockQuantity,
    adjust_stock,
    receive_goods,
)

CONTRACT = Path(__file__).resolve().parents[2] / "cloud_api" / "sync" / "contract"
NAIROBI = timezone(timedelta(hours=3))
AT = datetime(2026, 11, 24, 9, 15, tzinfo=NAIROBI)
CASHIER = "5b0c4f0e-2d7a-4b8e-9a51-3c1f2e7d8a90"
MANAGER = "7d9e1a2b-3c4d-4e5f-8a6b-9c0d1e2f3a4b"
PRODUCTS = [
    StockItem(
        f"8f14e45f-ceea-4672-a5b1-1b2c3d4e5f{n:02d}", f"Product {n}", sold_by_weight=n % 3 == 0
    )
    for n in range(8)
]


@cache
def validator(definition: str) -> Any:
    definitions: dict[str, Any] = {}
    for name in ("sync-v1.schema.json", "events-v1.schema.json"):
        definitions.update(json.loads((CONTRACT / name).read_text(encoding="utf-8"))["$defs"])
    schema = {"$defs": definitions, "$ref": f"#/$defs/{definition}"}
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def assert_valid(definition: str, instance: Any) -> None:
    errors = [
        f"{list(e.instance_path)}: {e.message}" for e in validator(definition).iter_errors(instance)
    ]
    assert not errors, errors


def quantity(item: StockItem, amount: int) -> StockQuantity:
    if item.sold_by_weight:
        return StockQuantity(item, qty_milli=amount)
    return StockQuantity(item, qty=amount)


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=140)


@given(
    st.lists(
        st.tuples(st.sampled_from(PRODUCTS), st.integers(1, MAX_STOCK_MILLI // 1000 // 40)),
        min_size=1,
        max_size=40,
    ),
    texts,
    texts,
)
def test_any_delivery_fits_the_contract(
    lines: list[tuple[StockItem, int]], supplier: str, reference: str
) -> None:
    try:
        receipt = receive_goods(
            "01936c50-0000-7000-8000-0000000000e1",
            CASHIER,
            AT,
            [quantity(item, amount) for item, amount in lines],
            supplier=supplier,
            reference=reference,
        )
    except DomainError as exc:  # only the length limits may refuse it, in plain words
        assert "too long" in str(exc)
        assert (
            len(" ".join(supplier.split())) > SUPPLIER_MAX or len(" ".join(reference.split())) > 64
        )
        return
    assert_valid("GoodsReceived", receipt.to_payload())


@given(
    st.lists(
        st.tuples(
            st.sampled_from(PRODUCTS),
            st.integers(-MAX_STOCK_MILLI // 1000 // 40, MAX_STOCK_MILLI // 1000 // 40).filter(bool),
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(list(AdjustmentReason)),
    st.text(max_size=300),
    st.none() | st.just(MANAGER),
)
def test_any_adjustment_fits_the_contract(
    changes: list[tuple[StockItem, int]],
    reason: AdjustmentReason,
    note: str,
    approved_by: str | None,
) -> None:
    try:
        adjustment = adjust_stock(
            "01936c51-0000-7000-8000-0000000000f1",
            CASHIER,
            AT,
            reason,
            [quantity(item, amount) for item, amount in changes],
            note=note,
            approved_by=approved_by,
        )
    except DomainError as exc:  # nothing left, no note for Other, or a note too long: said so
        assert any(
            words in str(exc) for words in ("add up to nothing", "Say what happened", "too long")
        ), exc
        return
    payload = adjustment.to_payload()
    assert_valid("StockAdjusted", payload)
    assert payload["reason"].startswith(ADJUSTMENT_REASON_LABELS[reason])


@pytest.fixture
def till(tmp_path: Path) -> Iterator[Any]:
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from asiria_desktop.demo import seed_demo

    built = build_till(TillConfig(data_dir=tmp_path / "till"))
    seed_demo(built)
    yield built
    built.close()


def test_a_real_tills_stock_events_fit_the_contract(till: Any) -> None:
    from asiria_desktop.services.results import StockEntry

    services = till.services
    services.auth.login("9999")  # the demo manager: the adjustment needs no second PIN
    coke = services.stock.find("5449000000996").product_id
    tomatoes = services.stock.find("2100101090004").product_id
    services.stock.receive(
        [StockEntry(coke, "24"), StockEntry(tomatoes, "5.500")], "Bidco", "DN-4471"
    )
    services.stock.adjust([StockEntry(coke, "-2")], "damaged", "dropped")
    services.stock.receive([StockEntry(coke, "1")])  # no supplier, no delivery note

    with till.context.uow(read_only=True) as uow:
        events = [entry.envelope() for entry in uow.outbox.pending()]
    assert [e["type"] for e in events] == ["goods.received", "stock.adjusted", "goods.received"]
    for event in events:
        assert_valid("Event", event)
        assert_valid(
            "GoodsReceived" if event["type"] == "goods.received" else "StockAdjusted",
            event["payload"],
        )
    assert events[2]["payload"]["supplier"] is None and events[2]["payload"]["reference"] is None
