"""What the status bar shows: online/offline, unsent events, last successful sync, why not."""

from __future__ import annotations

from asiria_desktop.ports.cloud import CloudLink
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.views import StatusView


class StatusService:
    def __init__(self, ctx: TillContext, cloud: CloudLink | None = None) -> None:
        self._ctx = ctx
        self._cloud = cloud

    def snapshot(self) -> StatusView:
        if self._cloud is None:
            with self._ctx.uow(read_only=True) as uow:
                unsent = uow.outbox.count_unsent()
            waiting = "nothing waiting" if unsent == 0 else f"{unsent} events waiting to be sent"
            return StatusView(None, unsent, None, f"Working offline: {waiting}.")
        status = self._cloud.status()
        unsent = status.unsent_events
        last = status.last_sync_at
        last_text = f"Last sync {last.strftime('%d %b %H:%M')}" if last else "Never synced"
        progress = (status.progress.applied, status.progress.total) if status.progress else None
        if not status.enrolled:
            waiting = "nothing waiting" if unsent == 0 else f"{unsent} events waiting to be sent"
            network = "Offline (not enrolled)"
            message = f"Working offline, not connected to the cloud: {waiting}."
            last_text = ""
        elif status.revoked:
            network = "Disconnected by head office"
            message = f"{status.error} Sales go on and are kept on this till."
        elif status.online:
            network = "Online"
            message = "Online" + (f", sending {unsent} events." if unsent else ", all sent.")
        elif status.online is None:
            network = "Connecting..."
            message = f"Connecting to the cloud: {unsent} events waiting."
        else:
            network = "Offline"
            message = f"Offline: {unsent} events will be sent when the network is back."
            if status.error:
                message += f" ({status.error})"
        if status.rejected_events:
            message += (
                f" {status.rejected_events} events were rejected by the cloud:"
                " a manager should look at the sync screen."
            )
        return StatusView(
            online=status.online,
            unsent_events=unsent,
            last_sync_at=last,
            message=message,
            network_text=network,
            last_sync_text=last_text,
            error=status.error,
            rejected_events=status.rejected_events,
            warning=status.warning,
            progress=progress,
        )
