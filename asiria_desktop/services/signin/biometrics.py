"""Sign-in and manager approval by touch (fingerprint, Windows Hello, security key), and the
manager's enrolment of a person's finger or key.

Everything is checked on the till against what its own database holds, so it works offline.
The PIN stays the fallback. Every sign-in, approval, failure, enrolment and removal is written
to the audit log (which head office receives as ``audit.recorded`` events). Repeated failed
touches lock touch sign-in for a while, like wrong PINs do, because a fingerprint reader can be
tried with one finger after another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from asiria_desktop.domain.biometrics import (
    KIND_LABELS,
    BiometricError,
    BiometricKind,
    BiometricNotRecognised,
    BiometricUnavailable,
    ClonedAuthenticator,
    sign_count_is_fresh,
)
from asiria_desktop.domain.errors import DomainError, PermissionDenied
from asiria_desktop.domain.json_types import JsonObject
from asiria_desktop.domain.permissions import ACTION_LABELS, Action, Policy, Role, can_approve
from asiria_desktop.ports.biometrics import BiometricVerifier, StoredCredential
from asiria_desktop.ports.records import UserRecord
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.results import Approval, CashierSession
from asiria_desktop.services.signin.approvals import authorize

FAILED_KEY = "biometric.failed_attempts"
LOCKED_KEY = "biometric.locked_until"


@dataclass(frozen=True)
class ReaderView:
    kind: str
    label: str  # "fingerprint", "security key"...
    identifies_person: bool  # False: pick the person first, then touch
    unavailable_reason: str | None  # None when it can be used now


@dataclass(frozen=True)
class PersonView:
    user_id: str
    name: str
    role: str


@dataclass(frozen=True)
class EnrolledView:
    credential_id: str
    user_id: str
    user_name: str
    kind: str
    text: str  # "Wanjiku: fingerprint (asiria-fp01), last used 05 Dec 14:02"


class TouchLocked(DomainError):
    def __init__(self, minutes_left: int) -> None:
        unit = "minute" if minutes_left == 1 else "minutes"
        super().__init__(
            f"Too many touches were not recognised. Touch sign-in is off for {minutes_left} "
            f"more {unit}: use your PIN."
        )


class BiometricService:
    def __init__(self, ctx: TillContext, verifiers: Sequence[BiometricVerifier] = ()) -> None:
        self._ctx = ctx
        self._verifiers = {v.kind: v for v in verifiers}

    @property
    def available(self) -> bool:
        """Does this till have any kind of reader configured at all?"""
        return bool(self._verifiers)

    def readers(self) -> list[ReaderView]:
        """Each configured reader and whether it can be used now (asks the device: slow)."""
        return [
            ReaderView(kind, _label(kind), v.identifies_person, v.unavailable_reason())
            for kind, v in self._verifiers.items()
        ]

    def people_for(self, kind: str, approvers_for: str | None = None) -> list[PersonView]:
        """Active people with a credential of ``kind``: the names a touch can confirm.
        ``approvers_for``: only people who may approve that action."""
        with self._ctx.uow(read_only=True) as uow:
            users = {u.id: u for u in uow.users.active()}
            owners = {c.user_id for c in uow.biometrics.active(kind)}
        people = [users[i] for i in owners if i in users]
        if approvers_for is not None:
            wanted = Action(approvers_for)
            policy = self._ctx.settings.policy
            people = [u for u in people if _approves(u, wanted, policy)]
        return [PersonView(u.id, u.name, u.role) for u in sorted(people, key=lambda u: u.name)]

    # -- signing in and approving -------------------------------------------------------------

    def sign_in(self, kind: str, user_id: str | None = None) -> CashierSession:
        user, _ = self._verify(kind, user_id, purpose="login", action=None)
        session = CashierSession(user.id, user.name, Role(user.role))
        self._ctx.set_cashier(session)
        return session

    def approve(self, kind: str, action: str, user_id: str | None = None) -> Approval:
        """A manager (or owner) approving ``action`` by touch, as ``AuthService.approve`` does
        by PIN."""
        wanted = Action(action)
        user, _ = self._verify(kind, user_id, purpose="approval", action=wanted)
        return Approval(user.id, user.name, Role(user.role), str(wanted))

    def cancel(self, kind: str) -> None:
        verifier = self._verifiers.get(kind)
        if verifier is not None:
            verifier.cancel()

    # -- the manager's screen -----------------------------------------------------------------

    def open_screen(self, approval: Approval | None = None) -> list[PersonView]:
        """Open the sign-in and security screen (a manager's); the people who can be enrolled."""
        approver = authorize(self._ctx, Action.SECURITY_SETTINGS, approval)
        cashier = self._ctx.require_cashier()
        with self._ctx.uow() as uow:
            uow.audit.record(
                "security_settings_opened", cashier.user_id, approver, {}, self._ctx.clock.now()
            )
            uow.commit()
            users = uow.users.active()
        return [PersonView(u.id, u.name, u.role) for u in sorted(users, key=lambda u: u.name)]

    def enrolled(self) -> list[EnrolledView]:
        with self._ctx.uow(read_only=True) as uow:
            users = {u.id: u.name for u in uow.users.active()}
            credentials = uow.biometrics.active()
        return [
            EnrolledView(c.id, c.user_id, users[c.user_id], c.kind, _describe(c, users[c.user_id]))
            for c in credentials
            if c.user_id in users
        ]

    def enrol(self, kind: str, user_id: str, approval: Approval | None = None) -> EnrolledView:
        """Enrol the finger or key of ``user_id`` now touching the reader (a manager's act)."""
        approver = authorize(self._ctx, Action.SECURITY_SETTINGS, approval)
        verifier = self._verifier(kind)
        cashier = self._ctx.require_cashier()
        with self._ctx.uow(read_only=True) as uow:
            person = uow.users.get(user_id)
            existing = uow.biometrics.active(kind)
        if person is None or not person.active:
            raise DomainError("That person is not an active user of this till.")
        new = verifier.enrol(person.id, person.name, existing)  # waits for the touch
        now = self._ctx.clock.now()
        credential = StoredCredential(
            id=self._ctx.ids(),
            user_id=person.id,
            kind=kind,
            reference=new.reference,
            public_key=new.public_key,
            sign_count=new.sign_count,
            label=new.label[:100],
            created_at=now,
        )
        with self._ctx.uow() as uow:
            uow.biometrics.add(credential)
            uow.audit.record(
                "biometric_enrolled",
                cashier.user_id,
                approver,
                {"user_id": person.id, "method": kind, "credential_id": credential.id},
                now,
            )
            uow.commit()
        return EnrolledView(
            credential.id, person.id, person.name, kind, _describe(credential, person.name)
        )

    def remove(self, credential_id: str, approval: Approval | None = None) -> None:
        approver = authorize(self._ctx, Action.SECURITY_SETTINGS, approval)
        cashier = self._ctx.require_cashier()
        now = self._ctx.clock.now()
        with self._ctx.uow() as uow:
            credential = uow.biometrics.get(credential_id)
            if credential is None:
                raise DomainError("That fingerprint or key is not enrolled here any more.")
            uow.biometrics.revoke(credential_id, now)
            uow.audit.record(
                "biometric_removed",
                cashier.user_id,
                approver,
                {
                    "user_id": credential.user_id,
                    "method": credential.kind,
                    "credential_id": credential_id,
                },
                now,
            )
            uow.commit()

    # -----------------------------------------------------------------------------------------

    def _verifier(self, kind: str) -> BiometricVerifier:
        verifier = self._verifiers.get(kind)
        if verifier is None:
            raise BiometricUnavailable(f"This till has no {_label(kind)} reader. Use your PIN.")
        return verifier

    def _verify(
        self, kind: str, user_id: str | None, *, purpose: str, action: Action | None
    ) -> tuple[UserRecord, StoredCredential]:
        verifier = self._verifier(kind)
        now = self._ctx.clock.now()
        with self._ctx.uow(read_only=True) as uow:
            locked_until = _parse(uow.settings.get(LOCKED_KEY))
            users = {u.id: u for u in uow.users.active()}
            credentials = [
                c
                for c in uow.biometrics.active(kind)
                if c.user_id in users and (user_id is None or c.user_id == user_id)
            ]
        if locked_until is not None and locked_until > now:
            raise TouchLocked(_minutes_left(locked_until, now))
        if action is not None:
            policy = self._ctx.settings.policy
            credentials = [c for c in credentials if _approves(users[c.user_id], action, policy)]
        if not credentials:
            who = "this person" if user_id else "anyone who can do this"
            raise BiometricNotRecognised(f"No {_label(kind)} is enrolled for {who}. Use the PIN.")
        if user_id is None and not verifier.identifies_person:
            raise BiometricNotRecognised("Pick your name first, then touch the reader.")
        try:
            result = verifier.verify(credentials)  # waits for the touch, outside any transaction
        except BiometricNotRecognised as exc:
            raise self._record_failure(kind, user_id, purpose, exc) from exc
        matched = next((c for c in credentials if c.id == result.credential_id), None)
        if matched is None:
            raise self._record_failure(
                kind,
                user_id,
                purpose,
                BiometricNotRecognised(
                    "The reader named someone the till did not ask for. Use your PIN."
                ),
            )
        user = users[matched.user_id]
        if action is not None and not _approves(user, action, self._ctx.settings.policy):
            raise PermissionDenied(
                f"{user.name} can't approve {ACTION_LABELS[action]}. Ask a manager or the owner."
            )
        self._record_success(matched, result.sign_count, purpose, action)
        return user, matched

    def _record_success(
        self, credential: StoredCredential, sign_count: int, purpose: str, action: Action | None
    ) -> None:
        now = self._ctx.clock.now()
        details: JsonObject = {"method": credential.kind, "credential_id": credential.id}
        with self._ctx.uow() as uow:
            stored = uow.biometrics.get(credential.id)  # under the write lock: the latest count
            if stored is None or not sign_count_is_fresh(stored.sign_count, sign_count):
                uow.biometrics.revoke(credential.id, now)
                uow.audit.record(
                    "biometric_clone_suspected",
                    credential.user_id,
                    None,
                    {
                        **details,
                        "stored_count": stored.sign_count if stored else None,
                        "received_count": sign_count,
                    },
                    now,
                )
                uow.commit()
                raise ClonedAuthenticator(
                    "This key's signature counter went backwards, so a copy of it may exist. "
                    "It is blocked at this till: use your PIN, and tell the owner."
                )
            uow.biometrics.mark_used(credential.id, sign_count, now)
            uow.settings.set(FAILED_KEY, "0")
            if purpose == "login":
                uow.audit.record("login", credential.user_id, None, details, now)
            else:
                assert action is not None
                uow.audit.record(
                    "approval_by_touch",
                    self._ctx.cashier.user_id if self._ctx.cashier else None,
                    credential.user_id,
                    {**details, "approved_action": str(action)},
                    now,
                )
            uow.commit()

    def _record_failure(
        self, kind: str, user_id: str | None, purpose: str, error: BiometricError
    ) -> DomainError:
        now = self._ctx.clock.now()
        limit = self._ctx.settings.lockout_failures
        with self._ctx.uow() as uow:
            failures = int(uow.settings.get(FAILED_KEY) or 0) + 1
            locked = failures >= limit
            uow.settings.set(FAILED_KEY, "0" if locked else str(failures))
            if locked:
                until = now + timedelta(minutes=self._ctx.settings.lockout_minutes)
                uow.settings.set(LOCKED_KEY, until.isoformat())
            uow.audit.record(
                "biometric_locked" if locked else "biometric_failed",
                user_id,
                None,
                {"purpose": purpose, "method": kind, "failures": failures},
                now,
            )
            uow.commit()
        if locked:
            return TouchLocked(self._ctx.settings.lockout_minutes)
        return error


def _approves(user: UserRecord, action: Action, policy: Policy) -> bool:
    roles = {str(role) for role in Role}
    return user.role in roles and can_approve(Role(user.role), action, policy)


def _label(kind: str) -> str:
    try:
        return KIND_LABELS[BiometricKind(kind)]
    except ValueError:
        return kind


def _describe(credential: StoredCredential, name: str) -> str:
    used = (
        f"last used {credential.last_used_at:%d %b %H:%M}"
        if credential.last_used_at is not None
        else "not used yet"
    )
    return f"{name}: {credential.label}, {used}"


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _minutes_left(until: datetime, now: datetime) -> int:
    seconds = (until - now).total_seconds()
    return max(1, int(-(-seconds // 60)))
