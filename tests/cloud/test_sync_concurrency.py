"""Two tills pushing at the same moment: no lost stock update, no lost or doubled sale."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from .conftest import make_org, terminal_client
from .sync_support import envelope, push, statuses


@pytest.mark.django_db(transaction=True)
def test_two_tills_pushing_at_once_never_lose_a_stock_update():
    from cloud_api.accounts.services import terminal_create, terminal_enroll
    from cloud_api.inventory.models import StockLevel
    from cloud_api.inventory.services import stock_movement_record
    from cloud_api.sales.models import Sale

    org = make_org("Busy Tills")
    store, (coke, tomatoes) = org.stores[0], org.products[:2]
    for product in (coke, tomatoes):
        stock_movement_record(
            store=store, product=product, delta_milli=500_000, reason="adjustment"
        )
    _, code = terminal_create(store=store, name="Till 2", created_by=org.users["owner"])
    _, client_id, secret = terminal_enroll(code=code, name="Till 2")
    second = type("Till", (), {"client_id": client_id, "client_secret": secret})()
    clients = [terminal_client(org), terminal_client(second)]
    # Opposite line orders, so a naive read-then-write would deadlock or lose updates.
    batches = [
        [
            envelope(
                "sale.completed",
                org.make_sale(
                    items=[(coke, 1, None), (tomatoes, None, 500)]
                    if till == 0
                    else [(tomatoes, None, 500), (coke, 1, None)],
                    receipt_no=f"S01-T0{till + 1}-{seq:06d}",
                ),
                seq,
            )
            for seq in range(1, 41)
        ]
        for till in range(2)
    ]
    answers: list[list[str]] = [[], []]
    start = threading.Barrier(2)

    def run(index: int) -> None:
        try:
            start.wait(10)
            for first in range(0, 40, 10):
                answers[index] += statuses(push(clients[index], batches[index][first : first + 10]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert answers == [["applied"] * 40, ["applied"] * 40]
    assert Sale.objects.filter(store=store).count() == 80
    levels = dict(StockLevel.objects.filter(store=store).values_list("product_id", "on_hand_milli"))
    assert levels[coke.pk] == 500_000 - 80 * 1000
    assert levels[tomatoes.pk] == 500_000 - 80 * 500
