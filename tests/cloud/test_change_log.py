"""The change log behind the till pull: ordered, scoped, and never skipping a late commit."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from cloud_api.core.principal import principal_for_terminal, principal_for_user
from cloud_api.sync.models import Change
from cloud_api.sync.selectors import change_page
from cloud_api.sync.sequencer import changes_sequence
from cloud_api.sync.services import changes_record


def seen(page) -> list[tuple[str, str]]:
    return [(change.entity, change.op) for change in page.changes]


def test_a_catalog_change_reaches_the_till_once(org_a, client_as):
    till = principal_for_terminal(org_a.terminal)
    start = change_page(principal=till, cursor=0, limit=1000).cursor

    client_as("owner").patch(
        f"/api/v1/products/{org_a.products[0].uuid}/", {"price_cents": 9900}, format="json"
    )
    page = change_page(principal=till, cursor=start, limit=100)
    again = change_page(principal=till, cursor=page.cursor, limit=100)

    assert seen(page) == [("product", "upsert")]
    assert page.changes[0].entity_id == org_a.products[0].uuid
    assert page.cursor > start
    assert again.changes == [] and again.has_more is False


def test_a_till_sees_its_own_stores_stock_and_people_only(org_a, client_as):
    till = principal_for_terminal(org_a.terminal)
    start = change_page(principal=till, cursor=0, limit=1000).cursor
    branch = org_a.stores[1]
    client_as("owner").post(
        "/api/v1/stock-movements/",
        {
            "store_id": str(branch.uuid),
            "product_id": str(org_a.products[0].uuid),
            "delta_milli": 5000,
            "note": "branch delivery",
        },
        format="json",
    )
    client_as("owner").post(
        "/api/v1/users/",
        {
            "name": "Branch cashier",
            "email": "bc@alpha.example",
            "role": "cashier",
            "store_id": str(branch.uuid),
            "password": "Branch-Pass-Long-1",
            "pin": "5555",
        },
        format="json",
    )

    assert change_page(principal=till, cursor=start, limit=100).changes == []
    owner_view = change_page(
        principal=principal_for_user(org_a.users["owner"]), cursor=start, limit=100
    )
    assert sorted(seen(owner_view)) == [("stock_level", "upsert"), ("user", "upsert")]


def test_a_deleted_category_is_a_delete_change(org_a, client_as):
    till = principal_for_terminal(org_a.terminal)
    start = change_page(principal=till, cursor=0, limit=1000).cursor

    client_as("owner").delete(f"/api/v1/categories/{org_a.category.uuid}/")

    page = change_page(principal=till, cursor=start, limit=100)
    assert ("category", "delete") in seen(page)
    assert ("product", "upsert") in seen(page)  # its product lost its category


def test_repeated_changes_of_one_entity_come_once_per_page(org_a):
    till = principal_for_terminal(org_a.terminal)
    start = change_page(principal=till, cursor=0, limit=1000).cursor
    for _ in range(3):
        changes_record(
            organisation_id=org_a.organisation.pk,
            entity="product",
            entity_ids=[org_a.products[0].uuid],
        )

    page = change_page(principal=till, cursor=start, limit=100)

    assert len(page.changes) == 1
    assert page.cursor == start + 3


def test_pages_respect_the_limit_and_say_there_is_more(org_a):
    till = principal_for_terminal(org_a.terminal)

    first = change_page(principal=till, cursor=0, limit=2)
    rest = change_page(principal=till, cursor=first.cursor, limit=1000)

    assert len(first.changes) <= 2 and first.has_more
    assert rest.has_more is False
    assert {c.seq for c in first.changes}.isdisjoint({c.seq for c in rest.changes})


def test_a_rolled_back_write_leaves_no_change(org_a):
    before = Change.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        changes_record(
            organisation_id=org_a.organisation.pk,
            entity="product",
            entity_ids=[org_a.products[0].uuid],
        )
        raise RuntimeError("the write failed")

    assert Change.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_a_change_that_commits_late_is_not_skipped(org_a):
    """A writer that got its row id first but commits last must still reach the till."""
    organisation_id = org_a.organisation.pk
    till = principal_for_terminal(org_a.terminal)
    cursor = change_page(principal=till, cursor=0, limit=10_000).cursor
    inserted, release, done = threading.Event(), threading.Event(), threading.Event()
    slow_id = org_a.products[1].uuid

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                changes_record(
                    organisation_id=organisation_id, entity="product", entity_ids=[slow_id]
                )
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()
            done.set()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inserted.wait(10)
    changes_record(
        organisation_id=organisation_id, entity="category", entity_ids=[org_a.category.uuid]
    )

    early = change_page(principal=till, cursor=cursor, limit=100)
    release.set()
    assert done.wait(10)
    late = change_page(principal=till, cursor=early.cursor, limit=100)
    thread.join()

    assert [(c.entity, c.entity_id) for c in early.changes] == [("category", org_a.category.uuid)]
    assert [(c.entity, c.entity_id) for c in late.changes] == [("product", slow_id)]
    assert changes_sequence(organisation_id=organisation_id) == late.cursor
