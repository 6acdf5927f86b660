"""``audit.recorded``: a row of a till's append-only audit log, kept for head office.

Idempotent twice over: the push dedupes the event id, and the audit row's own id is unique, so
a row a till queues again (a database restored from its backup) is accepted when it is the same
row and refused when something else claims its id.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cloud_api.accounts.models import User
from cloud_api.core.errors import ApplicationError
from cloud_api.sync.models import TillAuditEntry
from cloud_api.sync.validation import parse_time

if TYPE_CHECKING:
    from cloud_api.sync.push_batch import PushContext

MAX_DETAILS_CHARS = 4000


def audit_record(context: PushContext, payload: dict[str, Any]) -> None:
    details = payload["details"]
    if len(json.dumps(details, ensure_ascii=False)) > MAX_DETAILS_CHARS:
        raise ApplicationError(f"audit details longer than {MAX_DETAILS_CHARS} characters")
    occurred_at = parse_time(payload["at"])
    existing = TillAuditEntry.objects.filter(record_id=payload["id"]).first()
    if existing is not None:
        same = (
            existing.organisation_id == context.organisation.pk
            and existing.terminal_id == context.terminal.pk
            and existing.action == payload["action"]
            and existing.details == details
        )
        if same:
            return
        raise ApplicationError("another audit row already has this id")
    people = _people(context, payload["actor_id"], payload["approver_id"])
    TillAuditEntry.objects.create(
        record_id=payload["id"],
        organisation=context.organisation,
        store_id=context.terminal.store_id,
        terminal=context.terminal,
        action=payload["action"],
        actor_uuid=payload["actor_id"],
        approver_uuid=payload["approver_id"],
        actor=people.get(payload["actor_id"]),
        approver=people.get(payload["approver_id"]),
        details=details,
        occurred_at=occurred_at,
    )


def _people(context: PushContext, *uuids: str | None) -> dict[str | None, User]:
    """The organisation's people among these ids (another organisation's are not looked up)."""
    wanted = {uuid for uuid in uuids if uuid}
    if not wanted:
        return {}
    users = User.objects.filter(organisation=context.organisation, uuid__in=wanted)
    return {str(user.uuid): user for user in users}
