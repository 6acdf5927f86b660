"""Anomaly flags on generated weeks of sales: a cashier far above peers and own history is
flagged with the reason in words; a store-wide bad week and a steady high voider are not; a
day far outside its weekday's usual takings is."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from . import analytics_support as data
from .conftest import PASSWORD, jwt_client

SUNDAY = date(2026, 11, 29)  # the end of the week looked at (Mon 23 - Sun 29 Nov)
WEEKS = 9  # eight weeks of history and the week looked at
NAMES = ["Amina", "Brian", "Chebet", "David", "Esther"]


@pytest.fixture
def shop(org_a):
    from cloud_api.accounts.models import Role
    from cloud_api.accounts.services import user_create

    store = org_a.stores[0]
    cashiers = {
        name: user_create(
            actor=None,
            organisation=org_a.organisation,
            name=name,
            email=f"{name.lower()}@alpha.example",
            role=Role.CASHIER,
            password=PASSWORD,
            store=store,
            pin=None,
        )
        for name in NAMES
    }
    [product] = data.products(org_a, ["Bread"], price_cents=10000).values()
    start = SUNDAY - timedelta(weeks=WEEKS) + timedelta(days=1)
    day = start
    while day <= SUNDAY:
        for cashier in cashiers.values():  # one 100-shilling sale each, every day
            data.sale(org_a, store, day, [product], cashier=cashier)
        day += timedelta(days=1)
    return org_a, store, cashiers, product, start


def _weekly_voids(org, store, cashiers, start, per_week, rng) -> None:
    for week in range(WEEKS):
        monday = start + timedelta(weeks=week)
        for name, cashier in cashiers.items():
            for _ in range(per_week(name, week, rng)):
                day = monday + timedelta(days=rng.randrange(7))
                data.activity(org, store, "sale.voided", day, cashier)


def _flags(org, **query):
    owner = jwt_client(org.users["owner"])
    params = {"date_to": SUNDAY.isoformat(), **query}
    response = owner.get("/api/v1/analytics/anomalies/", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_cashier_voiding_far_more_than_peers_and_usual_is_flagged_with_the_reason(shop):
    org, store, cashiers, _, start = shop
    rng = random.Random(7)

    def voids(name: str, week: int, rng: random.Random) -> int:
        if name == "Amina" and week == WEEKS - 1:
            return 9
        return rng.choice([1, 2, 2, 3])

    _weekly_voids(org, store, cashiers, start, voids, rng)
    answer = _flags(org)
    assert answer["date_from"] == "2026-11-23"
    void_flags = [flag for flag in answer["flags"] if flag["kind"] == "voids"]
    assert [flag["cashier_name"] for flag in void_flags] == ["Amina"]
    flag = void_flags[0]
    assert flag["value"] == 9 and flag["numbers"]["count"] == 9
    assert flag["numbers"]["peers"] == 4
    expected_start = f"Amina voided 9 sales this week; cashiers at {store.name} void "
    assert flag["reason"].startswith(expected_start)
    assert "on average and Amina usually voids 2" in flag["reason"]
    assert flag["severity"] > 3


def test_a_store_wide_bad_week_and_a_steady_high_voider_are_not_flagged(shop):
    org, store, cashiers, _, start = shop

    def voids(name: str, week: int, rng: random.Random) -> int:
        if name == "Brian":
            return 9  # the returns desk: always many, so not unusual for Brian
        return 8 if week == WEEKS - 1 else 1  # a broken scanner: everybody voids more

    _weekly_voids(org, store, cashiers, start, voids, random.Random(3))
    assert [f for f in _flags(org)["flags"] if f["kind"] == "voids"] == []


def test_no_sale_drawer_openings_and_discounts_are_flagged_too(shop):
    org, store, cashiers, product, _start = shop
    for day in range(6):
        data.activity(org, store, "drawer.opened", SUNDAY - timedelta(days=day), cashiers["David"])
    for _ in range(5):
        data.sale(org, store, SUNDAY, [product], cashier=cashiers["Esther"], discount_cents=2000)
    flags = {(f["kind"], f["cashier_name"]): f for f in _flags(org)["flags"]}
    assert (
        "David opened the drawer with no sale 6 times this week"
        in (flags["no_sales", "David"]["reason"])
    )
    assert flags["discounts", "Esther"]["reason"].startswith("Esther discounted 5 sales this week")
    assert {kind for kind, _ in flags} <= {"no_sales", "discounts", "day_sales"}


def test_a_day_far_above_its_weekdays_usual_takings_is_flagged(shop):
    org, store, cashiers, product, _ = shop
    for _ in range(15):  # Saturday 28 Nov: 20 sales instead of the usual 5
        data.sale(org, store, SUNDAY - timedelta(days=1), [product], cashier=cashiers["Chebet"])
    days = [f for f in _flags(org)["flags"] if f["kind"] == "day_sales"]
    assert [f["date"] for f in days] == ["2026-11-28"]
    day = days[0]
    assert day["numbers"]["total_cents"] == 20 * 10000
    assert day["numbers"]["usual_cents"] == 5 * 10000
    assert day["reason"] == (
        f"{store.name} took KES 2,000 on Saturday 28 Nov, far above the usual KES 375 to "
        "KES 625 for a Saturday."
    )


def test_a_manager_sees_only_their_store_and_bad_input_is_a_400(shop, org_b):
    org, _, _, _, _ = shop
    manager = jwt_client(org.users["manager"])
    other = manager.get("/api/v1/analytics/anomalies/", {"store_id": str(org.stores[1].uuid)})
    assert other.status_code == 400
    assert manager.get("/api/v1/analytics/anomalies/", {"days": "400"}).status_code == 400
    assert manager.get("/api/v1/analytics/anomalies/", {"date_to": "soon"}).status_code == 400
    stranger = jwt_client(org_b.users["owner"])
    assert stranger.get("/api/v1/analytics/anomalies/").json()["flags"] == []
