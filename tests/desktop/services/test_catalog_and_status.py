"""Catalog lookups, categories, quick-add; receipts; the status bar's unsent count."""

from __future__ import annotations

from typing import Any

import pytest

from asiria_desktop.demo import demo_ean13
from asiria_desktop.domain.errors import ApprovalRequired, DomainError

from .support import COKE, MANAGER_PIN, audit, ring_up_and_pay_cash, user_id

NEW_CODE = demo_ean13(99_999)  # valid, not in the demo catalog


def test_lookup_search_and_categories(till: Any) -> None:
    catalog = till.services.catalog
    coke = catalog.lookup(" " + COKE + "\t")
    assert coke.found and coke.product.name == "Coca-Cola 500ml" and coke.qty == 1
    assert coke.product.price_text == "80.00"
    upca = catalog.lookup(COKE[1:])  # a 12-digit UPC-A finds the EAN-13 with a leading 0
    assert not upca.found or upca.product.id == coke.product.id
    names = [p.name for p in catalog.search("jam sod")]
    assert names and all(n.startswith("Jambo Soda") for n in names)
    categories = catalog.categories()
    assert [c.name for c in categories][:2] == ["Beverages", "Bakery"]
    fresh = next(c for c in categories if c.name == "Fresh produce")
    assert {p.sold_by_weight for p in catalog.in_category(fresh.id)} == {True}
    assert catalog.search("   ") == []


def test_quick_add_needs_a_manager_and_is_audited(till: Any) -> None:
    catalog = till.services.catalog
    with pytest.raises(ApprovalRequired) as asked:
        catalog.quick_add("Mandazi", NEW_CODE, 2000, "standard")
    approval = till.services.auth.approve(MANAGER_PIN, asked.value.action)
    added = catalog.quick_add("  Mandazi   large ", NEW_CODE, 2000, "standard", approval)
    assert added.name == "Mandazi large"
    assert till.services.sale.scan(NEW_CODE).added
    with pytest.raises(DomainError, match="already in the catalog"):
        catalog.quick_add("Again", NEW_CODE, 100, "standard", approval)
    assert ("quick_add_product", user_id(till, "Amina"), user_id(till, "Wanjiru")) in [
        a[:3] for a in audit(till)
    ]


def test_receipts_and_status(till: Any) -> None:
    assert till.services.receipts.last() is None
    status = till.services.status.snapshot()
    assert (status.online, status.unsent_events) == (None, 0)
    sold = ring_up_and_pay_cash(till, COKE)
    assert sold.receipt_no in till.services.receipts.text("s01-t01-1")
    assert till.services.status.snapshot().unsent_events == 1
    assert "1 event waiting" in till.services.status.snapshot().message
    with pytest.raises(DomainError, match="was not found"):
        till.services.receipts.reprint("S01-T01-000404")
