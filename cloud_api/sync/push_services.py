"""``POST /sync/push/``: apply a till's events at most once each, answering for every one.

The batch is checked first (contract, dedupe against ``SyncEvent`` in one query), then the new
events are applied in the till's ``seq`` order inside one transaction: runs of consecutive
sales go through the bulk path (``apply_sales``), everything else one savepoint per event
(``apply_activity``). A deadlock or a race on the same event ids rolls the whole batch back
and runs it again (nothing was committed, and the second run sees the winner's rows).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any
from uuid import UUID

import structlog
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from cloud_api.accounts.models import Terminal
from cloud_api.core.bulk import insert_rows
from cloud_api.core.errors import MYSQL_BUSY
from cloud_api.sync import apply_activity, apply_sales
from cloud_api.sync.models import SyncEvent, SyncRejection
from cloud_api.sync.push_alerts import (
    SKEW_LIMIT,
    notify_new_rejections,
    notify_sequence_trouble,
    notify_skew,
)
from cloud_api.sync.push_batch import Incoming, PushContext, check_event
from cloud_api.sync.push_status import APPLIED, DUPLICATE, REJECTED

log = logging.getLogger(__name__)
# One JSON line per push (events applied, duplicate, rejected) for the operators' dashboards
# (deploy/logging); its latency is the request line's duration_ms.
push_log = structlog.get_logger("cloud_api.sync.push")

MAX_EVENTS = 500
ATTEMPTS = 3
SEQ_GAP_MAX = 2**31 - 1  # the column's range: a till that jumps further is still flagged

SYNC_EVENT_FIELDS = (
    "uuid",
    "organisation",
    "store",
    "terminal",
    "type",
    "seq",
    "record_id",
    "recorded_at",
    "received_at",
    "payload_sha256",
    "skew_seconds",
    "clock_skewed",
    "seq_gap",
)


def events_push(
    *,
    terminal: Terminal,
    events: list[dict[str, Any]],
    client: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Apply a batch (envelopes whose ``id`` is a UUID, checked by the view); one result per
    event, in request order. ``client`` (checked ``app_version`` / ``unsent_count``) is kept on
    the terminal with the push time."""
    received_at = timezone.now()
    checked = [check_event(index, event) for index, event in enumerate(events)]
    for attempt in range(1, ATTEMPTS + 1):
        context = PushContext(
            organisation=terminal.store.organisation,
            terminal=terminal,
            received_at=received_at,
            last_attempt=attempt == ATTEMPTS,
        )
        items = [Incoming(**{**item.__dict__}) if item.status is None else item for item in checked]
        try:
            _apply_batch(context, items)
            Terminal.objects.filter(pk=terminal.pk).update(
                last_push_at=received_at, **(client or {})
            )
            counts = Counter(item.status for item in items)
            push_log.info(
                "sync_push",
                terminal=str(terminal.uuid),
                events=len(items),
                applied=counts[APPLIED],
                duplicate=counts[DUPLICATE],
                rejected=counts[REJECTED],
            )
            return [item.result() for item in items]
        except (OperationalError, IntegrityError) as exc:
            busy = isinstance(exc, OperationalError) and exc.args and exc.args[0] in MYSQL_BUSY
            if attempt == ATTEMPTS or not (busy or isinstance(exc, IntegrityError)):
                raise
            log.warning("sync push retried after %s (attempt %d)", exc, attempt)
    raise AssertionError("unreachable")


@transaction.atomic
def _apply_batch(context: PushContext, items: list[Incoming]) -> None:
    candidates = [item for item in items if item.status is None]
    _dedupe(context, candidates)
    fresh = sorted((item for item in candidates if item.status is None), key=lambda i: i.seq)
    run: list[Incoming] = []
    for item in fresh:  # the till's order (seq), never its clock
        if item.type == "sale.completed":
            run.append(item)
            continue
        apply_sales.apply_sales(context, run)
        run = []
        apply_activity.apply_one(context, item)
    apply_sales.apply_sales(context, run)
    _settle_repeats(items)
    # Rejections first: a hole this very batch leaves is explained by them.
    _file_rejections(context, [item for item in items if item.status == REJECTED])
    _remember(context, [item for item in fresh if item.status == APPLIED])
    # Last: the rows every store's pushes add to stay locked only from here to the commit.
    context.shared_rows.write()


def _dedupe(context: PushContext, items: list[Incoming]) -> None:
    """Answer events this server already has (one query), and repeats within the batch."""
    known = {
        row["uuid"]: row
        for row in SyncEvent.objects.filter(uuid__in=[item.id for item in items]).values(
            "uuid", "payload_sha256", "organisation_id"
        )
    }
    first_seen: set[UUID] = set()
    for item in items:
        row = known.get(item.id)
        if row is not None:
            same = (
                row["payload_sha256"] == item.digest
                and row["organisation_id"] == context.organisation.pk
            )
            if same:
                item.answer(DUPLICATE)
            else:
                item.answer(REJECTED, "same id, different payload: this event id was used before")
        elif item.id in first_seen:
            item.repeats_earlier = True  # answered like its first copy, see _settle_repeats
        first_seen.add(item.id)


def _settle_repeats(items: list[Incoming]) -> None:
    first: dict[UUID, Incoming] = {}
    for item in items:
        if not item.repeats_earlier:
            first.setdefault(item.id, item)
            continue
        original = first[item.id]
        if original.digest != item.digest:
            item.answer(REJECTED, "same id, different payload: this event id was used before")
        elif original.status in (APPLIED, DUPLICATE):
            item.answer(DUPLICATE)
        else:
            item.answer(REJECTED, original.error)


def _remember(context: PushContext, applied: list[Incoming]) -> None:
    """The dedupe rows (kept for good), with the till's time, ours, the skew and seq gaps."""
    if not applied:
        return
    terminal = context.terminal
    last = SyncEvent.objects.filter(terminal=terminal).aggregate(last=Max("seq"))["last"] or 0
    rows = []
    newest_skew = 0
    gaps: list[range] = []
    went_back: list[int] = []
    for item in applied:  # already in seq order
        assert item.recorded_at is not None  # an applied event passed the contract's checks
        skew = int((context.received_at - item.recorded_at).total_seconds())
        gap = item.seq - last - 1 if item.seq > last + 1 and last else 0
        if gap:
            gaps.append(range(last + 1, item.seq))
        elif last and item.seq <= last:
            went_back.append(item.seq)
        last = max(last, item.seq)
        newest_skew = skew
        rows.append(
            (
                item.id,
                context.organisation.pk,
                terminal.store_id,
                terminal.pk,
                item.type,
                item.seq,
                item.payload.get("id"),
                item.recorded_at,
                context.received_at,
                item.digest,
                skew,
                abs(skew) > SKEW_LIMIT.total_seconds(),
                min(gap, SEQ_GAP_MAX),
            )
        )
    if went_back:
        # Below the highest number: a number used before (a restored till), or a late event
        # filling a hole (not news). Asked before this batch's rows exist.
        used = SyncEvent.objects.filter(terminal=terminal, seq__in=went_back)
        went_back = sorted(set(used.values_list("seq", flat=True)))
    insert_rows(SyncEvent, SYNC_EVENT_FIELDS, rows)
    notify_skew(context, newest_skew)
    if gaps or went_back:
        notify_sequence_trouble(context, gaps, went_back)


def _file_rejections(context: PushContext, rejected: list[Incoming]) -> None:
    """Keep what was refused (one row per event, its latest reason and how often)."""
    if not rejected:
        return
    now = context.received_at
    terminal = context.terminal
    rows = {
        item.id: SyncRejection(
            uuid=item.id,
            organisation_id=context.organisation.pk,
            store_id=terminal.store_id,
            terminal_id=terminal.pk,
            type=item.type,
            seq=item.seq or None,
            error=(item.error or "rejected")[:500],
            first_rejected_at=now,
            last_rejected_at=now,
        )
        for item in rejected
    }
    known = set(
        SyncRejection.objects.filter(terminal=terminal, uuid__in=list(rows)).values_list(
            "uuid", flat=True
        )
    )
    notify_new_rejections(context, [row for key, row in rows.items() if key not in known])
    SyncRejection.objects.bulk_create(
        rows.values(),
        update_conflicts=True,
        # MariaDB's ON DUPLICATE KEY names no target; SQLite's ON CONFLICT needs one.
        unique_fields=["terminal", "uuid"]
        if connection.features.supports_update_conflicts_with_target
        else None,
        update_fields=["type", "seq", "error", "last_rejected_at"],
    )
    SyncRejection.objects.filter(terminal=terminal, uuid__in=list(rows)).exclude(
        first_rejected_at=now
    ).update(attempts=F("attempts") + 1)
