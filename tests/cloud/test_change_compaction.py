"""Change-log compaction: superseded changes and tombstones no till needs go; what every till
ends up holding after its pull stays exactly the same."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cloud_api.accounts.models import Terminal, User
from cloud_api.accounts.services import terminal_create, terminal_enroll, terminal_revoke
from cloud_api.catalog.models import TaxClass
from cloud_api.catalog.services import (
    category_create,
    category_delete,
    product_create,
    product_update,
)
from cloud_api.core.principal import principal_for_terminal
from cloud_api.inventory.services import stock_movement_record
from cloud_api.sync import services
from cloud_api.sync.compaction import changes_compact
from cloud_api.sync.models import Change, ChangeOp
from cloud_api.sync.pull_selectors import pull_page
from cloud_api.sync.sequencer import changes_sequence
from cloud_api.sync.services import changes_record

from .conftest import terminal_client
from .sync_support import pull, pull_all

LATER = timedelta(days=60)  # past the 30-day retention window


class Till:
    """A till: an HTTP client that pulls, and what it holds after applying each page."""

    def __init__(self, org, store, name: str) -> None:
        _, code = terminal_create(store=store, name=name, created_by=org.users["owner"])
        self.terminal, client_id, secret = terminal_enroll(code=code, name=name)
        self.client = terminal_client(
            type("Creds", (), {"client_id": client_id, "client_secret": secret})()
        )
        self.held: dict[tuple[str, str], dict[str, Any]] = {}
        self.cursor = "0"

    def pull_page(self, limit: int) -> dict[str, Any]:
        page = pull(self.client, self.cursor, limit)
        apply(self.held, page["changes"])
        self.cursor = page["cursor"]
        return page

    def pull_all(self) -> dict[tuple[str, str], dict[str, Any]]:
        changes, self.cursor = pull_all(self.client, self.cursor)
        apply(self.held, changes)
        pull(self.client, self.cursor)  # the next (empty) pull tells the cloud where it is
        return self.held

    @property
    def recorded(self) -> int | None:
        return Terminal.objects.get(pk=self.terminal.pk).last_pull_cursor


def apply(held: dict[tuple[str, str], dict[str, Any]], changes: list[dict[str, Any]]) -> None:
    for change in changes:
        key = (change["entity"], change["data"]["id"])
        if change["op"] == "upsert":
            held[key] = change["data"]
        else:
            held.pop(key, None)


def pulled_without_recording(terminal, cursor: str, held=None) -> dict[tuple[str, str], Any]:
    """What a till would hold after pulling from ``cursor``, read through the selectors so
    that no pull position is recorded (the reference for "as without compaction")."""
    held = dict(held or {})
    principal = principal_for_terminal(terminal)
    position = int(cursor)
    while True:
        page = pull_page(principal=principal, cursor=position, limit=7)
        apply(held, page.changes)
        position = page.cursor
        if not page.has_more:
            return held


def log_rows(org) -> int:
    return Change.objects.filter(organisation=org.organisation).count()


def busy_catalog(org) -> dict[str, Any]:
    """Products priced again and again, stock moved often, categories deleted."""
    standard = TaxClass.objects.get(organisation=org.organisation, code="standard")
    early = category_create(organisation=org.organisation, name="Early")
    late = category_create(organisation=org.organisation, name="Late")
    category_delete(category=early)
    made = [
        product_create(
            organisation=org.organisation,
            name=f"Item {n}",
            price_cents=1000 + n,
            tax_class=standard,
            category=late,
        )
        for n in range(12)
    ]
    for round_ in range(3):
        for product in made:
            product_update(product=product, price_cents=product.price_cents + 100 * round_)
            stock_movement_record(
                store=org.stores[0], product=product, delta_milli=1000, reason="adjustment"
            )
    for product in made[:3]:
        product_update(product=product, active=False)
    return {"early": early, "late": late, "products": made}


def stamp(org) -> None:
    changes_sequence(organisation_id=org.organisation.pk)


def test_a_half_way_till_and_a_new_till_end_with_the_same_catalog(org_a):
    world = busy_catalog(org_a)
    half_way = Till(org_a, org_a.stores[0], "Half-way till")
    while ("category", str(world["late"].uuid)) not in half_way.held:
        half_way.pull_page(5)
    assert half_way.pull_page(5)["has_more"]  # in the middle of its first pull
    category_delete(category=world["late"])  # a category the half-way till holds
    for product in world["products"][3:6]:
        product_update(product=product, price_cents=9999)
    stamp(org_a)
    newcomer = Till(org_a, org_a.stores[0], "New till")
    expected_half_way = pulled_without_recording(half_way.terminal, half_way.cursor, half_way.held)
    expected_new = pulled_without_recording(newcomer.terminal, "0")
    served_before = len(
        pull_page(principal=principal_for_terminal(newcomer.terminal), cursor=0, limit=1000).changes
    )
    rows_before = log_rows(org_a)

    result = changes_compact(now=timezone.now() + LATER)

    assert result.superseded > 0 and result.tombstones > 0
    assert log_rows(org_a) == rows_before - result.removed
    # Deleted before the half-way till's position: gone; deleted after it: kept for it.
    deletes = Change.objects.filter(entity="category", op=ChangeOp.DELETE)
    assert not deletes.filter(entity_id=world["early"].uuid).exists()
    assert deletes.filter(entity_id=world["late"].uuid).exists()
    assert len(result.waiting_for) == 1 and "Half-way till" in result.waiting_for[0]
    assert half_way.pull_all() == expected_half_way
    assert newcomer.pull_all() == expected_new
    assert ("category", str(world["late"].uuid)) not in expected_half_way
    assert expected_half_way[("product", str(world["products"][4].uuid))]["price_cents"] == 9999
    served_after = len(
        pull_page(principal=principal_for_terminal(newcomer.terminal), cursor=0, limit=1000).changes
    )
    assert served_after < served_before  # fewer rows to page through, same catalog


def test_superseded_changes_go_and_each_entitys_newest_stays(org_a):
    coke = org_a.products[0]
    for price in range(8100, 8600, 100):
        product_update(product=coke, price_cents=price)
    stamp(org_a)
    keys = ("entity", "entity_id", "store_id")
    newest_before: dict[tuple, int] = {}
    for *key, seq in Change.objects.filter(organisation=org_a.organisation).values_list(
        *keys, "seq"
    ):
        newest_before[tuple(key)] = max(seq, newest_before.get(tuple(key), 0))
    changes_record(organisation_id=org_a.organisation.pk, entity="product", entity_ids=[coke.uuid])

    first = changes_compact()
    again = changes_compact()

    after = list(Change.objects.filter(organisation=org_a.organisation).values_list(*keys, "seq"))
    stamped = {tuple(key): seq for *key, seq in after if seq is not None}
    assert stamped == newest_before  # one row per entity left: its newest
    assert len(after) == len(stamped) + 1  # the unstamped change was not touched
    assert first.superseded >= 5 and first.removed_by_entity["product"] >= 5
    assert first.tombstones == 0  # nothing is old enough yet
    assert again.removed == 0


def test_tombstones_wait_for_a_till_behind_and_for_the_retention_window(org_a):
    till = Till(org_a, org_a.stores[0], "Main till")
    till.pull_all()
    category_delete(category=org_a.category)
    stamp(org_a)
    tombstone = Change.objects.get(
        entity="category", entity_id=org_a.category.uuid, op=ChangeOp.DELETE
    )

    behind = changes_compact(now=timezone.now() + LATER)
    assert Change.objects.filter(pk=tombstone.pk).exists()
    assert behind.kept_tombstones == 1
    assert behind.waiting_for and "Main till" in behind.waiting_for[0]
    # Head office accounts reach tills as deletes: the till is past that one, so it went.
    head_office = org_a.users["head_office"].uuid
    assert not Change.objects.filter(entity="user", entity_id=head_office).exists()
    assert behind.tombstones == 1

    held = dict(till.pull_all())
    assert ("category", str(org_a.category.uuid)) not in held  # the till got the delete
    assert till.recorded >= tombstone.seq
    too_soon = changes_compact()
    assert Change.objects.filter(pk=tombstone.pk).exists()
    assert too_soon.tombstones == 0

    done = changes_compact(now=timezone.now() + LATER)
    assert not Change.objects.filter(pk=tombstone.pk).exists()
    assert (done.tombstones, done.kept_tombstones, done.waiting_for) == (1, 0, [])
    assert till.pull_all() == held  # nothing new for the till that was past it
    assert ("category", str(org_a.category.uuid)) not in Till(
        org_a, org_a.stores[0], "Fresh till"
    ).pull_all()


def test_revoked_and_never_pulling_terminals_do_not_hold_tombstones_back(org_a):
    main = Till(org_a, org_a.stores[0], "Main till")
    old = Till(org_a, org_a.stores[0], "Old till")
    old.pull_page(3)  # started once, then put in a drawer
    Till(org_a, org_a.stores[0], "Never pulled")
    category_delete(category=org_a.category)
    main.pull_all()
    stamp(org_a)
    tombstone = {"entity": "category", "entity_id": org_a.category.uuid, "op": ChangeOp.DELETE}

    held_back = changes_compact(now=timezone.now() + LATER)
    assert Change.objects.filter(**tombstone).exists()
    assert [label.split(" (")[0] for label in held_back.waiting_for] == ["Old till"]

    terminal_revoke(terminal=old.terminal)
    released = changes_compact(now=timezone.now() + LATER)

    assert not Change.objects.filter(**tombstone).exists()
    assert released.tombstones >= 1 and released.waiting_for == []


def test_a_stores_tombstones_wait_only_for_that_stores_tills(org_a):
    main_till = Till(org_a, org_a.stores[0], "Main till")
    branch_till = Till(org_a, org_a.stores[1], "Branch till")
    branch_till.pull_page(2)  # far behind
    cashier = org_a.users["cashier"]
    # The cashier moves to the branch: the main store's tills must drop them.
    User.objects.filter(pk=cashier.pk).update(store=org_a.stores[1])
    changes_record(
        organisation_id=org_a.organisation.pk,
        entity="user",
        entity_ids=[cashier.uuid],
        store_id=org_a.stores[1].pk,
    )
    category_delete(category=org_a.category)  # organisation-wide
    assert ("user", str(cashier.uuid)) not in main_till.pull_all()
    stamp(org_a)

    result = changes_compact(now=timezone.now() + LATER)

    main_store_rows = Change.objects.filter(
        entity="user", entity_id=cashier.uuid, store=org_a.stores[0]
    )
    assert not main_store_rows.exists()  # the branch till never needed it
    assert Change.objects.filter(entity="category", op=ChangeOp.DELETE).exists()
    assert [label.split(" (")[0] for label in result.waiting_for] == ["Branch till"]
    branch_held = branch_till.pull_all()
    assert branch_held[("user", str(cashier.uuid))]["name"] == cashier.name
    assert ("category", str(org_a.category.uuid)) not in branch_held


def test_a_pull_records_the_tills_position_only_when_it_moves(org_a, monkeypatch):
    till = Till(org_a, org_a.stores[0], "Main till")
    assert till.recorded is None
    _, cursor = pull_all(till.client)
    pull(till.client, cursor)
    terminal = Terminal.objects.get(pk=till.terminal.pk)
    assert terminal.last_pull_cursor == int(cursor) and terminal.last_pull_at is not None

    with CaptureQueriesContext(connection) as recording:
        page = pull(till.client, cursor)
    monkeypatch.setattr(services, "terminal_pull_record", lambda **kwargs: None)
    with CaptureQueriesContext(connection) as not_recording:
        pull(till.client, cursor)
    monkeypatch.undo()

    assert page["changes"] == []
    assert len(recording) == len(not_recording)  # an empty pull costs what it did before
    assert not [q for q in recording if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len([q for q in recording if "sync_change" in q["sql"]]) == 2

    product_update(product=org_a.products[0], price_cents=9100)
    _, new_cursor = pull_all(till.client, cursor)
    with CaptureQueriesContext(connection) as moving:
        pull(till.client, new_cursor)
    updates = [q["sql"] for q in moving if q["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(updates) == 1 and "accounts_terminal" in updates[0]
    assert till.recorded == int(new_cursor) > int(cursor)
    pull(till.client, "0")  # a till restored from an old backup starts again
    assert till.recorded == 0


def test_the_command_prints_what_it_removed(org_a):
    for price in (8100, 8200, 8300):
        product_update(product=org_a.products[0], price_cents=price)
    stamp(org_a)
    Till(org_a, org_a.stores[0], "Main till").pull_page(2)
    category_delete(category=org_a.category)
    stamp(org_a)
    out = io.StringIO()

    call_command(
        "compact_changes", "--org", org_a.organisation.name, "--retention-days", "0", stdout=out
    )

    text = out.getvalue()
    removed = int(text.split("Removed ")[1].split(" ")[0])
    assert removed > 0
    assert "superseded" in text and "tombstones" in text and "product " in text
    assert "Kept 1 deletes" in text and "Main till" in text
    rerun = io.StringIO()
    call_command("compact_changes", "--retention-days", "0", stdout=rerun)
    assert rerun.getvalue().startswith("Removed 0 changes")


def test_the_nightly_job_is_scheduled_and_compacts(org_a, settings):
    from cloud_api.sync.tasks import compact_change_log

    for price in (8100, 8200):
        product_update(product=org_a.products[0], price_cents=price)
    stamp(org_a)

    counts = compact_change_log.delay().get()

    schedule = settings.CELERY_BEAT_SCHEDULE["compact-change-log"]
    assert schedule["task"] == compact_change_log.name
    assert counts["superseded"] >= 2
    assert Change.objects.filter(entity_id=org_a.products[0].uuid, entity="product").count() == 1


@pytest.mark.parametrize("chunk_size", [1, 3])
def test_compaction_works_in_chunks_of_any_size(org_a, chunk_size):
    for price in (8100, 8200, 8300):
        product_update(product=org_a.products[0], price_cents=price)
    category_delete(category=org_a.category)
    stamp(org_a)

    result = changes_compact(chunk_size=chunk_size, now=timezone.now() + LATER)

    assert result.superseded >= 3
    assert Change.objects.filter(entity_id=org_a.products[0].uuid, entity="product").count() == 1
    assert not Change.objects.filter(entity="category", op=ChangeOp.DELETE).exists()


def test_changes_stamped_while_compaction_runs_are_left_alone(org_a, monkeypatch):
    from cloud_api.sync import compaction

    coke = org_a.products[0]
    for price in (8100, 8200):
        product_update(product=coke, price_cents=price)
    stamp(org_a)
    real_newest = compaction._newest
    during: list[int] = []

    def tills_push_meanwhile(*args: Any) -> Any:
        if not during:  # the sequencer stamps new changes after compaction read last_seq
            changes_record(
                organisation_id=org_a.organisation.pk, entity="product", entity_ids=[coke.uuid]
            )
            during.append(changes_sequence(organisation_id=org_a.organisation.pk))
        return real_newest(*args)

    monkeypatch.setattr(compaction, "_newest", tills_push_meanwhile)
    changes_compact()
    monkeypatch.undo()

    rows = Change.objects.filter(entity="product", entity_id=coke.uuid)
    seqs = sorted(rows.values_list("seq", flat=True))
    assert len(seqs) == 2 and seqs[-1] == during[0]  # the newest before the run, and the new
    changes_compact()
    assert list(rows.values_list("seq", flat=True)) == [during[0]]
