"""The sync engine: enrolment, then push + pull under the till's sync lock, with state the
status bar and the manager's sync screen read. Implements ``ports.cloud.SyncControl``.

Threads: ``sync_now`` runs on the caller's thread (the scheduler's worker, the sync screen's
background runner, or ``asiria sync --once``); ``status`` and ``request_sync`` may be called from
any thread and never touch the network.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict

from asiria_desktop.domain.barcodes import VariableMeasureLayout
from asiria_desktop.domain.times import parse_rfc3339, rfc3339
from asiria_desktop.domain.wording import plural
from asiria_desktop.ports.clock import Clock
from asiria_desktop.ports.cloud import (
    CloudApi,
    CloudError,
    CloudUnavailable,
    Enroller,
    NotEnrolled,
    ProgressCallback,
    PullProgress,
    SyncBusy,
    SyncReport,
    SyncStatus,
    TerminalInfo,
    TerminalRevoked,
)
from asiria_desktop.ports.support_logs import LogBundle
from asiria_desktop.ports.sync_store import SyncStore
from asiria_desktop.ports.unit_of_work import UnitOfWorkFactory
from asiria_desktop.sync.client import HttpCloudClient, enroll, normalise_server_url
from asiria_desktop.sync.credentials import SecretStore
from asiria_desktop.sync.follow_ups import FollowUps
from asiria_desktop.sync.lock import SyncLock
from asiria_desktop.sync.puller import PAGE_SIZE, Puller
from asiria_desktop.sync.pusher import MAX_BATCH, Pusher

log = logging.getLogger(__name__)

ENROLLMENT_KEY = "enrollment"
REVOKED_KEY = "revoked"
LAST_SYNC_KEY = "last_sync_at"
HISTORY_KEY = "history"
CURSOR_KEY = "pull.cursor"
HISTORY_SIZE = 30
#: A sync that has heard nothing from the cloud for this long shows the till as offline ("not
#: answering") while the request waits out its timeout: a frozen server or a dead link shows
#: within seconds, not after the read timeout.
NOT_ANSWERING_S = 2.5
NOT_ANSWERING = "The cloud is not answering."

ApiFactory = Callable[[str, str, str], CloudApi]  # (server_url, client_id, secret)


def http_api(server_url: str, client_id: str, secret: str) -> CloudApi:
    return HttpCloudClient(server_url, client_id, secret)


class SyncEngine:
    def __init__(
        self,
        *,
        uow: UnitOfWorkFactory,
        store: SyncStore,
        secrets: SecretStore,
        lock: SyncLock,
        clock: Clock,
        layout: VariableMeasureLayout,
        enroller: Enroller = enroll,
        api_factory: ApiFactory = http_api,
        page_size: int = PAGE_SIZE,
        batch_size: int = MAX_BATCH,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow = uow
        self._store = store
        self._secrets = secrets
        self._lock = lock
        self._clock = clock
        self._enroller = enroller
        self._api_factory = api_factory
        self._pusher = Pusher(uow, clock, batch_size)
        self._puller = Puller(store, layout, page_size)
        self._state_lock = threading.Lock()
        self._api: tuple[str, CloudApi] | None = None  # (client_id, api): keeps its token
        self._online: bool | None = None
        self._error: str | None = None
        self._syncing = False
        self._again = False
        self._progress: PullProgress | None = None
        self.retry_after: float | None = None  # the server's last Retry-After, for the scheduler
        self.on_sync_requested: Callable[[], None] | None = None  # set by the scheduler
        self._monotonic = monotonic
        self._heard_at = 0.0  # monotonic time of the last sign of life during a sync
        self._listeners: list[Callable[[], None]] = []
        self.follow_ups = FollowUps()  # run after each sync that worked

    def on_change(self, listener: Callable[[], None]) -> None:
        with self._state_lock:
            self._listeners.append(listener)

    def _changed(self) -> None:
        with self._state_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener()
            except Exception:  # a screen's bug must not stop syncing
                log.exception("sync status listener failed")

    # ----- what the screens read -----------------------------------------------------------------

    def terminal(self) -> TerminalInfo | None:
        raw = self._store.get_state(ENROLLMENT_KEY)
        if not raw:
            return None
        try:
            return TerminalInfo(**json.loads(raw))
        except (TypeError, ValueError):
            log.error("the stored enrolment is unreadable; enrol this till again")
            return None

    def status(self) -> SyncStatus:
        with self._uow(read_only=True) as uow:
            unsent = uow.outbox.count_unsent()
            rejected = uow.outbox.count_rejected()
        info = self.terminal()
        revoked = self._store.get_state(REVOKED_KEY) if info is not None else None
        last = self._store.get_state(LAST_SYNC_KEY)
        with self._state_lock:
            online, error = self._online, self._error
            syncing, progress = self._syncing, self._progress
            silent_for = self._monotonic() - self._heard_at
        if syncing and online is not False and silent_for >= NOT_ANSWERING_S:
            online, error = False, NOT_ANSWERING
        if info is None:
            online, error = None, None
        elif revoked:
            online, error = False, revoked
        return SyncStatus(
            online=online,
            unsent_events=unsent,
            last_sync_at=parse_rfc3339(last) if last else None,
            error=error,
            enrolled=info is not None,
            revoked=bool(revoked),
            rejected_events=rejected,
            warning=self._secrets.warning(info.secret_location) if info else None,
            syncing=syncing,
            progress=progress,
        )

    def history(self, limit: int = 20) -> list[SyncReport]:
        raw = self._store.get_state(HISTORY_KEY)
        items = json.loads(raw) if raw else []
        return [SyncReport(**item) for item in items[:limit]]

    # ----- enrolment -----------------------------------------------------------------------------

    def enroll(self, server_url: str, code: str, name: str) -> TerminalInfo:
        """Get credentials with a one-time code; re-enrolling replaces the old ones."""
        url = normalise_server_url(server_url)
        if not code.strip():
            raise CloudError("Type the enrolment code head office gave you.")
        with self._lock.held():  # never swap credentials under a running push
            enrollment = self._enroller(url, code, name.strip() or "Till")
            old = self.terminal()
            location = self._secrets.put(enrollment.client_id, enrollment.client_secret)
            if old is not None and old.client_id != enrollment.client_id:
                self._secrets.forget(old.client_id)
            info = TerminalInfo(
                server_url=url,
                terminal_id=enrollment.terminal_id,
                store_id=enrollment.store_id,
                client_id=enrollment.client_id,
                name=name.strip() or "Till",
                enrolled_at=rfc3339(self._clock.now()),
                secret_location=location,
                store_code=enrollment.store_code,
                terminal_code=enrollment.terminal_code,
                store_name=enrollment.store_name,
            )
            if old is not None and old.store_id != info.store_id:
                self._store.set_state(CURSOR_KEY, None)  # another store: pull everything again
            self._store.set_state(ENROLLMENT_KEY, json.dumps(asdict(info)))
            self._store.set_state(REVOKED_KEY, None)
            with self._state_lock:
                self._api = None
                self._online, self._error = True, None
        log.info("till enrolled as terminal %s of store %s", info.terminal_id, info.store_id)
        self.request_sync()  # the first pull starts now, not at the next (maybe backed-off) tick
        return info

    # ----- syncing -------------------------------------------------------------------------------

    def request_sync(self) -> None:
        """After a sale: push soon, on the scheduler's thread. Never blocks, never raises."""
        with self._state_lock:
            if self._syncing:
                self._again = True  # the running sync pushes once more before it ends
                return
            offline = self._online is False
        trigger = self.on_sync_requested
        if trigger is None or offline:
            return  # offline: the backoff schedule retries; no network storm at every sale
        try:
            trigger()
        except Exception:
            log.exception("could not schedule a push")

    def sync_now(self, progress: ProgressCallback | None = None) -> SyncReport:
        """Push, then pull. Always returns a report; ``ok`` says whether it all worked."""
        started = rfc3339(self._clock.now())
        info = self.terminal()
        if info is None:
            return self._report(
                False, started, message=NotEnrolled().message, outcome="not_enrolled", keep=False
            )
        try:
            with self._lock.held():
                report = self._locked_sync(info, started, progress)
        except SyncBusy as exc:
            return self._report(False, started, message=exc.message, outcome="busy", keep=False)
        if report.ok:
            self.follow_ups.run()
        return report

    def _locked_sync(
        self, info: TerminalInfo, started: str, progress: ProgressCallback | None
    ) -> SyncReport:
        with self._state_lock:
            self._syncing, self._again, self._progress = True, False, None
            self._heard_at = self._monotonic()
        self._changed()
        pushed = duplicates = rejected = pulled = 0
        try:
            api = self._client(info)
            while True:
                outcome = self._pusher.push(api)
                self._heard_from_cloud()
                pushed += outcome.sent - outcome.duplicates
                duplicates += outcome.duplicates
                rejected += outcome.rejected
                pulled += self._puller.pull(api, self._progress_to(progress)).changes
                with self._state_lock:
                    again, self._again = self._again, False
                if not again:
                    break
        except TerminalRevoked as exc:
            self._store.set_state(REVOKED_KEY, exc.message)
            self._set(online=False, error=exc.message)
            log.warning("sync refused: %s", exc.message)
            return self._report(
                False, started, pushed, duplicates, rejected, pulled, exc.message, "revoked"
            )
        except CloudError as exc:
            self.retry_after = exc.retry_after if isinstance(exc, CloudUnavailable) else None
            self._set(online=not isinstance(exc, CloudUnavailable), error=exc.message)
            log.info("sync failed: %s", exc.message)
            kind = "offline" if isinstance(exc, CloudUnavailable) else "error"
            return self._report(
                False, started, pushed, duplicates, rejected, pulled, exc.message, kind
            )
        except Exception as exc:  # the till's own side failed (disk full...): nothing half-done
            log.exception("sync failed on the till")
            message = f"The till could not save what the cloud sent ({exc}). It will try again."
            self._set(online=True, error=message)
            return self._report(
                False, started, pushed, duplicates, rejected, pulled, message, "error"
            )
        finally:
            with self._state_lock:
                self._syncing, self._progress = False, None
            self._changed()
        self.retry_after = None
        if self._store.get_state(REVOKED_KEY) is not None:
            self._store.set_state(REVOKED_KEY, None)
        self._store.set_state(LAST_SYNC_KEY, rfc3339(self._clock.now()))
        self._set(online=True, error=None)
        self._changed()
        sent, received = plural(pushed + duplicates, "event"), plural(pulled, "change")
        message = f"Sent {sent}, received {received}."
        if rejected:
            were = "was" if rejected == 1 else "were"
            message += f" {plural(rejected, 'event')} {were} rejected: see the sync screen."
        # A sync that found nothing to do (every minute on a quiet till) is not history.
        idle = pushed + duplicates + rejected + pulled == 0
        return self._report(
            True, started, pushed, duplicates, rejected, pulled, message, keep=not idle
        )

    def send_logs(self, bundle: LogBundle, days: int, note: str) -> None:
        """The till's recent logs to the cloud it is enrolled with (``ports.support_logs``)."""
        info = self.terminal()
        if info is None:
            raise CloudError("This till is not connected to head office: enrol it first.")
        api = self._client(info)
        send = getattr(api, "send_logs", None)
        if send is None:
            raise CloudError("This till's cloud connection cannot take logs.")
        send(bundle, days, note)
        self._heard_from_cloud()

    def connection(self) -> tuple[CloudApi, TerminalInfo]:
        """This till's authenticated client and enrolment, for calls beside sync (M-Pesa)."""
        info = self.terminal()
        if info is None:
            raise NotEnrolled()
        return self._client(info), info

    # ----- helpers -------------------------------------------------------------------------------

    def _client(self, info: TerminalInfo) -> CloudApi:
        with self._state_lock:
            cached = self._api
        if cached is not None and cached[0] == info.client_id:
            return cached[1]
        secret = self._secrets.get(info.client_id, info.secret_location)
        if secret is None:
            raise TerminalRevoked(
                "This till's cloud password is missing from the keyring: enrol the till again."
            )
        api = self._api_factory(info.server_url, info.client_id, secret)
        with self._state_lock:
            self._api = (info.client_id, api)
        return api

    def _progress_to(self, callback: ProgressCallback | None) -> ProgressCallback:
        def report(progress: PullProgress) -> None:
            with self._state_lock:
                self._progress = progress
                self._heard_at = self._monotonic()
            if callback is not None:
                callback(progress)

        return report

    def _heard_from_cloud(self) -> None:
        with self._state_lock:
            self._heard_at = self._monotonic()

    def _set(self, *, online: bool, error: str | None) -> None:
        with self._state_lock:
            self._online, self._error = online, error

    def _report(
        self,
        ok: bool,
        started: str,
        pushed: int = 0,
        duplicates: int = 0,
        rejected: int = 0,
        pulled: int = 0,
        message: str = "",
        outcome: str = "ok",
        *,
        keep: bool = True,
    ) -> SyncReport:
        with self._uow(read_only=True) as uow:
            pending = uow.outbox.count_unsent() - uow.outbox.count_rejected()
        report = SyncReport(
            ok=ok,
            started_at=started,
            finished_at=rfc3339(self._clock.now()),
            pushed=pushed,
            duplicates=duplicates,
            rejected=rejected,
            pending=pending,
            pulled=pulled,
            message=message,
            outcome=outcome,
        )
        if keep:
            raw = self._store.get_state(HISTORY_KEY)
            items = json.loads(raw) if raw else []
            items.insert(0, asdict(report))
            self._store.set_state(HISTORY_KEY, json.dumps(items[:HISTORY_SIZE]))
        return report
