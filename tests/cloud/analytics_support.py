"""Sales, products and till activity written straight to the tables, for analytics tests that
need weeks of history (the push path has its own tests; here only the rows matter); and a shop
whose history comes in through the sales-history import, with forecasts and basket rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import numpy as np
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


COLA_WEEK = [4, 5, 5, 6, 9, 14, 2]  # units per weekday, Monday first
BREAD_WEEK = [2, 1, 2, 2, 3, 4, 1]
PRICES = {"Coca-Cola 500ml": "80", "Bread": "55.50", "Tea": "30", "Scone": "45"}
WEEKS = 12
SPIKE_UNITS = 80


def history_csv(tmp_path: Path, last_day: date) -> Path:
    """Twelve weeks of a shop's POS log: cola sells twice as much in the last four weeks, tea
    and scones are bought together, and the last day has a huge cola order."""
    rng = np.random.default_rng(7)
    rows = ["date,receipt,product,quantity,unit_price"]
    receipt = 0

    def add(day: date, *items: tuple[str, int]) -> None:
        nonlocal receipt
        receipt += 1
        rows.extend(f"{day},{receipt},{name},{qty},{PRICES[name]}" for name, qty in items)

    for back in range(WEEKS * 7 - 1, -1, -1):
        day = last_day - timedelta(days=back)
        boost = 2 if back < 28 else 1
        for _ in range(rng.poisson(COLA_WEEK[day.weekday()] * boost)):
            add(day, ("Coca-Cola 500ml", 1))
        for _ in range(rng.poisson(BREAD_WEEK[day.weekday()])):
            add(day, ("Bread", 1))
        for _ in range(2):
            add(day, ("Tea", 1), ("Scone", 1))
        add(day, ("Tea", 1))
    add(last_day, ("Coca-Cola 500ml", SPIKE_UNITS))
    path = tmp_path / "history.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def stocked_shop(org: Any, tmp_path: Path) -> Any:
    """Imported history at the main store, cola bought from Bidco (3 days' lead time) with 10
    on hand, the nightly forecasts and basket rules computed."""
    from django.core.management import call_command

    from cloud_api.analytics.basket_services import basket_rules_compute
    from cloud_api.analytics.forecast_run import store_forecasts_refresh
    from cloud_api.purchases.services import purchase_order_create, purchase_order_receive

    main = org.stores[0]
    last_day = datetime.now(ZoneInfo(org.organisation.time_zone)).date() - timedelta(days=1)
    call_command(
        "import_sales_history",
        "--org",
        org.organisation.name,
        "--store",
        main.code,
        str(history_csv(tmp_path, last_day)),
        stdout=StringIO(),
    )
    org.supplier.lead_time_days = 3
    org.supplier.save()
    order = purchase_order_create(
        organisation=org.organisation,
        store=main,
        supplier=org.supplier,
        lines=[{"product": org.products[0], "quantity_milli": 10_000, "cost_price_cents": 5050}],
    )
    purchase_order_receive(order=order, received_by=None)
    store_forecasts_refresh(store=main)
    basket_rules_compute(store=main, date_to=last_day)
    return org


def signed_in(user: Any, csrf: bool = False) -> Any:
    """A browser session of ``user`` on the dashboard (``csrf``: checked as a browser's)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client
