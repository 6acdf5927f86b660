"""The till's own HTTP client (asiria_desktop.sync.client) against these endpoints, over a
real socket: enrol, token, gzip push, pull pages, the catalog mapping, and a revoke."""

from __future__ import annotations

import pytest
from uuid6 import uuid7

from .conftest import make_org
from .sync_support import envelope


@pytest.mark.django_db(transaction=True)
def test_the_till_client_enrols_pushes_and_pulls(live_server):
    from asiria_desktop.domain.barcodes import VariableMeasureLayout
    from asiria_desktop.ports.cloud import TerminalRevoked
    from asiria_desktop.sync.client import HttpCloudClient, enroll
    from asiria_desktop.sync.mapping import to_catalog_changes
    from cloud_api.accounts.services import terminal_create, terminal_revoke

    org = make_org("Real Till Co", with_terminal=False)
    terminal, code = terminal_create(store=org.stores[0], name="Till 1", created_by=None)
    enrolment = enroll(live_server.url, code, "Till 1")
    client = HttpCloudClient(live_server.url, enrolment.client_id, enrolment.client_secret)
    sale = envelope("sale.completed", org.make_sale(), 1)
    bad = envelope("sale.completed", {**org.make_sale(), "total_cents": 1}, 2)
    drawer = envelope(
        "drawer.opened",
        {
            "id": str(uuid7()),
            "reason": "no_sale",
            "cashier_id": str(org.users["cashier"].uuid),
            "approved_by": None,
            "opened_at": sale["recorded_at"],
            "shift_id": None,
        },
        3,
    )

    first = client.push([sale, bad, drawer])
    again = client.push([sale])
    changes, cursor, pages = [], "0", 0
    while True:
        page = client.pull(cursor, 2)
        if not page.changes and page.cursor == cursor:
            break
        changes += page.changes
        cursor, pages = page.cursor, pages + 1
        assert page.remaining is not None
        if not page.has_more:
            break
    records = to_catalog_changes(changes, VariableMeasureLayout())
    terminal_revoke(terminal=terminal)

    assert [(r.id, r.status) for r in first] == [
        (sale["id"], "applied"),
        (bad["id"], "rejected"),
        (drawer["id"], "applied"),
    ]
    assert "do not add up" in first[1].error
    assert [r.status for r in again] == ["duplicate"]
    assert enrolment.terminal_code == terminal.code and pages > 1
    assert len(records) == len(changes)  # every pulled change is usable by the till
    products = {r.id: r.record for r in records if r.entity == "product"}
    assert products[str(org.products[0].uuid)].price_cents == 8000
    assert {r.entity for r in records} >= {"product", "user", "store", "tax_class", "stock_level"}
    with pytest.raises(TerminalRevoked, match="disconnected by head office"):
        client.pull(cursor, 10)
