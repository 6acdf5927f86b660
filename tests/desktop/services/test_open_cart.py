"""The sale in progress is kept on disk after every change and offered back after a restart
(the in-process side; tests/desktop/crash/test_kill_open_cart.py kills a real process)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from asiria_desktop.domain.errors import ApprovalRequired, DomainError, PaymentError
from asiria_desktop.services.results import Approval

from .support import CASHIER_PIN, COKE, MANAGER_PIN, TOMATO_LABEL, audit, rows


def _kept(till: Any) -> Any:
    ((state,),) = rows(till, "SELECT state FROM open_cart")
    return json.loads(state)


def _restart(make_till: Any) -> Any:
    again = make_till(seed=False)
    again.services.auth.login(CASHIER_PIN)
    return again


def test_a_sale_left_open_is_offered_back_after_a_restart_and_restores_whole(
    make_till: Any,
) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    sale = till.services.sale
    sale.scan(COKE)
    sale.scan(COKE)
    sale.scan(TOMATO_LABEL)
    before = sale.view()
    till.close()  # no complete, park or cancel: as if the till had died here

    again = _restart(make_till)
    offer = again.services.sale.leftover_sale()
    assert offer is not None
    assert (offer.item_count, offer.total_cents, offer.has_payments) == (3, 25000, False)
    assert offer.question == "Restore the sale in progress (3 items, 250.00)?"
    with pytest.raises(DomainError, match="restore it or discard it"):
        again.services.sale.scan(COKE)  # a new sale would overwrite the one waiting

    view = again.services.sale.restore_leftover()
    assert [(line.name, line.qty) for line in view.lines] == [
        (line.name, line.qty) for line in before.lines
    ]
    assert view.total_cents == before.total_cents
    assert again.services.sale.leftover_sale() is None
    assert "open_cart_restored" in [a[0] for a in audit(again)]
    again.services.sale.add_payment("cash", view.total_cents)
    again.services.sale.complete()
    assert rows(again, "SELECT count(*) FROM open_cart") == [(0,)]


def test_every_change_is_kept_and_a_finished_sale_leaves_nothing_behind(till: Any) -> None:
    sale = till.services.sale
    assert rows(till, "SELECT count(*) FROM open_cart") == [(0,)]
    line = sale.scan(COKE).line_id
    assert line is not None
    sale.set_qty(line, 4)
    assert [line["qty"] for line in _kept(till)["cart"]["lines"]] == [4]
    sale.add_payment("card", 10000, "4242")
    sale.add_payment("cash", 30000)
    assert [p["method"] for p in _kept(till)["cart"]["payments"]] == ["card", "cash"]
    sale.complete()
    assert rows(till, "SELECT count(*) FROM open_cart") == [(0,)]
    sale.scan(COKE)
    sale.cancel()
    assert rows(till, "SELECT count(*) FROM open_cart") == [(0,)]
    sale.scan(COKE)
    sale.park("later")
    assert rows(till, "SELECT count(*) FROM open_cart") == [(0,)]


def test_a_recalled_sale_is_kept_like_any_other(make_till: Any) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    till.services.sale.scan(TOMATO_LABEL)
    parked = till.services.sale.park("Mama Njeri")
    till.services.sale.recall(parked)
    till.close()
    offer = _restart(make_till).services.sale.leftover_sale()
    assert offer is not None and offer.item_count == 1


def test_discarding_is_audited_with_the_approvals_it_held(make_till: Any) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    sale = till.services.sale
    line = sale.scan(COKE).line_id
    with pytest.raises(ApprovalRequired) as asked:
        sale.override_price(line, 5000)
    approval = till.services.auth.approve(MANAGER_PIN, asked.value.action)
    assert isinstance(approval, Approval)
    sale.override_price(line, 5000, approval=approval)
    till.close()

    again = _restart(make_till)
    assert again.services.sale.discard_leftover().is_empty
    actions = [a[0] for a in audit(again)]
    assert "open_cart_discarded" in actions and "price_override" in actions
    assert again.services.sale.leftover_sale() is None
    assert again.services.sale.scan(COKE).added
    till_three = _restart(make_till)
    offer = till_three.services.sale.leftover_sale()
    assert offer is not None and offer.item_count == 1  # the new sale, not the discarded one


def test_a_leftover_with_payments_cannot_be_discarded(make_till: Any) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    till.services.sale.scan(COKE)
    till.services.sale.add_payment("cash", 5000)
    till.close()
    again = _restart(make_till)
    offer = again.services.sale.leftover_sale()
    assert offer is not None and offer.has_payments
    with pytest.raises(PaymentError, match="Restore it"):
        again.services.sale.discard_leftover()
    view = again.services.sale.restore_leftover()
    assert view.paid_cents == 5000


def test_a_cart_emptied_line_by_line_is_not_offered_back(make_till: Any) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    line = till.services.sale.scan(COKE).line_id
    assert line is not None
    till.services.sale.void_line(line)
    assert rows(till, "SELECT count(*) FROM open_cart") == [(0,)]
    till.close()
    assert _restart(make_till).services.sale.leftover_sale() is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda state: state.update(audits=["price_override"]),
        lambda state: state.update(audits=[{"action": "price_override", "actor_id": 7}]),
        lambda state: state.update(cart=["not", "a", "cart"]),
    ],
    ids=["approval-not-an-object", "approval-actor-not-an-id", "cart-not-an-object"],
)
def test_a_kept_sale_changed_into_something_else_is_set_aside_not_restored(
    make_till: Any, damage: Any
) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    line = till.services.sale.scan(COKE).line_id
    with pytest.raises(ApprovalRequired) as asked:
        till.services.sale.override_price(line, 5000)
    approval = till.services.auth.approve(MANAGER_PIN, asked.value.action)
    till.services.sale.override_price(line, 5000, approval=approval)
    state = _kept(till)
    assert state["audits"] and state["audits"][0]["action"] == "price_override"
    damage(state)
    with till.database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE open_cart SET state = ?", (json.dumps(state),))
    till.close()

    again = _restart(make_till)
    assert again.services.sale.leftover_sale() is None  # logged, and selling goes on
    assert again.services.sale.scan(COKE).added
