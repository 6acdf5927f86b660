"""The daily sales summary, in store-local dates."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")


def test_summary_counts_sales_by_local_day_and_leaves_voids_out(org_a, client_as, record_sale):
    coke, tomatoes = org_a.products
    record_sale(
        org_a, items=[(coke, 2, None)], completed_at=datetime(2026, 11, 24, 9, 0, tzinfo=NAIROBI)
    )
    record_sale(
        org_a,
        items=[(coke, 1, None), (tomatoes, None, 500)],
        completed_at=datetime(2026, 11, 25, 0, 15, tzinfo=NAIROBI),
    )  # 24th in UTC
    voided = record_sale(
        org_a, items=[(coke, 5, None)], completed_at=datetime(2026, 11, 25, 10, 0, tzinfo=NAIROBI)
    )
    client_as("manager").post(
        f"/api/v1/sales/{voided.uuid}/void/", {"reason": "test"}, format="json"
    )

    response = client_as("head_office").get(
        "/api/v1/reports/sales-summary/?date_from=2026-11-24&date_to=2026-11-25"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["sales_count"] == 2
    assert body["items_count"] == 2 + 2
    assert body["total_cents"] == 16000 + 8000 + 6000
    assert body["tax_cents"] == 2207 + 1103
    assert body["voided_count"] == 1
    assert body["by_day"] == [
        {
            "date": "2026-11-24",
            "sales_count": 1,
            "items_count": 2,
            "total_cents": 16000,
            "tax_cents": 2207,
        },
        {
            "date": "2026-11-25",
            "sales_count": 1,
            "items_count": 2,
            "total_cents": 14000,
            "tax_cents": 1103,
        },
    ]


def test_summary_for_one_store_and_a_manager_sees_only_theirs(org_a, client_as, record_sale):
    record_sale(org_a)
    branch = org_a.stores[1]

    owner_branch = (
        client_as("owner")
        .get(
            f"/api/v1/reports/sales-summary/?date_from=2026-11-01&date_to=2026-11-30&store_id={branch.uuid}"
        )
        .json()
    )
    manager_branch = client_as("manager").get(
        f"/api/v1/reports/sales-summary/?date_from=2026-11-01&date_to=2026-11-30&store_id={branch.uuid}"
    )
    manager_all = (
        client_as("manager")
        .get("/api/v1/reports/sales-summary/?date_from=2026-11-01&date_to=2026-11-30")
        .json()
    )

    assert owner_branch["sales_count"] == 0
    assert manager_branch.status_code == 400  # not a store they can see
    assert manager_all["sales_count"] == 1


def test_summary_needs_a_sane_range(org_a, client_as):
    backwards = client_as("owner").get(
        "/api/v1/reports/sales-summary/?date_from=2026-11-30&date_to=2026-11-01"
    )
    missing = client_as("owner").get("/api/v1/reports/sales-summary/")
    huge = client_as("owner").get(
        "/api/v1/reports/sales-summary/?date_from=2020-01-01&date_to=2026-01-01"
    )

    assert backwards.status_code == missing.status_code == huge.status_code == 400
    assert "date_from" in missing.json()["error"]["fields"]


def test_refunds_reduce_the_net_on_the_day_they_are_given(org_a, client_as, record_sale):
    from django.utils import timezone

    sale = record_sale(org_a, completed_at=timezone.now())
    client_as("manager").post(
        f"/api/v1/sales/{sale.uuid}/refunds/",
        {
            "method": "cash",
            "reason": "x",
            "lines": [{"line_id": str(sale.lines.first().uuid), "qty": 1}],
        },
        format="json",
    )
    today = timezone.now().astimezone(zoneinfo.ZoneInfo("Africa/Nairobi")).date().isoformat()

    body = (
        client_as("owner")
        .get(f"/api/v1/reports/sales-summary/?date_from={today}&date_to={today}")
        .json()
    )

    assert body["refunds_cents"] == 8000
    assert body["net_cents"] == body["total_cents"] - 8000
