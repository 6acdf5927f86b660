"""A manager sends the till's last days of logs to head office, for support."""

from __future__ import annotations

import logging

from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.permissions import Action
from asiria_desktop.ports.cloud import CloudError, CloudUnavailable
from asiria_desktop.ports.support_logs import LogSource, LogUploader
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.results import Approval
from asiria_desktop.services.signin.approvals import authorize, authorize_without_login

log = logging.getLogger(__name__)

DEFAULT_DAYS = 3
MAX_DAYS = 14


class LogsNotSent(DomainError):
    """The logs did not reach head office; ``.message`` says why and what to do."""


class SupportLogService:
    def __init__(self, ctx: TillContext, source: LogSource, uploader: LogUploader | None) -> None:
        self._ctx = ctx
        self._source = source
        self._uploader = uploader

    def may_send(self, approval: Approval | None = None) -> None:
        """Raises ``ApprovalRequired`` unless a manager or owner is signed in or approved."""
        if self._ctx.cashier is None:
            authorize_without_login(self._ctx, Action.SYNC_SCREEN, approval)
        else:
            authorize(self._ctx, Action.SYNC_SCREEN, approval)

    def send(
        self, days: int = DEFAULT_DAYS, note: str = "", approval: Approval | None = None
    ) -> str:
        """Send the last ``days`` days of logs; a manager's job (as the sync screen is).

        Returns a plain sentence for the manager; raises ``LogsNotSent`` with one."""
        self.may_send(approval)
        if self._uploader is None:
            raise LogsNotSent("This till cannot send logs: it has no connection to head office.")
        days = min(max(1, days), MAX_DAYS)
        bundle = self._source.recent(days)
        if bundle.lines == 0:
            return f"There are no log lines from the last {_days(days)} to send."
        try:
            self._uploader.send_logs(bundle, days, note.strip()[:500])
        except CloudUnavailable as exc:
            raise LogsNotSent(
                f"The logs were not sent: {exc.message} Try again when the till is online."
            ) from exc
        except CloudError as exc:
            raise LogsNotSent(f"The logs were not sent: {exc.message}") from exc
        log.info("sent %d log lines (%d days) to head office", bundle.lines, days)
        size = max(1, round(len(bundle.gzipped) / 1024))
        text = (
            f"Sent the till's logs of the last {_days(days)} to head office "
            f"({bundle.lines:,} lines, {size:,} KB)."
        )
        if bundle.truncated:
            text += " The oldest lines were left out to keep the file small."
        return text


def _days(days: int) -> str:
    return "day" if days == 1 else f"{days} days"
