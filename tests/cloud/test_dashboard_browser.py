"""The head-office dashboard in a real browser (Debian's chromium, driven by Playwright): sign
in, see a chart with data, change a filter, drill down from a chart to the sales behind it,
open a sale, download an export and open it; then the same overview on a 390-pixel phone.

Screenshots go to ASIRIA_SCREENSHOT_DIR when it is set (docs/img for the docs), else to the
test's temp dir.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import zoneinfo
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.cloud.conftest import PASSWORD, make_org, sale_payload
from tests.cloud.purchase_support import draft_totals_follow_the_typing

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}

pytestmark = pytest.mark.slow


def shop_with_a_month_of_sales():
    """Two stores, six products, a few sales a day for four weeks at varied hours, paid in
    cash, card and M-Pesa; and a product running low."""
    from cloud_api.catalog.models import TaxClass
    from cloud_api.catalog.services import product_create
    from cloud_api.inventory.models import MovementReason
    from cloud_api.inventory.services import stock_movement_record, stock_threshold_set
    from cloud_api.sales.models import Sale
    from cloud_api.sales.serializers import SaleIn
    from cloud_api.sales.services import sale_record

    org = make_org("Mama Mboga Chain")
    standard = TaxClass.objects.get(organisation=org.organisation, code="standard")
    for name, price in [
        ("Bread 400g", 6500),
        ("Milk 500ml", 6000),
        ("Sugar 1kg", 17500),
        ("Maize flour 2kg", 21000),
    ]:
        org.products.append(
            product_create(
                organisation=org.organisation, name=name, price_cents=price, tax_class=standard
            )
        )
    today = datetime.now(NAIROBI).date()
    made = 0
    for days_back in range(27, -1, -1):
        day = today - timedelta(days=days_back)
        for n in range(2 + (day.weekday() >= 4) * 2 + days_back % 2):
            hour = [8, 10, 13, 17, 19][(n + days_back) % 5]
            items = [
                (org.products[(n + days_back) % 6], None, 1500)
                if org.products[(n + days_back) % 6].sold_by == "weight"
                else (org.products[(n + days_back) % 6], 1 + n % 3, None),
                (org.products[(n + 2) % 6 if (n + 2) % 6 != 1 else 2], 1, None),
            ]
            payload = sale_payload(
                org,
                items=items,
                completed_at=datetime(day.year, day.month, day.day, hour, 7 * n, tzinfo=NAIROBI),
            )
            total = payload["total_cents"]
            method = ["cash", "mpesa", "card", "mpesa"][(n + days_back) % 4]
            paid = total + (5000 - total % 5000 if method == "cash" else 0)
            payload["payments"][0].update(method=method, amount_cents=paid)
            payload["change_cents"] = paid - total
            data = SaleIn(data=payload)
            data.is_valid(raise_exception=True)
            validated = dict(data.validated_data)
            validated.pop("store_id")
            sale, _ = sale_record(
                organisation=org.organisation, store=org.stores[0], payload=validated
            )
            if made % 3 == 2:
                Sale.objects.filter(pk=sale.pk).update(store=org.stores[1])
            made += 1
    # Sales were moved to the branch under the report aggregates: rebuild them from the rows.
    call_command("reports_rebuild", "--org", str(org.organisation.pk))
    main = org.stores[0]
    stock_movement_record(
        store=main, product=org.products[2], delta_milli=4000, reason=MovementReason.ADJUSTMENT
    )
    stock_threshold_set(store=main, product=org.products[2], threshold_milli=12000)
    _tills_and_notices(org)
    return org


def _tills_and_notices(org) -> None:
    """One till that synced a minute ago, one quiet since yesterday, and a notification."""
    from django.utils import timezone

    from cloud_api.accounts.models import Terminal
    from cloud_api.accounts.services import terminal_create, terminal_enroll
    from cloud_api.notifications.models import Notification

    now = timezone.now()
    Terminal.objects.filter(pk=org.terminal.pk).update(
        last_push_at=now - timedelta(minutes=1),
        last_pull_at=now - timedelta(minutes=1),
        app_version="0.1.0",
        unsent_count=0,
    )
    _, code = terminal_create(store=org.stores[1], name="Branch till", created_by=None)
    branch_till, _, _ = terminal_enroll(code=code, name="Branch till")
    Terminal.objects.filter(pk=branch_till.pk).update(
        last_push_at=now - timedelta(hours=20),
        last_pull_at=now - timedelta(hours=20),
        app_version="0.1.0",
        unsent_count=14,
    )
    Notification.objects.create(
        organisation=org.organisation,
        user=org.users["owner"],
        store=org.stores[0],
        kind="low_stock",
        message="Bread 400g is running low at Mama Mboga Chain Main (4 left).",
    )


@pytest.fixture
def browser(monkeypatch):
    if not Path(CHROMIUM).exists():
        pytest.fail("This test needs Debian's chromium: apt-get install -y chromium")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless"]
        )
        yield browser
        browser.close()


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ASIRIA_SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


CHART_SUM = """id => {
  const chart = Chart.getChart(document.getElementById(id));
  return chart ? chart.data.datasets[0].data.reduce((a, b) => a + b, 0) : null;
}"""
# Where the busiest day's point is drawn, in page coordinates.
BUSIEST_POINT = """() => {
  const canvas = document.getElementById('chart-trend');
  const chart = Chart.getChart(canvas);
  const values = chart.data.datasets[0].data;
  const index = values.indexOf(Math.max(...values));
  const point = chart.getDatasetMeta(0).data[index];
  const box = canvas.getBoundingClientRect();
  return {x: box.left + point.x, y: box.top + point.y, label: chart.data.labels[index]};
}"""
OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"


def test_head_office_signs_in_filters_drills_down_and_exports(
    transactional_db, live_server, browser, tmp_path
):
    from cloud_api.core.principal import principal_for_user
    from cloud_api.reporting.selectors.summary import sales_summary

    org = shop_with_a_month_of_sales()
    owner = org.users["owner"]
    shots = shots_dir(tmp_path)
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True, locale="en-GB")
    page = context.new_page()

    # Sign in: the dashboard sends a visitor to its own sign-in page.
    page.goto(f"{live_server.url}/dashboard/")
    assert "/dashboard/login/" in page.url
    page.screenshot(path=str(shots / "dashboard-login.png"))
    page.fill("#id_username", owner.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")

    # A chart with data, adding up to the API's summary of the same 30 days.
    page.wait_for_selector("#chart-trend[data-ready='1']")
    today = datetime.now(NAIROBI).date()
    summary = sales_summary(
        principal=principal_for_user(owner),
        date_from=today - timedelta(days=29),
        date_to=today,
    )
    assert round(page.evaluate(CHART_SUM, "chart-trend") * 100) == summary["total_cents"] > 0
    assert page.evaluate(CHART_SUM, "chart-stores") * 100 == pytest.approx(summary["total_cents"])
    assert page.evaluate(OVERFLOW) <= 0
    page.screenshot(path=str(shots / "dashboard-overview.png"), full_page=True)
    page.click("text=See these sales")
    page.wait_for_url("**/dashboard/sales/**")
    assert (
        page.locator("table.sales tbody tr").count() == 50
    )  # one page: over 50 sales in the period
    page.screenshot(path=str(shots / "dashboard-sales.png"), full_page=False)
    page.go_back()
    page.wait_for_selector("#chart-trend[data-ready='1']")

    # Change a filter: only the branch.
    branch = org.stores[1]
    page.select_option("select[name=store]", str(branch.uuid))
    page.click(".filters button[type=submit]")
    page.wait_for_selector("#chart-trend[data-ready='1']")
    assert f"store={branch.uuid}" in page.url
    assert page.inner_text("h1") == branch.name
    branch_summary = sales_summary(
        principal=principal_for_user(owner),
        date_from=today - timedelta(days=29),
        date_to=today,
        store=branch,
    )
    assert round(page.evaluate(CHART_SUM, "chart-trend") * 100) == branch_summary["total_cents"]

    # Drill down: click the busiest day's point on the trend chart.
    page.locator("#chart-trend").scroll_into_view_if_needed()
    point = page.evaluate(BUSIEST_POINT)
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/dashboard/sales/**")
    assert f"store={branch.uuid}" in page.url
    receipts = page.locator("table.sales tbody tr")
    assert receipts.count() >= 1
    listed = receipts.count()

    # Download the export of exactly these sales and open it.
    with page.expect_download() as download_info:
        page.click("text=Download these sales (CSV)")
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert len(rows) == listed
    assert {row["Store"] for row in rows} == {branch.name}
    shown_total = page.inner_text(".period strong")
    assert shown_total.startswith(f"{listed} sale")

    # One sale: its lines and payments.
    page.click("table.sales tbody tr:first-child a")
    page.wait_for_url("**/dashboard/sales/*/**")
    assert "Items" in page.inner_text("main") and "Payments" in page.inner_text("main")
    assert "KES " in page.inner_text("main")
    page.screenshot(path=str(shots / "dashboard-sale.png"), full_page=True)

    # A report on screen, then its Excel file made as an export job and opened.
    page.click("header nav >> text=Reports")
    page.wait_for_url("**/dashboard/reports/**")
    assert page.inner_text("h1") == "Sales by day"
    whole, cents = divmod(summary["total_cents"], 100)
    assert f"{whole:,}.{cents:02d}" in page.inner_text("table.report tfoot")
    assert page.evaluate(OVERFLOW) <= 0
    page.screenshot(path=str(shots / "dashboard-reports.png"), full_page=False)
    page.click("text=Download Excel (XLSX)")
    page.wait_for_url("**/dashboard/exports/**")
    page.wait_for_selector("#download", timeout=60_000)
    with page.expect_download() as download_info:
        page.click("#download")
    saved = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(saved)
    sheet = load_workbook(saved).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    column = values[1].index("Sales total")
    assert values[-1][0] == "Total"
    assert round(values[-1][column] * 100) == summary["total_cents"]
    context.close()

    # The same overview on a phone: nothing wider than the screen.
    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="en-GB"
    )
    mobile = phone.new_page()
    mobile.goto(f"{live_server.url}/dashboard/login/")
    mobile.fill("#id_username", owner.email)
    mobile.fill("#id_password", PASSWORD)
    mobile.click("button[type=submit]")
    mobile.wait_for_selector("#chart-trend[data-ready='1']")
    assert mobile.evaluate(OVERFLOW) <= 0
    mobile.screenshot(path=str(shots / "dashboard-phone.png"), full_page=False)
    mobile.goto(f"{live_server.url}/dashboard/sales/")
    assert mobile.evaluate(OVERFLOW) <= 0
    phone.close()


def sign_in(page, url: str, user) -> None:
    page.goto(f"{url}/dashboard/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/dashboard/")


FORECAST_BAND = """() => {
  const chart = Chart.getChart(document.getElementById('chart-forecast'));
  const [upper, lower, median] = chart.data.datasets.map(d => d.data);
  return {upper, lower, median};
}"""


def test_a_manager_reads_the_insights_and_creates_a_draft_order(
    transactional_db, live_server, browser, tmp_path
):
    from cloud_api.analytics import selectors as analytics
    from cloud_api.catalog.models import Product
    from cloud_api.purchases.models import OrderStatus, PurchaseOrder

    from .analytics_support import stocked_shop

    org = stocked_shop(make_org("Duka Bakery"), tmp_path)
    main = org.stores[0]
    last_day = datetime.now(NAIROBI).date() - timedelta(days=1)
    shots = shots_dir(tmp_path)
    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    page = context.new_page()
    sign_in(page, live_server.url, org.users["manager"])

    # The overview's insights and flags, for the days of the filter.
    page.fill("input[name=date_to]", last_day.isoformat())
    page.fill("input[name=date_from]", (last_day - timedelta(days=13)).isoformat())
    page.click(".filters button[type=submit]")
    page.wait_for_selector("#insights .insight")
    insights = analytics.insight_list(stores=[main], date_to=last_day, limit=8)
    assert page.locator("#insights .insight").all_inner_texts() == [i.text for i in insights]
    flags = page.locator("#insights .flag").all_inner_texts()
    assert any("far above the usual" in flag for flag in flags), flags
    page.locator("#insights").screenshot(path=str(shots / "dashboard-insights.png"))

    # The analytics page: suggestions, pairs and a forecast band drawn from the cached rows.
    page.click("#insights >> text=Reorder suggestions, bought together and forecasts")
    page.wait_for_url("**/dashboard/analytics/**")
    page.wait_for_selector("#chart-forecast[data-ready='1']")
    product = page.locator("select[name=product] option[selected]").inner_text()
    days = analytics.forecast_days(
        store=main, product=Product.objects.get(organisation=org.organisation, name=product)
    )
    band = page.evaluate(FORECAST_BAND)
    assert band["median"] == [d.median_milli / 1000 for d in days]
    assert band["lower"] == [d.lower_milli / 1000 for d in days]
    assert band["upper"] == [d.upper_milli / 1000 for d in days]
    assert page.locator("table.rules tbody tr").count() >= 2
    assert page.evaluate(OVERFLOW) <= 0
    page.screenshot(path=str(shots / "dashboard-analytics.png"), full_page=True)

    # One click: the suggestions become a draft order the manager then checks and confirms.
    suggested = {
        s.product.name: s.quantity_milli for s in analytics.reorder_suggestion_list(stores=[main])
    }
    page.select_option("form.draft select[name=supplier]", str(org.supplier.uuid))
    page.click(f"text=Create draft order for {main.name}")
    page.wait_for_selector(".message.success")
    [order] = PurchaseOrder.objects.filter(store=main, status=OrderStatus.DRAFT)
    assert {line.product.name: line.quantity_milli for line in order.lines.all()} == suggested
    assert f"Draft order {order.uuid.hex[:8]} to {org.supplier.name}" in page.inner_text(
        ".messages"
    )
    assert "Nothing to reorder" in page.inner_text("#reorder")

    # The message links to the draft: change the cola quantity, confirm, and it is ordered.
    page.click(".messages >> text=Check and confirm it")
    page.wait_for_url(f"**/dashboard/purchases/{order.uuid}/")
    assert page.inner_text("#order-status") == "Draft"
    cola = order.lines.get(product__name="Coca-Cola 500ml")
    assert page.evaluate(OVERFLOW) <= 0
    page.set_viewport_size(PHONE)
    assert page.evaluate(OVERFLOW) <= 0
    page.screenshot(path=str(shots / "dashboard-purchase-order-phone.png"), full_page=True)
    page.set_viewport_size(LAPTOP)

    draft_totals_follow_the_typing(page, order, cola)
    page.screenshot(path=str(shots / "dashboard-purchase-order.png"), full_page=True)
    page.click("button[value=confirm]")
    page.wait_for_selector(".message.success")
    assert page.inner_text("#order-status") == "Ordered"
    assert "is confirmed" in page.inner_text(".messages")
    order.refresh_from_db()
    cola.refresh_from_db()
    assert order.status == OrderStatus.ORDERED and cola.quantity_milli == 30_000
    context.close()

    # On a phone: nothing wider than the screen; head office sees who may draft.
    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="en-GB"
    )
    mobile = phone.new_page()
    sign_in(mobile, live_server.url, org.users["head_office"])
    mobile.goto(f"{live_server.url}/dashboard/purchases/{order.uuid}/")
    assert mobile.inner_text("#order-status") == "Ordered"
    assert mobile.locator("button[value=confirm]").count() == 0
    assert mobile.evaluate(OVERFLOW) <= 0
    PurchaseOrder.objects.filter(pk=order.pk).delete()  # the suggestions come back
    mobile.goto(f"{live_server.url}/dashboard/analytics/?store={main.uuid}")
    mobile.wait_for_selector("#chart-forecast[data-ready='1']")
    assert mobile.locator("#reorder button[disabled]").count() == 1
    assert "Only an owner or the store's manager" in mobile.inner_text("#reorder")
    assert mobile.evaluate(OVERFLOW) <= 0
    mobile.screenshot(path=str(shots / "dashboard-analytics-phone.png"), full_page=False)
    mobile.goto(f"{live_server.url}/dashboard/?store={main.uuid}&date_to={last_day}")
    mobile.wait_for_selector("#insights")
    assert mobile.evaluate(OVERFLOW) <= 0
    phone.close()
