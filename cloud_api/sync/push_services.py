"""``POST /sync/push/``: apply a till's events at most once each, answering for every one.

The batch is checked first (contract, dedupe against ``SyncEvent`` in one query), then the new
events are applied in the till's ``seq`` order inside one transaction: runs of consecutive
sales go through the bulk path (``apply_sales``), everything else one savepoint per event
(``apply_activity``). A deadlock or a race on the same event ids rolls the whole batch back
and runs it again (nothing was committed, and the second run sees the winner's rows).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.core.cache import cache
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Max
from django.utils import timezone

from cloud_api.accounts.models import Organisation, Terminal
from cloud_api.core.bulk import insert_rows
from cloud_api.core.errors import MYSQL_BUSY
from cloud_api.notifications.services import notification_notify_store
from cloud_api.sync import apply_activity, apply_sales
from cloud_api.sync.models import SyncEvent
from cloud_api.sync.validation import event_problem, parse_time

log = logging.getLogger(__name__)

MAX_EVENTS = 500
SKEW_LIMIT = timedelta(minutes=5)
SKEW_NOTICE_EVERY_S = 3600  # one "clock is off" notification per till per hour at most
ATTEMPTS = 3
APPLIED, DUPLICATE, REJECTED = "applied", "duplicate", "rejected"
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


@dataclass
class Incoming:
    """One event of the batch and, once decided, its answer."""

    index: int
    id: UUID
    type: str = ""
    seq: int = 0
    recorded_at: datetime | None = None
    payload: Any = None
    digest: str = ""
    status: str | None = None
    error: str | None = None

    def answer(self, status: str, error: str | None = None) -> None:
        self.status, self.error = status, error

    def result(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": str(self.id), "status": self.status}
        if self.error:
            body["error"] = self.error
        return body


@dataclass(frozen=True)
class PushContext:
    organisation: Organisation
    terminal: Terminal
    received_at: datetime
    # A unique-key race on the last run is settled event by event instead of by a rerun.
    last_attempt: bool = True

    @property
    def store(self):
        return self.terminal.store


def event_digest(payload: Any) -> str:
    """Fingerprint of a payload as sent (keys sorted, no spaces): a retry has the same."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _check(index: int, event: dict[str, Any]) -> Incoming:
    item = Incoming(index=index, id=UUID(event["id"]))
    problem = event_problem(event)
    if problem is None:
        try:
            item.recorded_at = parse_time(event["recorded_at"])
        except ValueError as exc:
            problem = f"recorded_at: {exc}"
    if problem is not None:
        item.answer(REJECTED, f"invalid: {problem}")
        return item
    item.type, item.seq, item.payload = event["type"], event["seq"], event["payload"]
    item.digest = event_digest(event["payload"])
    return item


def events_push(*, terminal: Terminal, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply a batch (envelopes whose ``id`` is a UUID, checked by the view); one result per
    event, in request order."""
    received_at = timezone.now()
    checked = [_check(index, event) for index, event in enumerate(events)]
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
    _remember(context, [item for item in fresh if item.status == APPLIED])
    _settle_repeats(items)


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
            item.status = "repeat"  # answered like its first copy, see _settle_repeats
        first_seen.add(item.id)


def _settle_repeats(items: list[Incoming]) -> None:
    first: dict[UUID, Incoming] = {}
    for item in items:
        if item.status != "repeat":
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
    for item in applied:  # already in seq order
        skew = int((context.received_at - item.recorded_at).total_seconds())
        gap = item.seq - last - 1 if item.seq > last + 1 and last else 0
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
                gap,
            )
        )
        if gap:
            log.warning("terminal %s: %d events missing before %d", terminal.uuid, gap, item.seq)
    insert_rows(SyncEvent, SYNC_EVENT_FIELDS, rows)
    _notify_skew(context, newest_skew)


def _notify_skew(context: PushContext, skew_seconds: int) -> None:
    """Judged on the newest event of the batch: older ones may just have waited offline."""
    if abs(skew_seconds) <= SKEW_LIMIT.total_seconds():
        return
    terminal = context.terminal
    if not cache.add(f"sync:skew-notice:{terminal.pk}", 1, SKEW_NOTICE_EVERY_S):
        return
    minutes = round(skew_seconds / 60)
    direction = "behind" if minutes > 0 else "ahead of"
    notification_notify_store(
        store=terminal.store,
        kind="clock_skew",
        message=(
            f"Till {terminal.name} ({terminal.code}): its clock looks {abs(minutes)} minutes "
            f"{direction} the server's (or it was offline that long). Sales keep the till's "
            "times; please check its date and time."
        ),
        data={"terminal_id": str(terminal.uuid), "skew_seconds": skew_seconds},
    )
