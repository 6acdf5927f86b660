"""Plain-language insights: each sentence's numbers are the data's, and only real changes
(large enough, on enough sales) become insights, ranked by how telling they are."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from . import analytics_support as data
from .conftest import jwt_client

END = date(2026, 11, 29)  # a Sunday: the last 4 weeks are Mon 2 Nov - Sun 29 Nov
THIS_FROM = END - timedelta(days=27)
LAST_FROM = THIS_FROM - timedelta(days=28)


@pytest.fixture
def cafe(org_a):
    """Coffee: 5 a day, but 10 on Saturdays in the last 4 weeks. Tea: 4 a day, then 6.
    Water: 3 a day throughout (no change, no insight)."""
    store = org_a.stores[0]
    items = data.products(org_a, ["Coffee", "Tea", "Water"], price_cents=5000)
    day = LAST_FROM
    while day <= END:
        recent = day >= THIS_FROM
        coffee = 10 if recent and day.weekday() == 5 else 5
        tea = 6 if recent else 4
        data.sale(org_a, store, day, [items["Coffee"]], qty=coffee)
        data.sale(org_a, store, day, [items["Tea"]], qty=tea)
        data.sale(org_a, store, day, [items["Water"]], qty=3)
        day += timedelta(days=1)
    return org_a, store


def _insights(org, **query):
    owner = jwt_client(org.users["owner"])
    response = owner.get(
        "/api/v1/analytics/insights/", {"date_to": END.isoformat(), "limit": 50, **query}
    )
    assert response.status_code == 200, response.content
    return response.json()["insights"]


def test_the_insights_say_what_the_numbers_say(cafe):
    org, store = cafe
    found = _insights(org)
    by_kind: dict[str, list[dict]] = {}
    for insight in found:
        by_kind.setdefault(insight["kind"], []).append(insight)

    [saturday] = by_kind["product_weekday"]
    assert saturday["numbers"] == {
        "product": "Coffee",
        "weekday": "Saturday",
        "this_milli": 40_000,
        "last_milli": 20_000,
    }
    assert saturday["text"] == (
        f"Coffee sold 100% more on Saturdays at {store.name} in the last 4 weeks than in the "
        "4 weeks before (40 units against 20 units)."
    )
    # Coffee overall: 160 against 140 (+14%): below the 15% that makes news.
    [trend] = by_kind["product_trend"]
    assert trend["numbers"] == {"product": "Tea", "this_milli": 168_000, "last_milli": 112_000}
    assert trend["text"].startswith("Tea sold 50% more at ")
    assert "(168 units against 112 units)" in trend["text"]

    # Average sale: (160+168+84) units x 50 shillings / 84 sales, against (140+112+84) / 84.
    [basket] = by_kind["basket_value"]
    this_avg = (160 + 168 + 84) * 5000 / 84
    last_avg = (140 + 112 + 84) * 5000 / 84
    assert basket["numbers"]["this_average_cents"] == round(this_avg)
    assert basket["numbers"]["last_average_cents"] == round(last_avg)
    before = f"23% more than in the 4 weeks before (KES {last_avg / 100:,.0f})."
    assert basket["text"].endswith(before)

    assert not any("Water" in insight["text"] for insight in found)
    scores = [insight["score"] for insight in found]
    assert scores == sorted(scores, reverse=True)


def test_the_busiest_weekday_is_measured_over_eight_weeks(cafe):
    org, store = cafe
    [busy] = [i for i in _insights(org) if i["kind"] == "busiest_weekday"]
    # Saturdays: 4 x (5+4+3) and 4 x (10+6+3) units; other days 4 x 12 and 4 x 14.
    saturday = (4 * 12 + 4 * 19) * 5000 / 8
    typical = (6 * (4 * 12 + 4 * 14) * 5000 / 8 + saturday) / 7
    assert busy["numbers"]["weekday"] == "Saturday"
    assert busy["numbers"]["average_cents"] == round(saturday)
    assert busy["numbers"]["typical_cents"] == round(typical)
    expected = f"Saturday is the busiest day at {store.name}: KES 775 on average"
    assert busy["text"].startswith(expected)


def test_too_little_data_gives_no_insight_and_the_limit_holds(org_a):
    [water] = data.products(org_a, ["Water"]).values()
    data.sale(org_a, org_a.stores[0], END, [water], qty=3)
    assert _insights(org_a) == []
    owner = jwt_client(org_a.users["owner"])
    assert owner.get("/api/v1/analytics/insights/", {"limit": 0}).status_code == 400
    assert owner.get("/api/v1/analytics/insights/", {"limit": 51}).status_code == 400
    cashier = jwt_client(org_a.users["cashier"])
    assert cashier.get("/api/v1/analytics/insights/").status_code == 403
