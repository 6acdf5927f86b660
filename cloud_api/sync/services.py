"""Recording changes for the till pull, and what a terminal has pulled."""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from cloud_api.accounts.models import Terminal
from cloud_api.core.bulk import insert_rows
from cloud_api.sync.models import Change, ChangeOp


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
