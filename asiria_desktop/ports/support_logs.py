"""Sending the till's recent logs to the cloud for support: where they come from, where they go."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class LogBundle:
    """The last days of log lines, gzip-compressed JSON lines."""

    gzipped: bytes
    lines: int
    first_at: str | None  # RFC 3339, the oldest line
    last_at: str | None
    truncated: bool  # the oldest lines were left out to stay under the size limit


class LogSource(Protocol):
    def recent(self, days: int) -> LogBundle: ...


class LogUploader(Protocol):
    def send_logs(self, bundle: LogBundle, days: int, note: str) -> None:
        """Raises ``ports.cloud.CloudError`` (offline, not enrolled, refused) with a message."""
        ...
