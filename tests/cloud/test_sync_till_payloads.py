"""A shift rung up with the till's own domain code (asiria_desktop.domain), pushed as the till
pushes it: every payload its builders make is accepted and applied."""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta

from uuid6 import uuid7

from .conftest import terminal_client
from .sync_support import envelope, example_world, push, statuses

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")


def test_a_whole_till_shift_built_by_the_till_is_applied(org_a):
    from asiria_desktop.domain.cart import Cart, PaymentMethod
    from asiria_desktop.domain.cart_types import ProductRef
    from asiria_desktop.domain.events import (
        drawer_opened_payload,
        shift_closed_payload,
        shift_opened_payload,
    )
    from asiria_desktop.domain.pricing import Discount, DiscountKind
    from asiria_desktop.domain.refund import RefundLineRequest, build_refund
    from asiria_desktop.domain.sale import CashierRef, complete_sale
    from asiria_desktop.domain.shift import CashMovement, Shift, build_shift_report
    from asiria_desktop.domain.tax import TaxClass
    from asiria_desktop.domain.voids import void_sale
    from cloud_api.sales.models import Refund, Sale
    from cloud_api.sync.models import TillActivity

    example_world(org_a)
    ids = lambda: str(uuid7())  # noqa: E731  (the till makes UUIDv7 ids too)
    cashier = CashierRef(str(org_a.users["cashier"].uuid), "Wanjiku")
    manager = str(org_a.users["manager"].uuid)
    coke, tomatoes, bread = (
        ProductRef(str(p.uuid), p.name, p.barcode, p.price_cents, tax, sold_by_weight=weighed)
        for p, tax, weighed in zip(
            org_a.products,
            [TaxClass.STANDARD, TaxClass.ZERO, TaxClass.EXEMPT],
            [False, True, False],
            strict=True,
        )
    )
    opened = datetime.now(NAIROBI) - timedelta(hours=2)
    shift = Shift(ids(), cashier.id, opened, 500000)
    sales = []
    for number, rounding_step in enumerate([1, 5, 1], start=1):
        cart = Cart(ids, cash_rounding_step_cents=rounding_step)
        cart.add_product(coke, qty=2)
        cart.add_product(tomatoes, qty_milli=1237)
        line = cart.add_product(bread)
        cart.set_line_discount(line.id, Discount(DiscountKind.AMOUNT, 500, "day-old"))
        cart.add_payment(PaymentMethod.CASH, 50000)
        at = opened + timedelta(minutes=10 * number)
        sales.append(complete_sale(cart, ids(), f"S01-T01-{number:06d}", cashier, shift.id, at))
    voided = void_sale(sales[1], ids(), "oops", cashier.id, manager, opened + timedelta(hours=1))
    refund = build_refund(
        sales[0],
        [RefundLineRequest(sales[0].lines[0].id, qty=1)],
        [],
        ids(),
        ids,
        PaymentMethod.CASH,
        opened + timedelta(hours=1),
        manager,
        cashier_id=cashier.id,
        shift_id=shift.id,
        reason="damaged",
        refund_no="S01-T01-R000001",
    )
    movement = CashMovement(
        "out",
        20000,
        "banking",
        id=ids(),
        shift_id=shift.id,
        cashier_id=cashier.id,
        approved_by=manager,
        moved_at=opened + timedelta(hours=1),
    )
    closed_at = opened + timedelta(hours=1, minutes=30)
    report = build_shift_report("Z", shift, sales, [refund], [voided], [movement], 600000)
    payloads = [
        ("shift.opened", shift_opened_payload(shift.id, cashier.id, 500000, opened, "T01")),
        *(("sale.completed", sale.to_payload()) for sale in sales),
        ("sale.voided", voided.to_payload()),
        ("refund.created", refund.to_payload()),
        ("cash.moved", movement.to_payload()),
        (
            "drawer.opened",
            drawer_opened_payload(ids(), "no_sale", cashier.id, closed_at, manager, shift.id),
        ),
        ("shift.closed", shift_closed_payload(report, cashier.id, closed_at)),
    ]
    events = [envelope(kind, payload, seq) for seq, (kind, payload) in enumerate(payloads, 1)]

    response = push(terminal_client(org_a), events)

    assert statuses(response) == ["applied"] * len(events), response.json()
    stored = {sale.receipt_no: sale for sale in Sale.objects.filter(terminal=org_a.terminal)}
    assert stored["S01-T01-000002"].status == "voided"
    assert [s.rounding_cents for s in sorted(stored.values(), key=lambda s: s.receipt_no)] == [
        sale.to_payload()["rounding_cents"] for sale in sales
    ]
    assert Refund.objects.get(uuid=refund.id).amount_cents == refund.to_payload()["total_cents"]
    assert Refund.objects.get(uuid=refund.id).refund_no == "S01-T01-R000001"
    assert TillActivity.objects.filter(shift_id=shift.id).count() == 6
