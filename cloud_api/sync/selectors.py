from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from uuid import UUID

from django.db.models import Q, QuerySet

from cloud_api.core.principal import Principal
from cloud_api.sync.models import Change, TillActivity
from cloud_api.sync.sequencer import changes_sequence


class ChangeRow(Protocol):
    """A change log row as pulls read it (``values_list(..., named=True)``)."""

    @property
    def seq(self) -> int | None: ...

    @property
    def entity(self) -> str: ...

    @property
    def entity_id(self) -> UUID: ...

    @property
    def op(self) -> str: ...

    @property
    def store_id(self) -> int | None: ...


@dataclass(frozen=True)
class ChangePage:
    # At most one row per entity (the newest), in sequence order.
    changes: list[ChangeRow]
    cursor: int
    has_more: bool


def change_page(*, principal: Principal, cursor: int, limit: int) -> ChangePage:
    """Changes after ``cursor`` that this principal may see (its organisation's shared rows
    and, for a store-bound caller, its own store's)."""
    organisation_changes = Change.objects.filter(organisation_id=principal.organisation_id)
    # The unlocked look first: an empty incremental pull must stay one cheap indexed query,
    # and the sequencer's lock is only worth taking when something waits to be stamped.
    if organisation_changes.filter(seq__isnull=True).exists():
        changes_sequence(organisation_id=principal.organisation_id)
    visible = Change.objects.filter(organisation_id=principal.organisation_id, seq__gt=cursor)
    if principal.store_id is not None:
        visible = visible.filter(Q(store__isnull=True) | Q(store_id=principal.store_id))
    # Named tuples, not model objects: a page is up to 1,001 rows and a till pulls 100 of them.
    rows = list(
        visible.order_by("seq").values_list(
            "seq", "entity", "entity_id", "op", "store_id", named=True
        )[: limit + 1]
    )
    has_more = len(rows) > limit
    rows = rows[:limit]
    newest: dict[tuple[str, object, int | None], Any] = {}
    for row in rows:
        newest[(row.entity, row.entity_id, row.store_id)] = row
    page = sorted(newest.values(), key=lambda row: row.seq or 0)
    return ChangePage(
        changes=page, cursor=(rows[-1].seq or cursor) if rows else cursor, has_more=has_more
    )


def till_activity_list(*, principal: Principal) -> QuerySet[TillActivity]:
    """What tills reported (shifts, cash, drawer, voids, refunds), in the caller's stores."""
    rows = TillActivity.objects.filter(organisation_id=principal.organisation_id)
    return principal.scope_stores(rows).select_related("store", "terminal")
