"""Push the outbox: pending events in ``seq`` order, batches of up to 500, per-event results.

applied / duplicate -> sent; rejected -> kept as ``rejected`` with the reason (shown to the
manager, retried only when asked); an event the server did not answer for stays pending for the
next run, and the run goes on with the events after it (one pass in ``seq`` order). If
the server refuses a whole request for its body (HTTP 400, 409, 413, 415, 422), the batch is
split in halves until the one bad event is alone and rejected, so it never blocks the others and
is never sent again by itself. If the server fails on the same batch twice in a row (HTTP 500),
halves find the event it fails on; that one stays pending, the others go. Network errors leave
everything pending.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata

from asiria_desktop.ports.clock import Clock
from asiria_desktop.ports.cloud import (
    BatchRefused,
    ClientReport,
    CloudApi,
    PushResult,
    ServerFault,
)
from asiria_desktop.ports.records import OutboxEntry
from asiria_desktop.ports.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)

MAX_BATCH = 500  # the contract's maxItems


def installed_version() -> str:
    """The till's version as installed (told to the cloud with each push)."""
    try:
        return metadata.version("asiriapos")
    except metadata.PackageNotFoundError:
        return "0+unknown"


@dataclass(frozen=True)
class Bookkeeping:
    """What to do with each event of a batch, given the server's answers."""

    sent: list[str] = field(default_factory=list)
    duplicates: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)


def classify(batch: Sequence[OutboxEntry], results: Sequence[PushResult]) -> Bookkeeping:
    """Pure: answers for ids not in the batch are ignored; an unknown status leaves the event
    pending (a newer server's status we don't know is not a reason to drop or reject it)."""
    by_id = {r.id: r for r in results}
    book = Bookkeeping()
    duplicates = 0
    for entry in batch:
        result = by_id.get(entry.id)
        if result is None or result.status not in ("applied", "duplicate", "rejected"):
            book.unanswered.append(entry.id)
        elif result.status == "rejected":
            book.rejected.append((entry.id, result.error or "rejected by the cloud (no reason)"))
        else:
            book.sent.append(entry.id)
            duplicates += result.status == "duplicate"
    return Bookkeeping(book.sent, duplicates, book.rejected, book.unanswered)


@dataclass
class PushOutcome:
    sent: int = 0
    duplicates: int = 0
    rejected: int = 0
    unanswered: int = 0
    audit_sent: int = 0  # audit.recorded events, counted apart from the business events


class Pusher:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        batch_size: int = MAX_BATCH,
        app_version: str | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._app_version = app_version or installed_version()
        self._report: ClientReport | None = None  # sent with every request of a batch
        self._batch_size = max(1, min(batch_size, MAX_BATCH))
        # The first event of the last batch the cloud failed on (HTTP 500): failing on the
        # same batch twice in a row, it is sent in halves to find the event at fault.
        self._failed_from: str | None = None

    def push(self, api: CloudApi) -> PushOutcome:
        """Until nothing is pending (or the server stops answering for what we send).

        Business events go first; once they are through, the audit log's new rows are queued
        and sent (``audit.recorded``), so a sale never waits behind the log and an offline till
        does not pile log rows into the outbox. Audit events are counted apart (``audit_sent``).
        Raises the ``CloudError`` of a failed request; what was recorded before stays recorded.
        """
        outcome = self._push_pending(api)
        while self._queue_audit_rows():
            audit = self._push_pending(api)
            outcome.audit_sent += audit.sent
            outcome.rejected += audit.rejected
            outcome.unanswered += audit.unanswered
        return outcome

    def _push_pending(self, api: CloudApi) -> PushOutcome:
        outcome = PushOutcome()
        after_seq = 0  # one pass through the outbox in seq order (new events come after)
        while True:
            with self._uow(read_only=True) as uow:
                batch = uow.outbox.pending(self._batch_size, after_seq)
                unsent = uow.outbox.count_unsent()
            self._report = ClientReport(self._app_version, unsent)
            if not batch:
                return outcome
            after_seq = batch[-1].seq
            book = classify(batch, self._send(api, batch))
            self._record(book)
            outcome.sent += len(book.sent)
            outcome.duplicates += book.duplicates
            outcome.rejected += len(book.rejected)
            if book.unanswered:  # they stay pending for the next run; the others go on
                log.warning("the cloud did not answer for %d events", len(book.unanswered))
                outcome.unanswered += len(book.unanswered)

    def _queue_audit_rows(self) -> int:
        """Queue up to one batch of new audit rows as outbox events; how many were queued."""
        with self._uow() as uow:
            queued = uow.audit.queue_for_head_office(self._batch_size)
            uow.commit()
        return queued

    def _send(
        self, api: CloudApi, batch: list[OutboxEntry], *, isolate: bool = True
    ) -> list[PushResult]:
        try:
            return api.push([entry.envelope() for entry in batch], self._report)
        except BatchRefused as exc:
            if len(batch) == 1:
                return [PushResult(batch[0].id, "rejected", f"refused by the cloud: {exc.message}")]
            middle = len(batch) // 2
            return self._send(api, batch[:middle], isolate=isolate) + self._send(
                api, batch[middle:], isolate=isolate
            )
        except ServerFault:
            if not isolate or len(batch) == 1:
                raise
            if self._failed_from != batch[0].id:
                # Once may be a passing fault: the next run sends the batch whole again.
                self._failed_from = batch[0].id
                raise
            self._failed_from = None
            return self._isolate(api, batch)

    def _isolate(self, api: CloudApi, batch: list[OutboxEntry]) -> list[PushResult]:
        """The cloud failed (HTTP 500) on this batch: send it in halves, so one event it
        fails on does not hold back the others. If both halves fail too, the server is
        broken rather than one event: give up until the next run (three requests, not a
        thousand). An event it fails on alone stays pending and is tried again next run."""
        middle = len(batch) // 2
        answers: list[PushResult] = []
        failing: list[list[OutboxEntry]] = []
        for half in (batch[:middle], batch[middle:]):
            try:
                answers += self._send(api, half, isolate=False)
            except ServerFault:
                failing.append(half)
        if len(failing) == 2:
            raise ServerFault("The cloud failed on every part of the batch (HTTP 500).")
        for half in failing:
            if len(half) > 1:
                answers += self._isolate(api, half)
            else:
                log.warning("the cloud fails on event %s; it stays pending", half[0].id)
        return answers

    def _record(self, book: Bookkeeping) -> None:
        if not book.sent and not book.rejected:
            return
        with self._uow() as uow:
            uow.outbox.mark_sent(book.sent, self._clock.now())
            for event_id, error in book.rejected:
                uow.outbox.mark_rejected(event_id, error)
            uow.commit()
