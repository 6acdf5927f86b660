"""What head office reads in the admin: money in shillings, stock in pieces or kilograms, people
by name, a sale's lines and payments, warnings that look like warnings, list totals, and never
another organisation's names, not even in a filter sidebar."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from html import unescape
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
GREEN_TICK = "icon-yes.svg"


def _record(org, payload):
    from cloud_api.sales.serializers import SaleIn
    from cloud_api.sales.services import sale_record

    data = SaleIn(data=payload)
    data.is_valid(raise_exception=True)
    validated = dict(data.validated_data)
    validated.pop("store_id")
    sale, _ = sale_record(organisation=org.organisation, store=org.stores[0], payload=validated)
    return sale


def _html(response) -> str:
    assert response.status_code == 200, (response.status_code, response.request["PATH_INFO"])
    return response.content.decode()


def _text(html: str) -> str:
    """The page as a reader sees it: tags dropped, runs of white space made one."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


# --- the formatting helper ------------------------------------------------------------------


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_money_reads_back_as_the_same_amount_of_cents(cents):
    from cloud_api.core.admin_display import money

    shown = money(cents, "KES")

    assert re.fullmatch(r"KES -?\d{1,3}(,\d{3})*\.\d\d", shown), shown
    assert Decimal(shown.removeprefix("KES ").replace(",", "")) * 100 == cents


@given(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(["unit", "weight"]))
def test_quantities_read_back_as_the_same_thousandths(milli, sold_by):
    from cloud_api.core.admin_display import quantity

    shown = quantity(milli, sold_by)
    number, unit = shown.rsplit(" ", 1)

    assert unit == ("kg" if sold_by == "weight" else "pc" if abs(milli) == 1000 else "pcs")
    assert Decimal(number.replace(",", "")) * 1000 == milli
    if sold_by == "weight":
        assert re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d{3}", number), shown


def test_money_and_quantity_examples():
    from cloud_api.core.admin_display import money, quantity

    assert money(49350, "KES") == "KES 493.50"
    assert money(123456789, "UGX") == "UGX 1,234,567.89"
    assert money(-550, "KES") == "KES -5.50"
    assert quantity(43000, "unit") == "43 pcs"
    assert quantity(750, "weight") == "0.750 kg"
    assert quantity(1500, "unit") == "1.5 pcs"
    assert quantity(1000, "unit") == "1 pc"


# --- pages ----------------------------------------------------------------------------------


def test_sales_list_shows_money_names_warnings_and_the_total(org_a, client, record_sale):
    from cloud_api.catalog.services import product_update

    record_sale(org_a)  # 2 x KES 80.00 + 1.250 kg x KES 120.00 = KES 310.00
    coke = org_a.products[0]
    cheaper = org_a.make_sale(items=[(coke, 1, None)])
    product_update(product=coke, price_cents=9000)  # the till still charged 80.00
    cheaper["completed_at"] = datetime.now(UTC).isoformat()
    mismatched = _record(org_a, cheaper)
    client.force_login(org_a.users["head_office"])

    html = _html(client.get("/admin/sales/sale/"))
    text = _text(html)

    assert mismatched.price_mismatch
    assert "KES 310.00" in text and "KES 80.00" in text
    assert "31000" not in text and "Total cents" not in text and "TOTAL CENTS" not in text
    assert "cashier of Alpha Shops" in text  # the cashier's name, not an e-mail
    assert "Welcome, head_office of Alpha Shops" in text
    assert "cashier@alphashops.example" not in text
    assert "⚠ differs from catalog" in text
    assert GREEN_TICK not in html
    assert "2 sales listed, totalling KES 390.00" in text


def test_list_total_counts_the_filtered_sales_and_leaves_voided_ones_out(
    org_a, client, record_sale
):
    from cloud_api.sales.services import sale_void

    record_sale(org_a)
    voided = record_sale(org_a)
    sale_void(sale=voided, reason="Wrong items", voided_by=org_a.users["manager"])
    client.force_login(org_a.users["owner"])

    everything = _text(_html(client.get("/admin/sales/sale/")))
    only_voided = _text(_html(client.get("/admin/sales/sale/", {"status__exact": "voided"})))

    assert "2 sales listed, totalling KES 310.00 (voided sales not counted)" in everything
    assert "1 sale listed, totalling nothing (voided sales not counted)" in only_voided


def test_a_sale_page_shows_its_lines_and_payments_in_money(org_a, client, record_sale):
    sale = record_sale(org_a, pay=[("cash", 20000), ("mpesa", 11000)])
    client.force_login(org_a.users["head_office"])

    text = _text(_html(client.get(f"/admin/sales/sale/{sale.pk}/change/")))

    assert "Coca-Cola 500ml" in text and "Tomatoes (kg)" in text
    assert "2 pcs" in text and "1.250 kg" in text
    assert "KES 160.00" in text and "KES 150.00" in text  # the lines' totals
    assert "KES 200.00" in text and "KES 110.00" in text  # the payments
    assert "Cash" in text and "M-Pesa" in text
    assert "Total: KES 310.00" in text
    assert "cashier of Alpha Shops" in text
    assert "cents" not in text.lower() and "milli" not in text.lower()


def test_stock_levels_in_pieces_and_kilograms_with_low_stock_warned(org_a, client):
    from cloud_api.inventory.models import MovementReason
    from cloud_api.inventory.services import stock_movement_record, stock_threshold_set

    main = org_a.stores[0]
    coke, tomatoes = org_a.products
    stock_movement_record(
        store=main, product=coke, delta_milli=43000, reason=MovementReason.ADJUSTMENT
    )
    stock_movement_record(
        store=main, product=tomatoes, delta_milli=750, reason=MovementReason.ADJUSTMENT
    )
    stock_threshold_set(store=main, product=tomatoes, threshold_milli=2000)
    client.force_login(org_a.users["head_office"])

    text = _text(_html(client.get("/admin/inventory/stocklevel/")))
    low_only = _text(_html(client.get("/admin/inventory/stocklevel/", {"stock": "low"})))
    movements = _text(_html(client.get("/admin/inventory/stockmovement/")))

    assert "43 pcs" in text and "0.750 kg" in text and "2.000 kg" in text
    assert "43000" not in text and "milli" not in text.lower()
    assert text.count("⚠ low stock") == 1
    assert "Tomatoes (kg)" in low_only and "Coca-Cola 500ml" not in low_only
    assert "43 pcs" in movements and "0.750 kg" in movements


def test_admin_index_spells_the_model_names_right(org_a, client):
    client.force_login(org_a.users["owner"])

    text = _text(_html(client.get("/admin/")))

    assert "Tax classes" in text and "Till activity" in text
    assert "classs" not in text and "activitys" not in text


def test_payments_and_refunds_lists_show_money_and_totals(org_a, client, record_sale):
    record_sale(org_a, pay=[("cash", 20000), ("mpesa", 11000)])
    client.force_login(org_a.users["head_office"])

    payments = _text(_html(client.get("/admin/payments/payment/")))
    products = _text(_html(client.get("/admin/catalog/product/")))

    assert "KES 200.00" in payments and "KES 110.00" in payments
    assert "2 payments listed, totalling KES 310.00" in payments
    assert "KES 120.00" in products and "12000" not in products


def test_admin_times_are_the_shops_clock_not_the_servers(org_a, client, record_sale):
    sale = record_sale(org_a)  # completed at 13:05 in Nairobi, 10:05 UTC
    client.force_login(org_a.users["head_office"])

    listed = _text(_html(client.get("/admin/sales/sale/")))
    page = _text(_html(client.get(f"/admin/sales/sale/{sale.pk}/change/")))

    assert "Nov. 24, 2026, 1:05 p.m." in listed and "10:05 a.m." not in listed
    assert "Nov. 24, 2026, 1:05 p.m." in page


def test_a_product_page_shows_money_to_head_office_and_stored_cents_to_an_operator(
    org_a, client, admin_user
):
    coke = org_a.products[0]
    standard = coke.tax_class
    client.force_login(org_a.users["head_office"])

    product = _text(_html(client.get(f"/admin/catalog/product/{coke.pk}/change/")))
    tax = _text(_html(client.get(f"/admin/catalog/taxclass/{standard.pk}/change/")))
    client.force_login(admin_user)
    editable = _html(client.get(f"/admin/catalog/product/{coke.pk}/change/"))

    assert "Price: KES 80.00" in product and "8000" not in product
    assert "cents" not in product.lower()
    assert "Rate: 16 %" in tax and "1600" not in tax
    assert 'name="price_cents" value="8000"' in editable


def test_no_page_head_office_opens_speaks_of_cents_or_thousandths(org_a, client, record_sale):
    from django.contrib import admin
    from django.urls import reverse

    record_sale(org_a, pay=[("cash", 20000), ("mpesa", 11000)])
    user = org_a.users["head_office"]
    client.force_login(user)
    request = type("Request", (), {"user": user})()
    opened = 0

    for model, model_admin in admin.site._registry.items():
        if not model.__module__.startswith("cloud_api."):
            continue
        first = model_admin.get_queryset(request).first()
        if first is None:
            continue
        meta = model._meta
        page = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[first.pk])
        text = _text(_html(client.get(page)))
        opened += 1
        assert not re.search(r"\b(cents|milli)\b", text, re.IGNORECASE), page

    assert opened >= 10


# --- scoping --------------------------------------------------------------------------------


def _changelists():
    from django.contrib import admin
    from django.urls import reverse

    for model in admin.site._registry:
        meta = model._meta
        yield reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


def test_no_admin_list_names_another_organisation(org_a, org_b, client, record_sale):
    from cloud_api.catalog.services import category_create
    from cloud_api.purchases.services import supplier_create

    record_sale(org_a)
    record_sale(org_b)
    category_create(organisation=org_b.organisation, name="Beta Snacks")
    supplier_create(organisation=org_b.organisation, name="Beta Wholesale")
    pages = list(_changelists())

    for role in ("owner", "head_office"):
        client.force_login(org_a.users[role])
        shown = 0
        for page in pages:
            for query in ({}, {"_facets": "1"}):
                response = client.get(page, query)
                html = response.content.decode()
                assert response.status_code in (200, 403), (page, response.status_code)
                assert "Beta" not in html and "betastores" not in html, (role, page, query)
                shown += response.status_code == 200
        assert shown >= 2 * 18  # every list of the project's own apps, filters included


def test_an_operator_still_filters_by_every_organisation(org_a, org_b, client, admin_user):
    client.force_login(admin_user)

    html = _html(client.get("/admin/accounts/store/"))

    assert "Alpha Shops" in html and "Beta Stores" in html


def test_the_admin_path_comes_from_the_environment():
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings; from django.urls import reverse\n"
        "print(reverse('admin:index'), settings.LOGIN_URL, reverse('landing'))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cloud_api.settings_test",
        "ASIRIA_ADMIN_PATH": "/back-office/",
        "PYTHONPATH": str(REPO),
    }

    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["/back-office/", "/back-office/login/", "/"]


@pytest.mark.django_db
def test_the_site_root_leads_to_the_admin_and_the_api_docs(client):
    root = client.get("/")
    missing = client.get("/no-such-page/")

    assert root.status_code == 200
    html = root.content.decode()
    assert 'href="/admin/"' in html and 'href="/api/v1/docs/"' in html
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
