"""The change log's sequencer: stamps committed changes with gap-free, ordered numbers under the
organisation's counter lock. Its own module because the pull's read path (selectors) and the
write path (services, compaction) both run it: it is the change log's mechanism, not a use case."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from cloud_api.sync.models import Change, ChangeCounter

SEQUENCE_BATCH = 20000


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
