"""What the status bar shows: online/offline, unsent events, last successful sync."""

from __future__ import annotations

from asiria_desktop.ports.cloud import CloudLink
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.views import StatusView


class StatusService:
    def __init__(self, ctx: TillContext, cloud: CloudLink | None = None) -> None:
        self._ctx = ctx
        self._cloud = cloud  # filled in by the sync issue; until then the till is offline-only

    def snapshot(self) -> StatusView:
        with self._ctx.uow(read_only=True) as uow:
            unsent = uow.outbox.count_unsent()
        if self._cloud is None:
            waiting = "nothing waiting" if unsent == 0 else f"{unsent} events waiting to be sent"
            return StatusView(None, unsent, None, f"Working offline: {waiting}.")
        status = self._cloud.status()
        if status.online:
            message = "Online" + (f", sending {unsent} events." if unsent else ", all sent.")
        else:
            message = f"Offline: {unsent} events will be sent when the network is back."
            if status.error:
                message += f" ({status.error})"
        return StatusView(status.online, unsent, status.last_sync_at, message)
