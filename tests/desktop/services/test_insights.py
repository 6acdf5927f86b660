"""The manager's view of today's figures and the "often bought with" hint, from the till's own
database (real SQLite, demo catalog): the numbers add up, yesterday is left out, a cashier
needs a manager, and the hint names what head office sent and nothing when it sent nothing."""

from __future__ import annotations

from typing import Any

import pytest

from asiria_desktop.domain.errors import ApprovalRequired
from asiria_desktop.local_db.sync_repos import SqlSyncStore
from asiria_desktop.ports.sync_store import BasketCompanion, BasketHintRecord, CatalogChange

from .support import COKE, MANAGER_PIN, SODA_300, SODA_500, ring_up_and_pay_cash


def product(till: Any, code: str) -> Any:
    found = till.services.catalog.lookup(code).product
    assert found is not None
    return found


def pay_by_card(till: Any, *codes: str) -> Any:
    sale = till.services.sale
    for code in codes:
        assert sale.scan(code).added
    sale.add_payment("card", sale.view().balance_due_cents)
    return sale.complete()


def test_todays_figures_add_up(till: Any, core_clock: Any) -> None:
    ring_up_and_pay_cash(till, SODA_300, SODA_300, COKE)  # 60 + 60 + 80 = 200.00
    core_clock.advance(hours=2)
    pay_by_card(till, SODA_500)  # 120.00
    till.services.auth.login(MANAGER_PIN)
    figures = till.services.insights.open_today()
    assert figures.sales_count == 2 and figures.sales_text == "2 sales"
    assert figures.total_cents == 32000
    assert figures.total_text.replace(",", "").endswith("320.00")
    assert figures.average_text.endswith("160.00")
    assert [(row.label, row.amount_cents, row.share_text) for row in figures.payment_mix] == [
        ("Cash", 20000, "62%"),
        ("Card", 12000, "38%"),
    ]
    top = [(row.name, row.qty_text) for row in figures.top_products]
    # By amount (two sodas 300 and one soda 500 both 120.00: then by name), coke's 80.00 last.
    assert top == [
        (product(till, SODA_300).name, "2"),
        (product(till, SODA_500).name, "1"),
        (product(till, COKE).name, "1"),
    ]
    by_hour = {bar.hour: bar.total_cents for bar in figures.hours}
    assert by_hour[9] == 20000 and by_hour[11] == 12000
    assert sum(by_hour.values()) == figures.total_cents
    assert figures.voided_text == "" and figures.refunds_text == ""


def test_yesterdays_sales_are_not_todays(till: Any, core_clock: Any) -> None:
    ring_up_and_pay_cash(till, COKE)
    core_clock.advance(days=1)
    till.services.auth.login(MANAGER_PIN)
    figures = till.services.insights.open_today()
    assert figures.sales_count == 0 and figures.payment_mix == ()
    assert figures.top_products == ()
    assert figures.average_text.endswith("0.00")


def test_a_cashier_needs_a_manager_for_todays_figures(till: Any) -> None:
    with pytest.raises(ApprovalRequired, match="today's sales figures"):
        till.services.insights.open_today()


def give_hint(till: Any, code: str, *companions: str) -> None:
    record = BasketHintRecord(
        product(till, code).id,
        tuple(
            BasketCompanion(product(till, other).id, product(till, other).name, 4200, 2300)
            for other in companions
        ),
    )
    SqlSyncStore(till.database.engine).apply_page(
        [CatalogChange("basket_hint", record.product_id, record)], "7"
    )


def test_the_hint_names_the_best_companion_not_yet_in_the_cart(till: Any) -> None:
    insights = till.services.insights
    soda, coke, big_soda = (product(till, code) for code in (SODA_300, COKE, SODA_500))
    assert insights.hint_for(soda.id) is None  # never synced: nothing to say
    give_hint(till, SODA_300, COKE, SODA_500)
    assert insights.hint_for(soda.id) == f"Often bought with {soda.name}: {coke.name}"
    assert insights.hint_for(soda.id, {soda.id, coke.id}) == (
        f"Often bought with {soda.name}: {big_soda.name}"
    )
    assert insights.hint_for(soda.id, {coke.id, big_soda.id}) is None
    assert insights.hint_for(coke.id) is None
