"""PIN login and manager approvals, with a lockout after repeated wrong PINs.

A PIN alone identifies the cashier, so wrong guesses cannot be pinned on one account: the till
counts them per terminal (and per account when the UI passes ``user_id``). After
``lockout_failures`` wrong PINs in a row, PIN entry is locked for ``lockout_minutes``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from asiria_desktop.domain.errors import DomainError, PermissionDenied
from asiria_desktop.domain.permissions import ACTION_LABELS, Action, Role, can_approve
from asiria_desktop.ports.records import UserRecord
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.results import Approval, CashierSession
from asiria_desktop.services.signin.pins import check_pin_format, hash_pin, needs_rehash, verify_pin

FAILED_KEY = "auth.failed_attempts"
LOCKED_KEY = "auth.locked_until"


class LoginFailed(DomainError):
    def __init__(self, message: str, tries_left: int) -> None:
        super().__init__(message)
        self.tries_left = tries_left


class AccountLocked(DomainError):
    def __init__(self, minutes_left: int) -> None:
        unit = "minute" if minutes_left == 1 else "minutes"
        super().__init__(
            f"Too many wrong PINs. PIN entry is locked for {minutes_left} more {unit}. "
            "Ask a manager if you forgot your PIN."
        )
        self.minutes_left = minutes_left


class AuthService:
    def __init__(self, ctx: TillContext) -> None:
        self._ctx = ctx

    @property
    def current(self) -> CashierSession | None:
        return self._ctx.cashier

    def login(self, pin: str, user_id: str | None = None) -> CashierSession:
        user = self._verify(pin, user_id, purpose="login")
        session = CashierSession(user.id, user.name, Role(user.role))
        self._ctx.set_cashier(session)
        return session

    def approve(self, pin: str, action: str) -> Approval:
        """A manager (or owner) PIN approving ``action`` (an ``ApprovalRequired.action``)."""
        wanted = Action(action)
        user = self._verify(pin, None, purpose="approval")
        if not can_approve(Role(user.role), wanted, self._ctx.settings.policy):
            raise PermissionDenied(
                f"{user.name} can't approve {ACTION_LABELS[wanted]}. Ask a manager or the owner."
            )
        return Approval(user.id, user.name, Role(user.role), str(wanted))

    def logout(self) -> None:
        cashier = self._ctx.cashier
        if cashier is not None:
            with self._ctx.uow() as uow:
                uow.audit.record("logout", cashier.user_id, None, {}, self._ctx.clock.now())
                uow.commit()
        self._ctx.set_cashier(None)

    def set_pin(self, user_id: str, new_pin: str) -> None:
        with self._ctx.uow() as uow:
            uow.users.set_pin_hash(user_id, hash_pin(new_pin))
            uow.commit()

    # ---------------------------------------------------------------------------------------

    def _verify(self, pin: str, user_id: str | None, *, purpose: str) -> UserRecord:
        now = self._ctx.clock.now()
        with self._ctx.uow(read_only=True) as uow:
            locked_until = _parse(uow.settings.get(LOCKED_KEY))
            users = uow.users.active()
        if locked_until is not None and locked_until > now:
            raise AccountLocked(_minutes_left(locked_until, now))
        candidates = [u for u in users if user_id is None or u.id == user_id]
        if user_id is not None:
            for user in candidates:
                if user.locked_until is not None and user.locked_until > now:
                    raise AccountLocked(_minutes_left(user.locked_until, now))
        try:
            pin = check_pin_format(pin)
        except DomainError:
            matched = None
        else:
            # Slow hashes are checked outside any transaction: the write lock stays free.
            matched = next((u for u in candidates if verify_pin(u.pin_hash, pin)), None)
        if matched is None:
            raise self._record_failure(now, user_id, purpose)
        self._record_success(matched, pin, now, purpose)
        return matched

    def _record_failure(self, now: datetime, user_id: str | None, purpose: str) -> DomainError:
        limit = self._ctx.settings.lockout_failures
        with self._ctx.uow() as uow:
            failures = int(uow.settings.get(FAILED_KEY) or 0) + 1
            locked = failures >= limit
            until = now + timedelta(minutes=self._ctx.settings.lockout_minutes) if locked else None
            uow.settings.set(FAILED_KEY, "0" if locked else str(failures))
            if locked:
                assert until is not None
                uow.settings.set(LOCKED_KEY, until.isoformat())
            if user_id is not None:
                user = uow.users.get(user_id)
                if user is not None:
                    uow.users.set_failures(user_id, 0 if locked else failures, until)
            uow.audit.record(
                "pin_locked" if locked else "pin_failed",
                user_id,
                None,
                {"purpose": purpose, "failures": failures},
                now,
            )
            uow.commit()
        if locked:
            return AccountLocked(self._ctx.settings.lockout_minutes)
        left = limit - failures
        tries = "1 try" if left == 1 else f"{left} tries"
        what = "manager PIN" if purpose == "approval" else "PIN"
        return LoginFailed(
            f"That {what} is not right. {tries} left before PIN entry locks for "
            f"{self._ctx.settings.lockout_minutes} minutes.",
            left,
        )

    def _record_success(self, user: UserRecord, pin: str, now: datetime, purpose: str) -> None:
        with self._ctx.uow() as uow:
            uow.settings.set(FAILED_KEY, "0")
            uow.settings.set(LOCKED_KEY, "")
            if user.failed_attempts or user.locked_until is not None:
                uow.users.set_failures(user.id, 0, None)
            if needs_rehash(user.pin_hash):
                uow.users.set_pin_hash(user.id, hash_pin(pin))
            if purpose == "login":
                uow.audit.record("login", user.id, None, {}, now)
            uow.commit()


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _minutes_left(until: datetime, now: datetime) -> int:
    seconds = (until - now).total_seconds()
    return max(1, int(-(-seconds // 60)))
