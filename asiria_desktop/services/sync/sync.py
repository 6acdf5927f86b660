"""What the till's screens ask about sync: enrol, status, rejected events, history, retry.

The engine behind ``SyncControl`` lives in ``asiria_desktop/sync`` (wired by bootstrap); this
service turns its state into plain views and messages for the manager.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.permissions import Action
from asiria_desktop.domain.times import parse_rfc3339
from asiria_desktop.ports.cloud import (
    CloudError,
    ProgressCallback,
    SyncControl,
    SyncReport,
    SyncStatus,
)
from asiria_desktop.services.context import TillContext, storage_errors
from asiria_desktop.services.results import Approval
from asiria_desktop.services.signin.approvals import authorize, authorize_without_login
from asiria_desktop.services.sync.status import warning_note

SKIPPED_KEY = "sync.enrolment_skipped"
TRAINING_NOT_SENT = (
    "This till is in training mode: its practice sales are never sent to head office. To set "
    "up the real shop, close the till and start it with `asiria setup`."
)
EVENT_LABELS = {
    "sale.completed": "Sale",
    "sale.voided": "Void",
    "refund.created": "Refund",
    "shift.opened": "Shift opened",
    "shift.closed": "Shift closed",
    "cash.moved": "Cash in/out",
    "drawer.opened": "No sale",
    "stock.adjusted": "Stock adjustment",
    "goods.received": "Goods received",
}


class SyncProblem(DomainError):
    """A sync action could not be done; ``.message`` says why in plain words."""


@dataclass(frozen=True)
class RejectedEventView:
    id: str
    seq: int
    type: str
    label: str  # "Sale S01-T01-000017"
    recorded_at: str
    reason: str


@dataclass(frozen=True)
class SyncOverview:
    status: SyncStatus
    enrolled: bool
    terminal_text: str  # "Till 1 (terminal ...) at https://..." or "Not enrolled"
    pending: int
    rejected: tuple[RejectedEventView, ...]
    history: tuple[SyncReport, ...]
    warning: str | None  # the whole text, for "Details"
    warning_note: str = ""  # a calm one-line summary of ``warning``


class SyncService:
    def __init__(
        self,
        ctx: TillContext,
        link: SyncControl | None = None,
        *,
        default_server_url: str = "",
        default_name: str = "Till",
        training: bool = False,
    ) -> None:
        self._ctx = ctx
        self._link = link
        # Training mode (the first-run wizard's choice): practice sales never leave the till.
        self.training = training
        self.default_server_url = default_server_url  # the enrol form's first guess
        self.default_name = default_name

    @property
    def available(self) -> bool:
        return self._link is not None

    def _require(self) -> SyncControl:
        if self._link is None:
            raise SyncProblem("Sync is not available on this till.")
        return self._link

    def open_screen(self, approval: Approval | None = None) -> None:
        """May the sync screen open? It shows rejected events and retries and re-enrols the
        till: a manager's job. A cashier (or, at the login screen, nobody) gets
        ``ApprovalRequired`` and comes back with a manager's ``approval``; a manager or owner
        logged in goes straight in. Each opening is in the audit log with who approved it."""
        cashier = self._ctx.cashier
        if cashier is None:
            approver = authorize_without_login(self._ctx, Action.SYNC_SCREEN, approval)
            actor = approver
        else:
            approver = authorize(self._ctx, Action.SYNC_SCREEN, approval)
            actor = cashier.user_id
        with storage_errors("The sync screen was not opened"), self._ctx.uow() as uow:
            uow.audit.record(str(Action.SYNC_SCREEN), actor, approver, {}, self._ctx.clock.now())
            uow.commit()

    def is_enrolled(self) -> bool:
        return self._link is not None and self._link.terminal() is not None

    def should_offer_enrolment(self) -> bool:
        """The first-run question: not enrolled, and nobody chose "sell offline" before."""
        if self._link is None or self.training or self.is_enrolled():
            return False
        with self._ctx.uow(read_only=True) as uow:
            return uow.settings.get(SKIPPED_KEY) != "1"

    def skip_enrolment(self) -> None:
        with self._ctx.uow() as uow:
            uow.settings.set(SKIPPED_KEY, "1")
            uow.commit()

    def offer_enrolment_again(self) -> None:
        """``asiria setup``: the first-run wizard shows again on a till not enrolled."""
        with self._ctx.uow() as uow:
            uow.settings.set(SKIPPED_KEY, "0")
            uow.commit()

    def enroll(self, server_url: str, code: str, name: str) -> str:
        if self.training:
            raise SyncProblem(TRAINING_NOT_SENT)
        try:
            info = self._require().enroll(server_url, code, name)
        except CloudError as exc:
            raise SyncProblem(exc.message) from exc
        # Where the secret is kept (no system keyring) is a manager's note on the sync screen and
        # in ``overview().warning``: the owner setting the till up only needs to know it worked.
        return f"This till is now connected to the cloud as {info.name}."

    def sync_now(self, progress: ProgressCallback | None = None) -> SyncReport:
        if self.training:
            raise SyncProblem(TRAINING_NOT_SENT)
        return self._require().sync_now(progress)

    def request_sync(self) -> None:
        if self._link is not None and not self.training:
            self._link.request_sync()

    def retry_rejected(self, ids: list[str] | None = None) -> str:
        """Send rejected events again (after head office fixed what the cloud refused)."""
        with self._ctx.uow() as uow:
            count = uow.outbox.retry(ids)
            uow.commit()
        if count == 0:
            return "No rejected events to retry."
        self.request_sync()
        return f"{count} rejected events will be sent again."

    def overview(self, rejected_limit: int = 200) -> SyncOverview:
        link = self._require()
        status = link.status()
        info = link.terminal()
        with self._ctx.uow(read_only=True) as uow:
            rejected = uow.outbox.rejected(rejected_limit)
            pending = uow.outbox.count_unsent() - uow.outbox.count_rejected()
        if info is None:
            terminal = "This till is not enrolled: it sells offline and keeps every sale."
        else:
            terminal = f"{info.name} (terminal {info.terminal_id}) at {info.server_url}"
        return SyncOverview(
            status=status,
            enrolled=info is not None,
            terminal_text=terminal,
            pending=pending,
            rejected=tuple(
                RejectedEventView(
                    e.id,
                    e.seq,
                    e.type,
                    _label(e.type, e.payload),
                    e.recorded_at,
                    e.last_error or "",
                )
                for e in rejected
            ),
            history=tuple(link.history()),
            warning=status.warning,
            warning_note=warning_note(status.warning),
        )


def _label(event_type: str, payload: Mapping[str, object]) -> str:
    label = EVENT_LABELS.get(event_type, event_type)
    number = payload.get("receipt_no") or payload.get("reference")  # a delivery note number
    return f"{label} {number}" if number else label


def when_text(iso: str) -> str:
    """ "2026-11-24 13:05" from an RFC 3339 string (history rows)."""
    try:
        return parse_rfc3339(iso).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso
