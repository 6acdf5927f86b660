"""Who needs a manager's PIN, and who may give it."""

from __future__ import annotations

import pytest

from asiria_desktop.domain.errors import ApprovalRequired, PermissionDenied
from asiria_desktop.domain.permissions import (
    DEFAULT_RESTRICTED,
    Action,
    Policy,
    Role,
    can_approve,
    check,
    requires_approval,
)
from asiria_desktop.domain.pricing import Discount, DiscountKind

RESTRICTED = [
    Action.VOID_LINE_AFTER_PAYMENT,
    Action.VOID_SALE,
    Action.REFUND,
    Action.DISCOUNT_ABOVE_LIMIT,
    Action.PRICE_OVERRIDE,
    Action.NO_SALE,
    Action.CASH_OUT,
    Action.STOCK_ADJUSTMENT,
    Action.SYNC_SCREEN,
]


@pytest.mark.parametrize("action", RESTRICTED)
def test_a_cashier_needs_a_manager_for_restricted_actions(action: Action) -> None:
    assert requires_approval(Role.CASHIER, action)
    with pytest.raises(ApprovalRequired) as error:
        check(Role.CASHIER, action)
    assert error.value.action == action
    assert "manager" in error.value.message
    check(Role.CASHIER, action, approver_role=Role.MANAGER)
    check(Role.CASHIER, action, approver_role=Role.OWNER)


@pytest.mark.parametrize("action", RESTRICTED)
def test_a_cashier_cannot_approve_another_cashier(action: Action) -> None:
    assert not can_approve(Role.CASHIER, action)
    with pytest.raises(PermissionDenied, match="Ask a manager"):
        check(Role.CASHIER, action, approver_role=Role.CASHIER)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.OWNER])
@pytest.mark.parametrize("action", list(Action))
def test_managers_and_owners_act_without_a_second_pin(role: Role, action: Action) -> None:
    assert not requires_approval(role, action)
    check(role, action)


def test_cash_in_and_closing_a_shift_need_no_approval() -> None:
    check(Role.CASHIER, Action.CASH_IN)
    check(Role.CASHIER, Action.CLOSE_SHIFT)
    assert Action.QUICK_ADD_PRODUCT in DEFAULT_RESTRICTED


def test_policy_can_require_the_owner() -> None:
    strict = Policy(approver_role=Role.OWNER)
    assert requires_approval(Role.MANAGER, Action.REFUND, strict)
    with pytest.raises(PermissionDenied):
        check(Role.CASHIER, Action.REFUND, Role.MANAGER, strict)
    check(Role.CASHIER, Action.REFUND, Role.OWNER, strict)


def test_discount_limit() -> None:
    policy = Policy(discount_limit_bp=1000)
    assert not policy.discount_over_limit(Discount(DiscountKind.PERCENT, 1000), 5000)
    assert policy.discount_over_limit(Discount(DiscountKind.PERCENT, 1001), 5000)
    assert not policy.discount_over_limit(Discount(DiscountKind.AMOUNT, 500), 5000)
    assert policy.discount_over_limit(Discount(DiscountKind.AMOUNT, 501), 5000)
