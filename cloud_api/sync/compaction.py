"""Change-log compaction: a till enrolled a year from now pages through entities, not history.

Two kinds of rows go:

- **Superseded** changes: an older row of an entity (per organisation, store, entity, id) that
  has a newer stamped one. Always safe, whatever a till's cursor: a till below the old row
  still meets the newer one, and the pull reads the entity's current row anyway.
- **Tombstones**: the newest change of an entity that tills get as ``delete`` (an ``op=delete``
  row, or an upsert of something gone or no longer visible to them, e.g. a user moved to
  another store). Only a till that may still hold the entity needs it, so it goes once every
  live terminal that has pulled (enrolled, not revoked; for a store's rows, that store's
  terminals) sent a cursor at or past it, and it is older than the retention window. A
  terminal that never pulled starts from 0 and never had the entity.

Rows are read in windows of ``chunk_size`` and deleted by primary key, one short autocommit
DELETE per window, so tills pushing meanwhile never wait long; only rows stamped up to the
counter's ``last_seq`` read at the start are considered (the sequencer may be stamping more).
Running it twice removes nothing more the second time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, cast
from uuid import UUID

import structlog
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from cloud_api.accounts.models import Terminal
from cloud_api.sync.models import Change, ChangeCounter, ChangeOp
from cloud_api.sync.pull_selectors import entity_data
from cloud_api.sync.selectors import ChangeRow

log = structlog.get_logger(__name__)

EntityKey = tuple[str, UUID, int | None]  # entity, its wire id, its store (None: shared)


class StampedChange(ChangeRow, Protocol):
    """A change log row with its number, as compaction reads it (``named=True``)."""

    @property
    def id(self) -> int: ...

    @property
    def seq(self) -> int: ...

    @property
    def created_at(self) -> datetime: ...


CHUNK_SIZE = 5000
DEFAULT_RETENTION_DAYS = 30


@dataclass
class CompactionResult:
    organisations: int = 0
    superseded: int = 0
    tombstones: int = 0
    # Deletes older than the retention window kept because a till has not pulled past them.
    kept_tombstones: int = 0
    removed_by_entity: Counter[str] = field(default_factory=Counter)
    # The terminals those kept deletes wait for ("Till 1 (S01-T01), cursor 12, pulled ...").
    waiting_for: list[str] = field(default_factory=list)

    @property
    def removed(self) -> int:
        return self.superseded + self.tombstones


@dataclass(frozen=True)
class _Till:
    store_id: int
    cursor: int
    label: str


@dataclass(frozen=True)
class _Horizon:
    """Up to which seq every till that may see a row has applied it."""

    shared: int  # organisation-wide rows: every till of the organisation
    by_store: dict[int, int]  # a store's rows: that store's tills
    snapshot: int  # no till pulled: nothing holds a tombstone back

    def of(self, store_id: int | None) -> int:
        if store_id is None:
            return self.shared
        return self.by_store.get(store_id, self.snapshot)


def changes_compact(
    *,
    organisation_id: int | None = None,
    retention: timedelta | None = None,
    now: datetime | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> CompactionResult:
    """Drop superseded changes and tombstones no till needs, in every organisation (or one).

    Deliberately not one transaction: each window's DELETE commits on its own, so locks are
    held for milliseconds, and an interrupted run leaves a consistent, partly compacted log.
    """
    if retention is None:
        days = getattr(settings, "SYNC_TOMBSTONE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)
        retention = timedelta(days=days)
    cutoff = (now or timezone.now()) - retention
    counters = ChangeCounter.objects.order_by("organisation_id")
    if organisation_id is not None:
        counters = counters.filter(organisation_id=organisation_id)
    result = CompactionResult()
    for org_id, last_seq in counters.values_list("organisation_id", "last_seq"):
        _compact_organisation(org_id, last_seq, cutoff, max(1, chunk_size), result)
        result.organisations += 1
    log.info(
        "change_log_compacted",
        organisations=result.organisations,
        superseded=result.superseded,
        tombstones=result.tombstones,
        kept_tombstones=result.kept_tombstones,
    )
    return result


def _tills(organisation_id: int) -> list[_Till]:
    """Live terminals that pulled at least once (revoked ones no longer hold anything back)."""
    rows = Terminal.objects.filter(
        store__organisation_id=organisation_id,
        enrolled_at__isnull=False,
        revoked_at__isnull=True,
        last_pull_cursor__isnull=False,
    ).values_list("store_id", "last_pull_cursor", "name", "store__code", "code", "last_pull_at")
    return [
        _Till(
            store_id,
            cursor or 0,  # never null here: the query asks for positioned tills
            f"{name} ({store_code}-{code}), cursor {cursor}, last pull "
            f"{pulled_at.date().isoformat() if pulled_at else 'before positions were recorded'}",
        )
        for store_id, cursor, name, store_code, code, pulled_at in rows
    ]


def _horizon(tills: list[_Till], snapshot: int) -> _Horizon:
    by_store: dict[int, int] = {}
    for till in tills:
        by_store[till.store_id] = min(by_store.get(till.store_id, snapshot), till.cursor)
    shared = min([snapshot, *(till.cursor for till in tills)])
    return _Horizon(shared=shared, by_store=by_store, snapshot=snapshot)


def _compact_organisation(
    organisation_id: int, snapshot: int, cutoff: datetime, chunk_size: int, result: CompactionResult
) -> None:
    tills = _tills(organisation_id)
    horizon = _horizon(tills, snapshot)
    # Per scope (a store id, or None for organisation-wide rows): the newest delete kept.
    kept_up_to: dict[int | None, int] = {}
    after = 0
    while True:
        # seq is null only between a row's insert and its sequencing; these passed seq__gt,
        # so every row here is stamped (the cast says so to the type checker).
        window = cast(
            "list[StampedChange]",
            list(
                Change.objects.filter(
                    organisation_id=organisation_id, seq__gt=after, seq__lte=snapshot
                )
                .order_by("seq")
                .values_list(
                    "id", "seq", "entity", "entity_id", "store_id", "op", "created_at", named=True
                )[:chunk_size]
            ),
        )
        if not window:
            break
        after = window[-1].seq
        newest = _newest(organisation_id, window, snapshot)
        doomed: list[StampedChange] = []
        maybe_gone: list[StampedChange] = []
        for row in window:
            if row.seq < newest.get(_key(row), row.seq):
                doomed.append(row)
                result.superseded += 1
            elif row.created_at >= cutoff:
                continue
            elif row.seq > horizon.of(row.store_id):
                if row.op == ChangeOp.DELETE:
                    result.kept_tombstones += 1
                    kept_up_to[row.store_id] = max(kept_up_to.get(row.store_id, 0), row.seq)
            elif row.op == ChangeOp.DELETE:
                doomed.append(row)
                result.tombstones += 1
            else:
                maybe_gone.append(row)
        if maybe_gone:
            # The pull's own reading decides: what it would serve as a delete is a tombstone.
            visible = entity_data(organisation_id=organisation_id, changes=maybe_gone)
            gone = [row for row in maybe_gone if _key(row) not in visible]
            doomed.extend(gone)
            result.tombstones += len(gone)
        if doomed:
            Change.objects.filter(pk__in=[row.id for row in doomed]).delete()
            result.removed_by_entity.update(row.entity for row in doomed)
    for scope, seq in kept_up_to.items():
        for till in tills:
            waits = scope is None or till.store_id == scope
            if waits and till.cursor < seq and till.label not in result.waiting_for:
                result.waiting_for.append(till.label)


def _key(row: StampedChange) -> EntityKey:
    return (row.entity, row.entity_id, row.store_id)


def _newest(
    organisation_id: int, window: list[StampedChange], snapshot: int
) -> dict[EntityKey, int]:
    """The highest stamped seq of each entity in the window (by the ``change_entity`` index)."""
    rows = (
        Change.objects.filter(
            organisation_id=organisation_id,
            entity_id__in={row.entity_id for row in window},
            seq__lte=snapshot,
        )
        .order_by()
        .values("entity", "entity_id", "store_id")
        .annotate(newest=Max("seq"))
        .values_list("entity", "entity_id", "store_id", "newest")
    )
    return {(entity, entity_id, store_id): seq for entity, entity_id, store_id, seq in rows}
