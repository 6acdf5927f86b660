"""Who may do what, and when a manager's PIN is needed.

Cashiers sell; restricted actions need a manager (or owner) to approve with their PIN. A manager
or owner doing a restricted action themselves needs no second person. The audit log of approvals
is stored by services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .errors import ApprovalRequired, PermissionDenied
from .pricing import Discount, DiscountKind


class Role(StrEnum):
    CASHIER = "cashier"
    MANAGER = "manager"
    OWNER = "owner"


class Action(StrEnum):
    VOID_LINE_AFTER_PAYMENT = "void_line_after_payment"
    VOID_SALE = "void_sale"
    REFUND = "refund"
    DISCOUNT_ABOVE_LIMIT = "discount_above_limit"
    PRICE_OVERRIDE = "price_override"
    NO_SALE = "no_sale"
    CASH_OUT = "cash_out"
    CASH_IN = "cash_in"
    QUICK_ADD_PRODUCT = "quick_add_product"
    CLOSE_SHIFT = "close_shift"
    DEVICE_SETTINGS = "device_settings"
    STOCK_ADJUSTMENT = "stock_adjustment"
    SYNC_SCREEN = "sync_screen"
    SECURITY_SETTINGS = "security_settings"
    MANAGER_VIEW = "manager_view"


#: What the action is called in messages ("A manager must approve the refund.").
ACTION_LABELS: Mapping[Action, str] = MappingProxyType(
    {
        Action.VOID_LINE_AFTER_PAYMENT: "removing an item after payment was taken",
        Action.VOID_SALE: "voiding the sale",
        Action.REFUND: "the refund",
        Action.DISCOUNT_ABOVE_LIMIT: "a discount this large",
        Action.PRICE_OVERRIDE: "the price change",
        Action.NO_SALE: "opening the drawer without a sale",
        Action.CASH_OUT: "taking cash out of the drawer",
        Action.CASH_IN: "putting cash into the drawer",
        Action.QUICK_ADD_PRODUCT: "adding a new product",
        Action.CLOSE_SHIFT: "closing the shift",
        Action.DEVICE_SETTINGS: "changing the till's devices",
        Action.STOCK_ADJUSTMENT: "changing the stock figures",
        Action.SYNC_SCREEN: "opening the sync screen",
        Action.SECURITY_SETTINGS: "changing who can sign in by fingerprint or key",
        Action.MANAGER_VIEW: "opening today's sales figures",
    }
)

_RANK = {Role.CASHIER: 0, Role.MANAGER: 1, Role.OWNER: 2}

#: Actions a cashier needs approval for, by default (cash in and closing one's own shift are not,
#: nor receiving goods). Every stock adjustment needs a manager, up as well as down: a figure
#: raised by hand hides a loss as well as one lowered. The sync screen (rejected events, retry,
#: re-enrol) is a manager's.
DEFAULT_RESTRICTED = frozenset(
    {
        Action.VOID_LINE_AFTER_PAYMENT,
        Action.VOID_SALE,
        Action.REFUND,
        Action.DISCOUNT_ABOVE_LIMIT,
        Action.PRICE_OVERRIDE,
        Action.NO_SALE,
        Action.CASH_OUT,
        Action.QUICK_ADD_PRODUCT,
        Action.DEVICE_SETTINGS,
        Action.STOCK_ADJUSTMENT,
        Action.SYNC_SCREEN,
        Action.SECURITY_SETTINGS,
        Action.MANAGER_VIEW,
    }
)


@dataclass(frozen=True, slots=True)
class Policy:
    """The shop's settings: the cashier's discount limit and which actions need approval.

    ``approver_role`` is the lowest role that may approve (or act without approval).
    """

    discount_limit_bp: int = 1000
    restricted: frozenset[Action] = DEFAULT_RESTRICTED
    approver_role: Role = Role.MANAGER

    def discount_over_limit(self, discount: Discount, base_cents: int) -> bool:
        """True when ``discount`` on ``base_cents`` is more than a cashier may give alone."""
        if discount.kind is DiscountKind.PERCENT:
            return discount.value > self.discount_limit_bp
        return discount.value * 10_000 > self.discount_limit_bp * base_cents


DEFAULT_POLICY = Policy()


def requires_approval(role: Role, action: Action, policy: Policy = DEFAULT_POLICY) -> bool:
    """Does someone with ``role`` need another person's PIN to do ``action``?"""
    return action in policy.restricted and _RANK[Role(role)] < _RANK[policy.approver_role]


def can_approve(role: Role, action: Action, policy: Policy = DEFAULT_POLICY) -> bool:
    """May someone with ``role`` approve ``action`` for someone else?"""
    return _RANK[Role(role)] >= _RANK[policy.approver_role]


def check(
    role: Role,
    action: Action,
    approver_role: Role | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> None:
    """Pass silently when allowed; raise ``ApprovalRequired`` (ask for a manager PIN) when an
    approval is needed and missing, ``PermissionDenied`` when the approver may not approve."""
    if not requires_approval(role, action, policy):
        return
    label = ACTION_LABELS[action]
    if approver_role is None:
        raise ApprovalRequired(action, f"A manager must approve {label}. Enter a manager PIN.")
    if not can_approve(approver_role, action, policy):
        raise PermissionDenied(
            f"A {Role(approver_role)} can't approve {label}. Ask a manager or the owner."
        )
