"""The events of a push batch as the cloud reads them: each one checked against the contract
and fingerprinted, with the answer it gets, and the context a batch is applied in."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from cloud_api.accounts.models import Organisation, Store, Terminal
from cloud_api.core.parsers import LONE_SURROGATE
from cloud_api.reporting.services import SharedRows
from cloud_api.sync.push_status import REJECTED, PushStatus
from cloud_api.sync.validation import event_problem, parse_time


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
    status: PushStatus | None = None
    error: str | None = None
    # A second copy of an event earlier in the same batch: answered like that first copy.
    repeats_earlier: bool = False

    def answer(self, status: PushStatus, error: str | None = None) -> None:
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
    # The applied sales' chain-wide report sums, written as the batch's last statement.
    shared_rows: SharedRows = field(default_factory=SharedRows)

    @property
    def store(self) -> Store:
        return self.terminal.store


def event_digest(payload: Any) -> str:
    """Fingerprint of a payload as sent (keys sorted, no spaces): a retry has the same."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def check_event(index: int, event: dict[str, Any]) -> Incoming:
    item = Incoming(index=index, id=UUID(event["id"]))
    # Kept even for an invalid event, so its rejection is filed under its seq number.
    if isinstance(event.get("seq"), int) and not isinstance(event.get("seq"), bool):
        item.seq = event["seq"]
    if isinstance(event.get("type"), str):
        item.type = event["type"][:20].encode("utf-8", "replace").decode()
    try:
        # A lone surrogate ("\ud800") cannot be stored or even checked: this event only is
        # refused (the fingerprint is the cheapest full walk of the payload that finds it).
        digest = event_digest(event.get("payload"))
        problem = event_problem(event)
    except UnicodeEncodeError:
        item.answer(REJECTED, f"invalid: the event holds {LONE_SURROGATE}")
        return item
    if problem is None:
        try:
            item.recorded_at = parse_time(event["recorded_at"])
        except ValueError as exc:
            problem = f"recorded_at: {exc}"
    if problem is not None:
        item.answer(REJECTED, f"invalid: {problem}")
        return item
    item.type, item.seq, item.payload = event["type"], event["seq"], event["payload"]
    item.digest = digest
    return item
