"""``notice.read``: a manager or owner read one of the store's notices on a till.

The cloud's read state belongs to each person's inbox, so the event marks the reader's own row
of that notice and nobody else's. A notice the reader never received (they joined the store
later) or already read changes nothing; a reader who is not a manager or owner of this store
is refused, so a till cannot mark someone else's inbox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from cloud_api.accounts.models import Role, User
from cloud_api.core.errors import ApplicationError
from cloud_api.notifications.services import notice_mark_read_at_till
from cloud_api.sync.validation import parse_time

if TYPE_CHECKING:
    from cloud_api.sync.push_batch import PushContext

READER_ROLES = (Role.MANAGER, Role.OWNER)


def notice_read(context: PushContext, payload: dict[str, Any]) -> None:
    read_at = parse_time(payload["read_at"])
    reader = User.objects.filter(
        organisation=context.organisation, uuid=payload["reader_id"], role__in=READER_ROLES
    ).first()
    if reader is None or reader.store_id not in (None, context.terminal.store_id):
        raise ApplicationError(
            f"reader_id: {payload['reader_id']} is not a manager or owner of this store."
        )
    notice_mark_read_at_till(
        store=context.store, notice_id=UUID(payload["notice_id"]), reader=reader, read_at=read_at
    )
