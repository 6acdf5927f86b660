"""Sales, products and till activity written straight to the tables, for analytics tests that
need weeks of history (the push path has its own tests; here only the rows matter)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from uuid import uuid4

from uuid6 import uuid7


def products(org: Any, names: list[str], price_cents: int = 10000) -> dict[str, Any]:
    from cloud_api.catalog.models import TaxClass
    from cloud_api.catalog.services import product_create

    standard = TaxClass.objects.get(organisation=org.organisation, code="standard")
    return {
        name: product_create(
            organisation=org.organisation, name=name, price_cents=price_cents, tax_class=standard
        )
        for name in names
    }


def sale(
    org: Any,
    store: Any,
    day: date,
    items: list[Any],
    *,
    cashier: Any = None,
    discount_cents: int = 0,
    voided: bool = False,
    qty: int = 1,
) -> Any:
    from cloud_api.sales.models import Sale, SaleLine, SaleStatus

    total = sum(item.price_cents * qty for item in items) - discount_cents
    row = Sale.objects.create(
        organisation=org.organisation,
        store=store,
        cashier=cashier or org.users["cashier"],
        receipt_no=f"{store.code}-T9-{uuid4().hex[:12]}",
        completed_at=datetime.combine(day, time(9), tzinfo=UTC),
        business_date=day,
        currency="KES",
        subtotal_cents=total + discount_cents,
        discount_cents=discount_cents,
        tax_cents=0,
        total_cents=total,
        change_cents=0,
        items_count=len(items) * qty,
        status=SaleStatus.VOIDED if voided else SaleStatus.COMPLETED,
        payload_sha256="0" * 64,
    )
    SaleLine.objects.bulk_create(
        SaleLine(
            uuid=uuid7(),
            sale=row,
            line_no=number,
            product=item,
            name=item.name,
            qty=qty,
            unit_price_cents=item.price_cents,
            discount_cents=0,
            tax_cents=0,
            total_cents=item.price_cents * qty,
        )
        for number, item in enumerate(items, start=1)
    )
    return row


def activity(org: Any, store: Any, kind: str, day: date, cashier: Any) -> Any:
    from cloud_api.sync.models import TillActivity

    return TillActivity.objects.create(
        record_id=uuid7(),
        organisation=org.organisation,
        store=store,
        terminal=org.terminal,
        kind=kind,
        cashier_id=cashier.uuid,
        occurred_at=datetime.combine(day, time(10), tzinfo=UTC),
        business_date=day,
        payload={},
    )
