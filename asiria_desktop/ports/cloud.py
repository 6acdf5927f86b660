"""Placeholder for the sync issue: what the till knows about its link to the cloud."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None
    unsent_events: int
    last_sync_at: datetime | None
    error: str | None


class CloudLink(Protocol):
    def status(self) -> SyncStatus: ...
