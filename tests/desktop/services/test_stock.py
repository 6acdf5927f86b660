"""Receiving goods and adjusting stock: the local stock level, the outbox event written in the
same transaction as the movements, who must approve, and that a refused save changes nothing.
The use cases run on in-memory storage; the all-or-nothing save runs on a real SQLite till."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiria_desktop.domain.errors import ApprovalRequired, DomainError, PermissionDenied
from asiria_desktop.local_db.event_repos import SqlOutboxRepository
from asiria_desktop.local_db.sync_repos import SqlSyncStore
from asiria_desktop.ports.sync_store import CatalogChange, StockLevelRecord
from asiria_desktop.services.context import StorageError
from asiria_desktop.services.results import StockEntry, StockLevelView
from asiria_desktop.services.stock.stock_draft import StockDraft

from .support import (
    CASHIER_PIN,
    COKE,
    MANAGER_PIN,
    SODA_300,
    TOMATO_LABEL,
    audit,
    outbox,
    ring_up_and_pay_cash,
    rows,
    user_id,
)


@pytest.fixture
def till(fake_till: Any) -> Any:
    fake_till.services.auth.login(CASHIER_PIN)
    return fake_till


def movements(till: Any) -> list[tuple[str, int, str, str | None]]:
    return [(m.product_id, m.delta_milli, m.reason, m.ref_id) for m in till.storage.state.stock]


@pytest.fixture
def pushes(till: Any) -> list[int]:
    """Each time a service asks the sync engine to push (after a commit)."""
    asked: list[int] = []
    till.context.outbox_listener = lambda: asked.append(1)
    return asked


def product_id(till: Any, code: str) -> str:
    return str(till.services.stock.find(code).product_id)


def head_office_says(till: Any, levels: dict[str, int]) -> None:
    """A pull of head office's stock figures (the sync engine's own store does this)."""
    if hasattr(till, "storage"):
        till.storage.state.head_office_stock.update(levels)
        return
    store = SqlSyncStore(till.database.engine)
    store.apply_page(
        [
            CatalogChange("stock_level", pid, StockLevelRecord(pid, milli))
            for pid, milli in levels.items()
        ],
        str(int(store.cursor()) + 1),
    )


def on_hand(till: Any, code: str) -> int:
    return int(till.services.stock.find(code).on_hand_milli)


def manager_approval(till: Any, action: str) -> Any:
    return till.services.auth.approve(MANAGER_PIN, action)


# ----- receiving goods ----------------------------------------------------------------------


def test_a_cashier_receives_a_delivery_and_the_stock_goes_up(till: Any, pushes: list[int]) -> None:
    coke, tomatoes = product_id(till, COKE), product_id(till, TOMATO_LABEL)
    head_office_says(till, {coke: 10_000})
    stock = till.services.stock
    result = stock.receive(
        [StockEntry(coke, "24"), StockEntry(tomatoes, "5.5"), StockEntry(coke, "6")],
        supplier="Bidco",
        reference="DN-4471",
    )
    assert result.message == (
        "Received 2 products from Bidco (delivery note DN-4471): Coca-Cola 500ml now 40, "
        "Tomatoes (kg) now 5.500 kg."
    )
    assert stock.find(COKE).on_hand_text == "40" and stock.find(COKE).known
    assert stock.find(TOMATO_LABEL).on_hand_milli == 5_500
    assert not stock.find(TOMATO_LABEL).known  # no figure from head office: only this till's

    (event,) = [e for e in outbox(till) if e["type"] == "goods.received"]
    assert event["payload"]["id"] == result.record_id
    assert event["payload"]["cashier_id"] == user_id(till, "Amina")
    assert event["payload"]["lines"] == [
        {"product_id": coke, "qty_milli": 30_000},
        {"product_id": tomatoes, "qty_milli": 5_500},
    ]
    assert movements(till) == [
        (coke, 30_000, "receipt", result.record_id),
        (tomatoes, 5_500, "receipt", result.record_id),
    ]
    assert ("goods_received", user_id(till, "Amina"), None) in [a[:3] for a in audit(till)]
    assert pushes == [1]  # head office hears of it soon, like a sale


def test_the_movements_and_the_event_are_one_transaction(
    make_till: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk refuses the outbox row: the stock movements are not kept either."""
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    pushes: list[int] = []
    till.context.outbox_listener = lambda: pushes.append(1)
    coke = product_id(till, COKE)

    def disk_full(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("database or disk is full")

    monkeypatch.setattr(SqlOutboxRepository, "append", disk_full)
    with pytest.raises(StorageError, match="The delivery was not saved"):
        till.services.stock.receive([StockEntry(coke, "24")], supplier="Bidco")
    assert rows(till, "SELECT COUNT(*) FROM stock_movements") == [(0,)]
    assert rows(till, "SELECT COUNT(*) FROM outbox") == [(0,)]
    assert on_hand(till, COKE) == 0
    assert pushes == []


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("2.5", "not a number of pieces for Coca-Cola 500ml"),
        ("0", "more than zero for Coca-Cola 500ml"),
        ("-3", "can't be negative"),
        ("", "Enter the quantity of Coca-Cola 500ml"),
    ],
)
def test_a_delivery_with_a_bad_line_saves_nothing(till: Any, quantity: str, message: str) -> None:
    coke, soda = product_id(till, COKE), product_id(till, SODA_300)
    with pytest.raises(DomainError, match=message):
        till.services.stock.receive([StockEntry(soda, "12"), StockEntry(coke, quantity)])
    assert movements(till) == []
    assert outbox(till) == []


def test_an_empty_delivery_and_an_unknown_product_are_refused(till: Any) -> None:
    with pytest.raises(DomainError, match="Scan or search the products that arrived first"):
        till.services.stock.receive([], supplier="Bidco")
    with pytest.raises(DomainError, match="no longer in the catalog"):
        till.services.stock.receive([StockEntry("0193aaaa-0000-7000-8000-000000000000", "1")])
    with pytest.raises(DomainError, match="not found"):
        till.services.stock.find("5901234123457")


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.sampled_from([COKE, SODA_300, TOMATO_LABEL]), st.integers(1, 500)),
        min_size=1,
        max_size=6,
    )
)
def test_any_delivery_raises_each_level_by_what_arrived(
    till: Any, lines: list[tuple[str, int]]
) -> None:
    stock = till.services.stock
    before = {code: on_hand(till, code) for code, _ in lines}
    entries, expected = [], dict(before)
    for code, amount in lines:
        weighed = stock.find(code).sold_by_weight
        entries.append(
            StockEntry(product_id(till, code), f"{amount / 1000:.3f}" if weighed else str(amount))
        )
        expected[code] += amount if weighed else amount * 1000
    stock.receive(entries)
    assert {code: on_hand(till, code) for code in before} == expected


# ----- adjustments --------------------------------------------------------------------------


def test_a_cashiers_adjustment_needs_a_manager(till: Any, pushes: list[int]) -> None:
    coke = product_id(till, COKE)
    head_office_says(till, {coke: 24_000})
    stock = till.services.stock
    entries = [StockEntry(coke, "-2")]
    with pytest.raises(ApprovalRequired) as asked:
        stock.adjust(entries, "damaged", "two bottles dropped")
    assert asked.value.message == (
        "A manager must approve changing the stock figures. Enter a manager PIN."
    )
    assert outbox(till) == [] and on_hand(till, COKE) == 24_000

    with pytest.raises(PermissionDenied, match="Amina can't approve"):
        till.services.auth.approve(CASHIER_PIN, asked.value.action)
    refund_approval = manager_approval(till, "refund")  # given for something else: no use
    with pytest.raises(ApprovalRequired):
        stock.adjust(entries, "damaged", "two bottles dropped", approval=refund_approval)

    result = stock.adjust(
        entries,
        "damaged",
        "two bottles dropped",
        approval=manager_approval(till, asked.value.action),
    )
    assert result.message == (
        "Stock adjusted (Damaged: two bottles dropped): Coca-Cola 500ml -2, now 22."
    )
    assert on_hand(till, COKE) == 22_000
    (event,) = outbox(till)
    assert event["type"] == "stock.adjusted"
    assert event["payload"]["approved_by"] == user_id(till, "Wanjiru")
    assert event["payload"]["cashier_id"] == user_id(till, "Amina")
    assert event["payload"]["reason"] == "Damaged: two bottles dropped"
    assert event["payload"]["lines"] == [{"product_id": coke, "delta_milli": -2_000}]
    assert [m[1:] for m in movements(till)] == [(-2_000, "adjustment", result.record_id)]
    assert ("stock_adjustment", user_id(till, "Amina"), user_id(till, "Wanjiru")) in [
        a[:3] for a in audit(till)
    ]
    assert pushes == [1]


def test_an_increase_needs_a_manager_too(till: Any) -> None:
    with pytest.raises(ApprovalRequired):
        till.services.stock.adjust([StockEntry(product_id(till, COKE), "+3")], "count_correction")


def test_a_manager_adjusts_alone(till: Any) -> None:
    till.services.auth.login(MANAGER_PIN)
    result = till.services.stock.adjust(
        [StockEntry(product_id(till, TOMATO_LABEL), "-0.750")], "expired"
    )
    assert result.message == "Stock adjusted (Expired): Tomatoes (kg) -0.750 kg, now -0.750 kg."
    (event,) = outbox(till)
    assert event["payload"]["approved_by"] == user_id(till, "Wanjiru")


def test_a_typo_is_shown_before_a_manager_is_called(till: Any) -> None:
    coke = product_id(till, COKE)
    with pytest.raises(DomainError, match="not a number of pieces"):
        till.services.stock.adjust([StockEntry(coke, "-2.5")], "damaged")
    with pytest.raises(DomainError, match="Say what happened in the note"):
        till.services.stock.adjust([StockEntry(coke, "-2")], "other")
    with pytest.raises(DomainError, match="A change of zero"):
        till.services.stock.adjust([StockEntry(coke, "0")], "damaged")


def test_a_count_becomes_the_difference_with_the_sales_not_yet_sent(till: Any) -> None:
    coke, soda = product_id(till, COKE), product_id(till, SODA_300)
    head_office_says(till, {coke: 24_000, soda: 12_000})
    ring_up_and_pay_cash(till, COKE, COKE)  # sold offline: head office doesn't know yet
    assert on_hand(till, COKE) == 22_000

    till.services.auth.login(MANAGER_PIN)
    result = till.services.stock.adjust(
        [StockEntry(coke, "15"), StockEntry(soda, "12"), StockEntry(coke, "5")],  # two shelves
        "count_correction",
        counted=True,
    )
    assert on_hand(till, COKE) == 20_000 and on_hand(till, SODA_300) == 12_000
    event = outbox(till)[-1]
    assert event["payload"]["lines"] == [{"product_id": coke, "delta_milli": -2_000}]
    assert result.message == "Stock adjusted (Count correction): Coca-Cola 500ml -2, now 20."

    with pytest.raises(DomainError, match="The counts match the stock on record"):
        till.services.stock.adjust([StockEntry(soda, "12")], "count_correction", counted=True)


def test_a_count_needs_head_offices_figure(till: Any) -> None:
    till.services.auth.login(MANAGER_PIN)
    with pytest.raises(DomainError, match="no stock figure for Coca-Cola 500ml yet"):
        till.services.stock.adjust(
            [StockEntry(product_id(till, COKE), "3")], "count_correction", counted=True
        )


def test_sent_movements_are_in_head_offices_figure_and_not_counted_twice(till: Any) -> None:
    coke = product_id(till, COKE)
    head_office_says(till, {coke: 10_000})
    till.services.stock.receive([StockEntry(coke, "24")])
    ring_up_and_pay_cash(till, COKE)
    assert on_hand(till, COKE) == 10_000 + 24_000 - 1_000
    # The sync pushes both events, then pulls head office's new figure, which has them.
    with till.context.uow() as uow:
        uow.outbox.mark_sent([e["id"] for e in outbox(till)], till.context.clock.now())
        uow.commit()
    head_office_says(till, {coke: 33_000})
    assert on_hand(till, COKE) == 33_000
    # A rejected event never reached head office: the till keeps counting it.
    till.services.stock.receive([StockEntry(coke, "6")])
    with till.context.uow() as uow:
        uow.outbox.mark_rejected(outbox(till)[-1]["id"], "unknown product")
        uow.commit()
    assert on_hand(till, COKE) == 39_000


def test_the_reasons_the_screen_offers(till: Any) -> None:
    assert [(r.code, r.label, r.needs_note) for r in till.services.stock.reasons()] == [
        ("count_correction", "Count correction", False),
        ("damaged", "Damaged", False),
        ("expired", "Expired", False),
        ("theft_loss", "Theft or loss", False),
        ("own_use", "Own use", False),
        ("other", "Other", True),
    ]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from([COKE, SODA_300, TOMATO_LABEL]), min_size=1, max_size=20))
def test_the_screens_list_counts_each_scan_of_a_piece_item(codes: list[str]) -> None:
    views = {
        code: StockLevelView(code, code, code, code == TOMATO_LABEL, 0, "0", True, "pieces")
        for code in (COKE, SODA_300, TOMATO_LABEL)
    }
    draft = StockDraft()
    for code in codes:
        draft.add(views[code])
    assert [e.product_id for e in draft.entries()] == list(dict.fromkeys(codes))
    for entry in draft.entries():  # a weighed item waits for its weight
        expected = "" if entry.product_id == TOMATO_LABEL else str(codes.count(entry.product_id))
        assert entry.quantity == expected
    typed = StockDraft(count_scans=False)  # an adjustment: the change is typed, with its sign
    typed.add(views[COKE])
    typed.set_quantity(0, "-2")
    typed.add(views[COKE])
    assert [(e.product_id, e.quantity) for e in typed.entries()] == [(COKE, "-2")]
