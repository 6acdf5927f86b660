"""What the till knows about its link to the cloud (ARCHITECTURE.md 6, docs/design/sync.md).

Two ports: ``CloudApi`` is the wire (enrol, push, pull; ``sync/client.py`` speaks HTTP), and
``SyncControl`` is what the services ask of the sync engine (status, enrol, sync now, history).
Services never see ``requests`` or the engine's threads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

# ----- errors: each carries a plain-language ``message`` a manager can read ----------------------


class CloudError(Exception):
    """Talking to the cloud failed. ``retryable`` errors leave every event pending."""

    retryable = True

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CloudUnavailable(CloudError):
    """No network, a timeout, a dropped connection, 5xx or 429: try again later."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ServerFault(CloudUnavailable):
    """The cloud failed on this very request (HTTP 500): maybe on one event of a batch, so
    the pusher sends the batch in halves to let the others through."""


class TerminalRevoked(CloudError):
    """Head office disconnected this till (or its credentials no longer work): enrol again."""

    retryable = False


class EnrollmentRefused(CloudError):
    """The enrolment code was used, expired or unknown (HTTP 400)."""

    retryable = False


class BatchRefused(CloudError):
    """The server refused a whole push request for its body (HTTP 400, 409, 413, 415, 422):
    sending it again would be refused again, so the pusher splits the batch."""

    retryable = False


class NotEnrolled(CloudError):
    retryable = False

    def __init__(self) -> None:
        super().__init__("This till is not connected to the cloud yet: enrol it first.")


class SyncBusy(CloudError):
    """Another sync (this till's window, or ``asiria sync --once``) is running right now."""

    def __init__(self) -> None:
        super().__init__("A sync is already running on this till; try again in a moment.")


# ----- the wire --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrollment:
    """The answer of ``POST /api/v1/terminals/enroll/`` (the secret never leaves this object
    except into the credential store)."""

    terminal_id: str
    store_id: str
    client_id: str
    client_secret: str = field(repr=False)
    store_code: str | None = None
    terminal_code: str | None = None
    store_name: str | None = None
    currency: str | None = None
    time_zone: str | None = None


@dataclass(frozen=True)
class PushResult:
    id: str
    status: str  # "applied" | "duplicate" | "rejected"
    error: str | None = None


@dataclass(frozen=True)
class Change:
    seq: int
    entity: str
    op: str  # "upsert" | "delete"
    data: dict[str, Any]


@dataclass(frozen=True)
class PullPage:
    changes: list[Change]
    cursor: str
    has_more: bool
    remaining: int | None = None  # optional v1 addition: changes still to come after this page


@dataclass(frozen=True)
class ClientReport:
    """What the till says about itself with a push (optional ``client`` of the request)."""

    app_version: str
    unsent_count: int

    def to_wire(self) -> dict[str, Any]:
        return {"app_version": self.app_version, "unsent_count": self.unsent_count}


class CloudApi(Protocol):
    """One server, one terminal's credentials. Every method raises a ``CloudError``."""

    def push(
        self, events: list[dict[str, Any]], client: ClientReport | None = None
    ) -> list[PushResult]: ...

    def pull(self, cursor: str, limit: int) -> PullPage: ...


class Enroller(Protocol):
    def __call__(self, server_url: str, code: str, name: str) -> Enrollment: ...


# ----- what the services see -------------------------------------------------------------------


@dataclass(frozen=True)
class PullProgress:
    applied: int  # changes applied so far in this pull
    total: int | None  # applied + remaining, when the server says


ProgressCallback = Callable[[PullProgress], None]


@dataclass(frozen=True)
class SyncStatus:
    online: bool | None  # None: not enrolled, or not tried yet
    unsent_events: int
    last_sync_at: datetime | None
    error: str | None
    enrolled: bool = False
    revoked: bool = False
    rejected_events: int = 0
    warning: str | None = None  # e.g. the secret is in a file because there is no OS keyring
    syncing: bool = False
    progress: PullProgress | None = None


@dataclass(frozen=True)
class TerminalInfo:
    server_url: str
    terminal_id: str
    store_id: str
    client_id: str
    name: str
    enrolled_at: str
    secret_location: str  # "keyring" | "file"
    store_code: str | None = None
    terminal_code: str | None = None
    store_name: str | None = None


@dataclass(frozen=True)
class SyncReport:
    """One run of push + pull, as kept in the sync history."""

    ok: bool
    started_at: str
    finished_at: str
    pushed: int = 0
    duplicates: int = 0
    rejected: int = 0
    pending: int = 0
    pulled: int = 0
    message: str = ""
    outcome: str = "ok"  # ok | offline | busy | not_enrolled | revoked | error


class CloudLink(Protocol):
    def status(self) -> SyncStatus: ...

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call ``listener`` (on the sync thread, never blocking it) when a sync starts or ends,
        so a screen shows the new state and unsent count at once instead of at its next poll."""
        ...


class SyncControl(CloudLink, Protocol):
    def terminal(self) -> TerminalInfo | None: ...

    def enroll(self, server_url: str, code: str, name: str) -> TerminalInfo: ...

    def sync_now(self, progress: ProgressCallback | None = None) -> SyncReport:
        """Push then pull, now, on the calling thread. Never raises a ``CloudError``: the
        report says what happened (``outcome`` "busy" when another sync is running)."""
        ...

    def request_sync(self) -> None:
        """Ask for a push soon, without waiting (called right after a sale is committed)."""
        ...

    def history(self, limit: int = 20) -> list[SyncReport]: ...
