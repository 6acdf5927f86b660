"""Forecasts from imported history: the backtest command, the cached forecasts the Celery job
writes, reorder suggestions from them, and draft purchase orders a manager confirms."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cloud_api.analytics.forecast_methods import nb_sum_quantile
from cloud_api.analytics.forecast_series import holiday_calendar
from cloud_api.analytics.models import DemandForecastDay
from cloud_api.inventory.models import StockLevel
from cloud_api.purchases.models import OrderStatus, PurchaseOrder
from cloud_api.purchases.services import purchase_order_create, purchase_order_receive

# Units per weekday (Monday first) of two products with a clear weekly rhythm.
COLA_WEEK = [4, 5, 5, 6, 9, 14, 2]
BREAD_WEEK = [1, 0, 1, 1, 2, 3, 0]


def history_csv(tmp_path: Path, last_day: date, weeks: int, seed: int = 4) -> Path:
    """A generated POS log: one receipt per unit, Poisson around each weekday's mean."""
    rng = np.random.default_rng(seed)
    rows = ["date,receipt,product"]
    receipt = 0
    for back in range(weeks * 7 - 1, -1, -1):
        day = last_day - timedelta(days=back)
        for name, week in (("Coca-Cola 500ml", COLA_WEEK), ("Bread", BREAD_WEEK)):
            for _ in range(rng.poisson(week[day.weekday()])):
                receipt += 1
                rows.append(f"{day},{receipt},{name}")
    path = tmp_path / "history.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def import_history(org, path: Path) -> None:
    call_command(
        "import_sales_history",
        "--org",
        org.organisation.name,
        "--store",
        org.stores[0].code,
        str(path),
        stdout=StringIO(),
    )


def backtest(org, *extra: str) -> str:
    out = StringIO()
    call_command(
        "forecast_backtest",
        "--org",
        org.organisation.name,
        "--store",
        org.stores[0].name,
        *extra,
        stdout=out,
    )
    return out.getvalue()


def bench(output: str, name: str) -> float:
    match = re.search(rf"^BENCH {re.escape(name)} ([0-9.]+) x$", output, re.MULTILINE)
    assert match, output
    return float(match.group(1))


@pytest.mark.django_db
def test_the_backtest_prints_mase_per_product_and_the_bench_ratios(org_a, tmp_path):
    import_history(org_a, history_csv(tmp_path, date(2026, 3, 29), weeks=20))

    output = backtest(org_a, "--min-units", "100")

    assert "Coca-Cola 500ml" in output and "Bread" in output
    assert "2 products, 4 folds of 7 days ending 2026-03-29" in output
    overall = re.search(r"^overall +([0-9.]+) +([0-9.]+) +([0-9.]+)$", output, re.MULTILINE)
    ours, naive, holt_winters = (float(value) for value in overall.groups())
    ratio = bench(output, "forecast.mase_ratio_vs_seasonal_naive")
    assert ratio == pytest.approx(ours / naive, abs=2e-3)
    assert bench(output, "forecast.holt_winters.mase_ratio_vs_seasonal_naive") == pytest.approx(
        holt_winters / naive, abs=2e-3
    )
    assert ratio < 1.0  # a clear weekly rhythm: the same weekday last week is beaten
    only_cola = backtest(org_a, "--min-units", "500", "--folds", "2", "--horizon", "14")
    assert "1 products, 2 folds of 14 days" in only_cola and "Bread" not in only_cola


@pytest.mark.django_db
def test_the_backtest_prints_the_top_basket_rules_and_their_lift(org_a, tmp_path):
    path = history_csv(tmp_path, date(2026, 3, 29), weeks=10)
    single = len(path.read_text().splitlines()) - 1  # one receipt per unit
    with path.open("a") as handle:
        for receipt in range(8):  # eight receipts of tea with a scone, on the last days
            for product in ("Tea", "Scone"):
                handle.write(f"2026-03-{22 + receipt % 7},T{receipt},{product}\n")
    import_history(org_a, path)

    output = backtest(org_a, "--min-units", "10", "--folds", "2")

    baskets = single + 8
    # Tea and scones are only ever bought together: confidence 1, lift baskets / 8.
    assert bench(output, "forecast.basket.top_lift") == pytest.approx(baskets / 8, abs=1e-3)
    assert "Frequently bought together (2 rules)" in output
    assert re.search(r"^Tea -> Scone +[0-9.]+ +1\.000 ", output, re.MULTILINE), output
    assert re.search(r"^Scone -> Tea +[0-9.]+ +1\.000 ", output, re.MULTILINE), output


@pytest.mark.django_db
def test_the_backtest_refuses_what_it_cannot_do(org_a, tmp_path):
    with pytest.raises(CommandError, match="has no sales to backtest on"):
        backtest(org_a)
    import_history(org_a, history_csv(tmp_path, date(2026, 3, 29), weeks=6))
    with pytest.raises(CommandError, match="Too little history"):
        backtest(org_a, "--folds", "4")
    with pytest.raises(CommandError, match="no sales up to 2020-01-01"):
        backtest(org_a, "--end", "2020-01-01")
    with pytest.raises(CommandError):
        backtest(org_a, "--horizon", "0")


def test_kenyan_public_holidays_come_from_the_holidays_package():
    days = holiday_calendar("KE", date(2026, 1, 1), date(2026, 12, 31))

    assert date(2026, 12, 12) in days  # Jamhuri Day
    assert date(2026, 6, 1) in days  # Madaraka Day
    assert holiday_calendar("XX", date(2026, 1, 1), date(2026, 12, 31)) == set()


def _stocked_world(org, tmp_path: Path, *, on_hand_units: int) -> None:
    """Six weeks of history up to yesterday; cola bought from Bidco (lead time 3 days)."""
    zone = ZoneInfo(org.organisation.time_zone)
    yesterday = timezone.now().astimezone(zone).date() - timedelta(days=1)
    import_history(org, history_csv(tmp_path, yesterday, weeks=6))
    org.supplier.lead_time_days = 3
    org.supplier.save()
    cola = org.products[0]
    order = purchase_order_create(
        organisation=org.organisation,
        store=org.stores[0],
        supplier=org.supplier,
        lines=[{"product": cola, "quantity_milli": on_hand_units * 1000, "cost_price_cents": 50}],
    )
    purchase_order_receive(order=order, received_by=None)


@pytest.mark.django_db
def test_forecasts_reorder_suggestions_and_a_confirmed_draft_order(org_a, client_as, tmp_path):
    _stocked_world(org_a, tmp_path, on_hand_units=10)
    store = str(org_a.stores[0].uuid)
    manager, owner = client_as("manager"), client_as("owner")

    queued = manager.post("/api/v1/forecasts/refresh/", {}, format="json")
    forecasts = owner.get(f"/api/v1/forecasts/?store_id={store}&page_size=200").json()

    assert queued.status_code == 202, queued.content
    cola_days = [r for r in forecasts["results"] if r["product_name"] == "Coca-Cola 500ml"]
    assert len(cola_days) == 14
    saturday = next(r for r in cola_days if date.fromisoformat(r["date"]).weekday() == 5)
    sunday = next(r for r in cola_days if date.fromisoformat(r["date"]).weekday() == 6)
    assert saturday["median_milli"] > sunday["median_milli"]
    assert all(r["lower_milli"] <= r["median_milli"] <= r["upper_milli"] for r in cola_days)

    suggested = owner.get(f"/api/v1/reorder-suggestions/?store_id={store}").json()["results"]
    [cola] = [s for s in suggested if s["product_name"] == "Coca-Cola 500ml"]
    rows = DemandForecastDay.objects.filter(store=org_a.stores[0], product=org_a.products[0])
    means = np.array([r.mean_milli / 1000 for r in rows.order_by("date")][: 3 + 7])
    level = nb_sum_quantile(means, rows.first().dispersion, 0.95)
    assert cola["cover_days"] == 10 and cola["lead_time_days"] == 3
    assert cola["on_hand_milli"] == 10_000
    assert cola["order_up_to_milli"] == round(level * 1000)
    assert cola["safety_stock_milli"] > 0
    assert cola["quantity_milli"] == -(-(cola["order_up_to_milli"] - 10_000) // 1000) * 1000
    assert all(s["supplier_id"] is None for s in suggested if s["product_name"] == "Bread")

    drafted = manager.post("/api/v1/reorder-suggestions/draft-orders/", {}, format="json")
    assert drafted.status_code == 201, drafted.content
    [order] = drafted.json()
    assert order["status"] == "draft" and order["supplier_id"] == str(org_a.supplier.uuid)
    assert order["lines"][0]["quantity_milli"] == cola["quantity_milli"]
    receive = manager.post(f"/api/v1/purchase-orders/{order['id']}/receive/", {}, format="json")
    assert receive.status_code == 409 and "confirm it" in receive.json()["error"]["message"]
    assert (
        StockLevel.objects.get(store=org_a.stores[0], product=org_a.products[0]).on_hand_milli
        == 10_000
    )
    confirmed = manager.post(f"/api/v1/purchase-orders/{order['id']}/confirm/", {}, format="json")
    assert confirmed.json()["status"] == "ordered"

    after = owner.get(f"/api/v1/reorder-suggestions/?store_id={store}").json()["results"]
    assert not [s for s in after if s["product_name"] == "Coca-Cola 500ml"]


@pytest.mark.django_db
def test_products_never_ordered_go_to_the_supplier_named(org_a, client_as, tmp_path):
    _stocked_world(org_a, tmp_path, on_hand_units=500)
    manager = client_as("manager")
    manager.post("/api/v1/forecasts/refresh/", {}, format="json")

    drafted = manager.post(
        "/api/v1/reorder-suggestions/draft-orders/",
        {"supplier_id": str(org_a.supplier.uuid)},
        format="json",
    )

    assert drafted.status_code == 201, drafted.content
    [order] = drafted.json()
    assert [line["product_name"] for line in order["lines"]] == ["Bread"]
    assert PurchaseOrder.objects.get(uuid=order["id"]).status == OrderStatus.DRAFT


@pytest.mark.django_db
def test_bad_requests_get_a_plain_400(org_a, client_as):
    owner, manager = client_as("owner"), client_as("manager")
    branch = org_a.stores[1].uuid

    too_sure = owner.get("/api/v1/reorder-suggestions/?service_level=5")
    other_store = manager.get(f"/api/v1/reorder-suggestions/?store_id={branch}")
    no_store = owner.post("/api/v1/reorder-suggestions/draft-orders/", {}, format="json")
    words = owner.post(
        "/api/v1/reorder-suggestions/draft-orders/",
        {"store_id": str(org_a.stores[0].uuid), "review_days": "seven"},
        format="json",
    )

    for response in (too_sure, other_store, no_store, words):
        assert response.status_code == 400, response.content
        assert response.json()["error"]["message"]
    assert "service_level" in too_sure.json()["error"]["fields"]
