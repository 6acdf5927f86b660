"""Manager approval of restricted actions: who may act, and who to name in the audit log."""

from __future__ import annotations

from asiria_desktop.domain.permissions import Action, Role, can_approve, check, requires_approval
from asiria_desktop.ports.unit_of_work import UnitOfWork
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.results import Approval


def authorize(ctx: TillContext, action: Action, approval: Approval | None) -> str | None:
    """Raise ``ApprovalRequired``/``PermissionDenied`` unless the logged-in cashier may do
    ``action`` (alone, or with ``approval`` given for this same action).

    Returns the id to record as approver: the approving manager, the manager acting alone on a
    restricted action, or ``None`` when no approval was needed.
    """
    cashier = ctx.require_cashier()
    policy = ctx.settings.policy
    usable = approval if approval is not None and approval.action == str(action) else None
    approver_role = Role(usable.role) if usable is not None else None
    check(Role(cashier.role), action, approver_role, policy)
    if requires_approval(Role(cashier.role), action, policy):
        assert usable is not None  # check() raised otherwise
        return usable.approver_id
    if action in policy.restricted:
        return cashier.user_id
    return None


def authorize_without_login(
    ctx: TillContext, action: Action, approval: Approval | None
) -> str | None:
    """``authorize`` for a screen reached before anyone logs in (the status bar's Sync button
    on the login screen): nobody counts as a cashier, so a restricted action needs a manager's
    PIN. Except on a new till that has no manager or owner account yet: nobody could approve,
    and the till must stay reachable (enrolling it brings the accounts)."""
    policy = ctx.settings.policy
    if not requires_approval(Role.CASHIER, action, policy):
        return None
    usable = approval if approval is not None and approval.action == str(action) else None
    if usable is not None:
        check(Role.CASHIER, action, Role(usable.role), policy)  # PermissionDenied if not enough
        return usable.approver_id
    roles = {str(role) for role in Role}
    with ctx.uow(read_only=True) as uow:
        users = uow.users.active()
    if not any(u.role in roles and can_approve(Role(u.role), action, policy) for u in users):
        return None
    check(Role.CASHIER, action, None, policy)  # raises ApprovalRequired
    return None


def user_name(uow: UnitOfWork, user_id: str | None) -> str:
    """The name printed for an approver ("" when nobody approved or the account is gone)."""
    if user_id is None:
        return ""
    user = uow.users.get(user_id)
    return user.name if user is not None else ""
