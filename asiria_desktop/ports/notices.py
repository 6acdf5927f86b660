"""Store notices pulled from head office (low stock, oversell, M-Pesa codes that did not
check out...) and who has seen them on this till."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class NoticeRecord:
    id: str
    kind: str
    message: str
    created_at: str  # RFC 3339, the cloud's clock
    audience: str = "managers"  # who may see it on a till: "managers" (managers and owners)
    read_by: tuple[str, ...] = ()  # people who read it in their head-office inbox


@dataclass(frozen=True)
class StoredNotice:
    record: NoticeRecord
    seen_here: bool  # the person asked about opened it on this till


class NoticeStore(Protocol):
    def notices_for(self, user_id: str, audiences: Sequence[str], limit: int) -> list[StoredNotice]:
        """Newest first, with whether ``user_id`` has seen each one on this till."""
        ...

    def mark_seen(self, user_id: str, notice_ids: Sequence[str], at: datetime) -> int:
        """Remember that ``user_id`` saw these notices, and queue a ``notice.read`` event for
        head office for each one not seen before, in one transaction. Returns how many."""
        ...
