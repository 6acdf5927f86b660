"""Recording and sequencing changes for the till pull."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from cloud_api.accounts.models import Terminal
from cloud_api.core.bulk import insert_rows
from cloud_api.sync.models import Change, ChangeCounter, ChangeOp

SEQUENCE_BATCH = 20000


@transaction.atomic(savepoint=False)
def changes_record(
    *,
    organisation_id: int,
    entity: str,
    entity_ids: Iterable[UUID],
    op: str = ChangeOp.UPSERT,
    store_id: int | None = None,
) -> None:
    """Note that these entities changed, in the caller's transaction (so a rolled-back write
    leaves no change behind). Cheap: one multi-row insert, no lock."""
    now = timezone.now()
    insert_rows(
        Change,
        ("organisation", "store", "entity", "entity_id", "op", "created_at"),
        ((organisation_id, store_id, entity, entity_id, op, now) for entity_id in entity_ids),
    )


def _locked_counter(organisation_id: int) -> ChangeCounter:
    counter = ChangeCounter.objects.select_for_update().filter(organisation_id=organisation_id)
    found = counter.first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            ChangeCounter.objects.create(organisation_id=organisation_id)
    except IntegrityError:
        pass  # created by a concurrent sequencer; the lock below waits for it
    return counter.get()


def _stamp_in_order(ids: list[int], last_seq: int) -> int:
    """Number exactly these rows (committed ones, read above) in id order with one UPDATE; a
    CASE per row (``bulk_update``) takes seconds for a big catalog import."""
    table = Change._meta.db_table
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute("SET @asiria_seq = %s", [last_seq])
        cursor.execute(
            # Not injectable: the model's table name and "%s" placeholders; ids are parameters.
            f"UPDATE {table} SET seq = (@asiria_seq := @asiria_seq + 1)"  # nosec B608
            f" WHERE id IN ({placeholders}) ORDER BY id",
            ids,
        )
    return last_seq + len(ids)


@transaction.atomic
def changes_sequence(*, organisation_id: int) -> int:
    """Stamp committed, unstamped changes with the next sequence numbers; returns the last.

    Runs under the organisation's counter lock, so two sequencers never interleave; rows that
    are still uncommitted are invisible here (READ COMMITTED) and get stamped by a later run.
    """
    counter = _locked_counter(organisation_id)
    first = counter.last_seq
    while True:
        pending = list(
            Change.objects.filter(organisation_id=organisation_id, seq__isnull=True)
            .order_by("id")
            .only("id")[:SEQUENCE_BATCH]
        )
        if not pending:
            break
        if connection.vendor == "mysql":
            counter.last_seq = _stamp_in_order([change.id for change in pending], counter.last_seq)
            continue
        for change in pending:
            counter.last_seq += 1
            change.seq = counter.last_seq
        Change.objects.bulk_update(pending, ["seq"])
    if counter.last_seq != first:
        counter.save(update_fields=["last_seq"])
    return counter.last_seq


def terminal_pull_record(*, terminal: Terminal, cursor: int) -> None:
    """Remember the cursor a till sent: it has applied every change up to it, so compaction
    may drop tombstones at or below it. The terminal row was just read to authenticate the
    call, so an unchanged cursor (an empty incremental pull) costs no query at all; a moved
    one costs one UPDATE. A cursor that went back (a till restored from a backup) is recorded
    too: compaction then waits for that till again."""
    if terminal.last_pull_cursor == cursor:
        return
    now = timezone.now()
    Terminal.objects.filter(pk=terminal.pk).update(last_pull_cursor=cursor, last_pull_at=now)
    terminal.last_pull_cursor, terminal.last_pull_at = cursor, now
