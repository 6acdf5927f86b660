"""Fingerprints through fprintd (Linux), over D-Bus with jeepney (pure Python, no GTK).

fprintd keeps prints per unix user name, and ``Claim(username)`` picks whose prints to use. The
till gives each enrolled person one account from a pool of locked system accounts the package
creates (``asiria-fp01``...; see docs/hardware.md): verification is then 1:1 against that
account's prints, so one cashier's finger can never sign another in. The person is picked on
screen first (``identifies_person`` is False); the touch confirms them. fprintd matches on the
till itself: no network.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Protocol

from asiria_desktop.domain.biometrics import (
    BiometricAlreadyEnrolled,
    BiometricCancelled,
    BiometricError,
    BiometricKind,
    BiometricNotRecognised,
    BiometricUnavailable,
)
from asiria_desktop.ports.biometrics import NewCredential, StoredCredential, Verification

SERVICE = "net.reactivated.Fprint"
MANAGER_PATH = "/net/reactivated/Fprint/Manager"
MANAGER = "net.reactivated.Fprint.Manager"
DEVICE = "net.reactivated.Fprint.Device"
ENROL_FINGER = "right-index-finger"
DEFAULT_ACCOUNTS = tuple(f"asiria-fp{n:02d}" for n in range(1, 41))


class DBusMessage(Protocol):
    @property
    def body(self) -> tuple[object, ...]: ...


class DBusConnection(Protocol):
    """What is used of ``jeepney.io.blocking.DBusConnection`` (jeepney ships no types)."""

    def send_and_get_reply(self, message: object, *, timeout: float) -> DBusMessage: ...

    def filter(
        self, rule: object, *, queue: deque[DBusMessage]
    ) -> AbstractContextManager[deque[DBusMessage]]: ...

    def recv_until_filtered(self, queue: deque[DBusMessage], *, timeout: float) -> DBusMessage: ...

    def close(self) -> None: ...


# fprintd's VerifyStatus / EnrollStatus results that mean "touch again", not a verdict.
RETRY = {
    "verify-retry-scan": "Touch the reader again.",
    "verify-swipe-too-short": "Swipe was too short. Touch again.",
    "verify-finger-not-centered": "Put your finger in the middle of the reader.",
    "verify-remove-and-retry": "Lift your finger and touch again.",
    "enroll-retry-scan": "Touch the reader again.",
    "enroll-swipe-too-short": "Swipe was too short. Touch again.",
    "enroll-finger-not-centered": "Put the finger in the middle of the reader.",
    "enroll-remove-and-retry": "Lift the finger and touch again.",
    "enroll-stage-passed": "Good. Lift and touch again.",
}


class FprintdVerifier:
    kind = str(BiometricKind.FINGERPRINT)
    identifies_person = False

    def __init__(
        self,
        bus: str = "SYSTEM",
        accounts: Sequence[str] = DEFAULT_ACCOUNTS,
        timeout_s: float = 30.0,
    ) -> None:
        """``bus``: "SYSTEM" (where fprintd lives) or a D-Bus address. ``accounts``: the pool
        of system accounts that hold the prints, one per enrolled person."""
        self._bus = bus
        self._accounts = tuple(accounts)
        self._timeout_s = timeout_s
        self._cancel = threading.Event()
        self.last_hint = ""  # the reader's latest "touch again" hint, for the screen

    def unavailable_reason(self) -> str | None:
        try:
            with self._connection() as conn:
                self._device(conn)
        except BiometricError as exc:
            return exc.message
        return None

    def enrol(
        self, user_id: str, user_name: str, existing: Sequence[StoredCredential]
    ) -> NewCredential:
        used = {c.reference for c in existing if c.kind == self.kind}
        free = [a for a in self._accounts if a not in used]
        if not free:
            raise BiometricAlreadyEnrolled(
                f"All {len(self._accounts)} fingerprint places of this till are in use. Remove "
                "the fingerprint of someone who left, then try again."
            )
        account = free[0]
        self._cancel.clear()
        with self._connection() as conn, self._claimed(conn, account) as device:
            # The account may hold the print of someone removed earlier: start clean.
            with suppress(BiometricError):
                self._call(conn, device, "DeleteEnrolledFingers2")
            self._run(conn, device, "EnrollStart", "EnrollStop", "EnrollStatus", ENROL_FINGER)
        return NewCredential(
            reference=account, public_key=None, sign_count=0, label=f"Fingerprint ({account})"
        )

    def verify(self, candidates: Sequence[StoredCredential]) -> Verification:
        mine = [c for c in candidates if c.kind == self.kind]
        if len(mine) != 1:
            raise BiometricNotRecognised(
                "Pick your name first, then touch the fingerprint reader."
                if mine
                else "No fingerprint is enrolled for this person. Use your PIN."
            )
        credential = mine[0]
        self._cancel.clear()
        with self._connection() as conn, self._claimed(conn, credential.reference) as device:
            fingers = self._call(conn, device, "ListEnrolledFingers", "s", credential.reference)
            if not fingers or not fingers[0]:
                raise BiometricNotRecognised(
                    "The reader holds no fingerprint for this person. Ask a manager to enrol it."
                )
            self._run(conn, device, "VerifyStart", "VerifyStop", "VerifyStatus", "any")
        return Verification(credential.id, 0)

    def cancel(self) -> None:
        self._cancel.set()

    # ---------------------------------------------------------------------------------------

    @contextmanager
    def _connection(self) -> Iterator[DBusConnection]:
        from jeepney.io.blocking import open_dbus_connection

        try:
            conn: DBusConnection = open_dbus_connection(bus=self._bus)
        except (OSError, KeyError, ValueError) as exc:
            raise BiometricUnavailable(
                "The fingerprint service can't be reached. Use your PIN."
            ) from exc
        try:
            yield conn
        finally:
            conn.close()

    def _device(self, conn: DBusConnection) -> str:
        from jeepney import DBusAddress

        manager = DBusAddress(MANAGER_PATH, bus_name=SERVICE, interface=MANAGER)
        try:
            (path,) = self._send(conn, manager, "GetDefaultDevice")
        except BiometricError as exc:
            raise BiometricUnavailable("No fingerprint reader is connected. Use your PIN.") from exc
        return str(path)

    @contextmanager
    def _claimed(self, conn: DBusConnection, account: str) -> Iterator[str]:
        device = self._device(conn)
        self._call(conn, device, "Claim", "s", account)
        try:
            yield device
        finally:
            # A service that restarted lost the claim already: nothing to release then.
            with suppress(BiometricError):
                self._call(conn, device, "Release")

    def _run(
        self, conn: DBusConnection, device: str, start: str, stop: str, signal: str, finger: str
    ) -> None:
        """Start a verify or an enrolment and wait for its final status signal."""
        from jeepney import MatchRule, message_bus

        rule = MatchRule(type="signal", interface=DEVICE, member=signal, path=device)
        conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=10)
        with conn.filter(rule, queue=deque()) as statuses:
            self._call(conn, device, start, "s", finger)
            try:
                _verdict(self._wait(conn, statuses, signal))
            finally:
                with suppress(BiometricError):
                    self._call(conn, device, stop)

    def _wait(self, conn: DBusConnection, statuses: deque[DBusMessage], signal: str) -> str:
        deadline = time.monotonic() + self._timeout_s
        while True:
            if self._cancel.is_set():
                raise BiometricCancelled("Cancelled. Use your PIN, or try again.")
            left = deadline - time.monotonic()
            if left <= 0:
                raise BiometricCancelled("Nobody touched the reader in time. Try again.")
            try:
                message = conn.recv_until_filtered(statuses, timeout=min(left, 0.25))
            except TimeoutError:
                continue
            result, done = message.body
            status = str(result)  # fprintd sends (s result, b done)
            if status in RETRY and not done:
                self.last_hint = RETRY[status]
                continue
            return status

    def _call(
        self, conn: DBusConnection, device: str, method: str, signature: str = "", *args: str
    ) -> tuple[object, ...]:
        from jeepney import DBusAddress

        address = DBusAddress(device, bus_name=SERVICE, interface=DEVICE)
        return self._send(conn, address, method, signature, *args)

    def _send(
        self,
        conn: DBusConnection,
        address: object,
        method: str,
        signature: str = "",
        *args: str,
    ) -> tuple[object, ...]:
        from jeepney import DBusErrorResponse, new_method_call
        from jeepney.wrappers import unwrap_msg

        message = new_method_call(address, method, signature or None, args)
        try:
            body: tuple[object, ...] = unwrap_msg(conn.send_and_get_reply(message, timeout=10))
            return body
        except DBusErrorResponse as exc:
            raise _plain(str(exc.name), exc.data) from exc
        except (TimeoutError, OSError) as exc:
            raise BiometricUnavailable(
                "The fingerprint service does not answer. Use your PIN."
            ) from exc


def _verdict(result: str) -> None:
    if result in ("verify-match", "enroll-completed"):
        return
    if result == "verify-no-match":
        raise BiometricNotRecognised(
            "That fingerprint was not recognised. Try again or use your PIN."
        )
    if result in ("enroll-failed", "enroll-data-full"):
        raise BiometricNotRecognised("The reader could not take that finger. Try again.")
    if result in ("enroll-duplicate",):
        raise BiometricAlreadyEnrolled("That finger is already enrolled for someone.")
    raise BiometricUnavailable(f"The fingerprint reader failed ({result}). Use your PIN.")


def _plain(name: str, data: object) -> BiometricError:
    short = name.rsplit(".", 1)[-1]
    if short in ("NoSuchDevice",):
        return BiometricUnavailable("No fingerprint reader is connected. Use your PIN.")
    if short in ("AlreadyInUse", "ClaimDevice"):
        return BiometricUnavailable("The fingerprint reader is busy. Try again in a moment.")
    if short in ("NoEnrolledPrints",):
        return BiometricNotRecognised(
            "No fingerprint is enrolled for this person. Use your PIN, or ask a manager."
        )
    if short in ("PermissionDenied", "AccessDenied"):
        return BiometricUnavailable(
            "The till is not allowed to use the fingerprint reader (see the set-up guide)."
        )
    detail = data[0] if isinstance(data, tuple) and data else name
    return BiometricUnavailable(f"The fingerprint service refused: {detail}")
