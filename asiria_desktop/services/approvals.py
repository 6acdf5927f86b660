"""Manager approval of restricted actions: who may act, and who to name in the audit log."""

from __future__ import annotations

from asiria_desktop.domain.permissions import Action, Role, check, requires_approval
from asiria_desktop.services.context import TillContext
from asiria_desktop.services.views import Approval


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
