"""Whatever is rung up and however it is paid, the committed sale and its event add up."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiria_desktop.demo import demo_ean13

from .support import TOMATO_LABEL, outbox, rows, validator

lines = st.lists(
    st.tuples(st.integers(min_value=1, max_value=560), st.integers(min_value=1, max_value=5)),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    items=lines,
    weighed=st.booleans(),
    card_share=st.integers(min_value=0, max_value=100),
    cash_extra=st.integers(min_value=0, max_value=50_000),
    cart_discount_bp=st.integers(min_value=0, max_value=1000),
)
def test_completed_sales_add_up_and_match_the_contract(
    till: Any,
    items: list[tuple[int, int]],
    weighed: bool,
    card_share: int,
    cash_extra: int,
    cart_discount_bp: int,
) -> None:
    sale = till.services.sale
    for serial, qty in items:
        line_id = sale.scan(demo_ean13(serial)).line_id
        if qty > 1:
            view = sale.view()
            current = next(line.qty for line in view.lines if line.line_id == line_id)
            sale.set_qty(line_id, current + qty - 1)
    if weighed:
        sale.scan(TOMATO_LABEL)
    if cart_discount_bp:
        sale.discount_cart("percent", cart_discount_bp)  # within the cashier's 10 % limit
    due = sale.view().total_cents
    card = due * card_share // 100
    if card:
        sale.add_payment("card", card, "VISA-1234")
    if due - card:
        sale.add_payment("cash", due - card + cash_extra)
    before = len(outbox(till))
    result = sale.complete()

    event = outbox(till)[-1]
    assert len(outbox(till)) == before + 1 and event["seq"] == before + 1
    payload = event["payload"]
    validator("Event").validate(event)
    validator("SaleCompleted").validate(payload)
    assert payload["total_cents"] == sum(line["total_cents"] for line in payload["lines"]) == due
    assert payload["tax_cents"] == sum(line["tax_cents"] for line in payload["lines"])
    assert payload["discount_cents"] == sum(line["discount_cents"] for line in payload["lines"])
    paid = sum(p["amount_cents"] for p in payload["payments"])
    assert paid - payload["change_cents"] == payload["total_cents"]
    assert result.change_cents == (cash_extra if due - card else 0)
    stored = rows(till, "SELECT total_cents FROM sales WHERE id = ?", result.sale_id)
    assert stored == [(due,)]
