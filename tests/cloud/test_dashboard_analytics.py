"""The dashboard's AI analytics: the overview's insights and anomaly flags, the reorder
suggestions and their draft-order button, frequently bought together per store and a
product's forecast, each showing what the analytics app computes from imported history."""

from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from cloud_api.analytics import selectors as analytics
from cloud_api.dashboard.templatetags.dashboard_format import money, percent_of, quantity
from cloud_api.purchases.models import OrderStatus, PurchaseOrder

from .analytics_support import signed_in, stocked_shop

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")


def yesterday() -> date:
    return datetime.now(NAIROBI).date() - timedelta(days=1)


@pytest.fixture
def shop(org_a, tmp_path):
    return stocked_shop(org_a, tmp_path)


def period(**extra: str) -> dict[str, str]:
    end = yesterday()
    return {"date_from": str(end - timedelta(days=13)), "date_to": str(end), **extra}


def text_of(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_the_overview_shows_the_insights_and_flags_the_analytics_compute(shop):
    main = shop.stores[0]
    owner = signed_in(shop.users["owner"])

    response = owner.get(reverse("dashboard:overview"), period(store=str(main.uuid)))

    html = text_of(response)
    expected = analytics.insight_list(stores=[main], date_to=yesterday(), limit=8)
    assert [i.text for i in response.context["insights"]] == [i.text for i in expected]
    assert any("Coca-Cola 500ml" in i.text and "more" in i.text for i in expected), expected
    for insight in expected:
        assert escape(insight.text) in html
    flags = analytics.flag_list(stores=[main], date_to=yesterday(), days=14)
    assert [f.reason for f in response.context["flags"]] == [f.reason for f in flags]
    [spike] = [f for f in flags if f.kind == "day_sales" and f.date == yesterday()]
    assert "far above the usual" in spike.reason and escape(spike.reason) in html
    assert response.context["flag_days"] == 14


@pytest.mark.django_db
def test_the_flags_follow_the_filters_dates(shop):
    main = shop.stores[0]
    owner = signed_in(shop.users["owner"])
    before = yesterday() - timedelta(days=1)

    response = owner.get(
        reverse("dashboard:overview"),
        {
            "store": str(main.uuid),
            "date_from": str(before - timedelta(days=6)),
            "date_to": str(before),
        },
    )

    assert not [f for f in response.context["flags"] if f.date == yesterday()]
    assert response.context["flag_days"] == 7
    expected = analytics.insight_list(stores=[main], date_to=before, limit=8)
    assert [i.text for i in response.context["insights"]] == [i.text for i in expected]


@pytest.mark.django_db
def test_the_analytics_page_shows_the_selectors_figures(shop):
    main = shop.stores[0]
    owner = signed_in(shop.users["owner"])

    response = owner.get(reverse("dashboard:analytics"), period(store=str(main.uuid)))

    assert response.status_code == 200
    html = text_of(response)
    suggestions = analytics.reorder_suggestion_list(stores=[main])
    [group] = response.context["reorder_groups"]
    shown = [(r["s"].product.name, r["s"].quantity_milli) for r in group["rows"]]
    assert shown == [(s.product.name, s.quantity_milli) for s in suggestions]
    [cola] = [s for s in suggestions if s.product.name == "Coca-Cola 500ml"]
    assert cola.supplier == shop.supplier and cola.on_hand_milli == 10_000
    cola_value = (cola.quantity_milli * cola.cost_price_cents + 500) // 1000
    assert f"<strong>{quantity(cola.quantity_milli, 'unit')}</strong>" in html
    assert money(cola_value, "KES") in html
    assert money(sum(r["value_cents"] for r in group["rows"]), "KES") in html
    # money as the rest of the dashboard: two decimals, never thousandths
    assert re.findall(r"KES [\d,]+\.\d{3}", html) == []
    assert "Create draft order for" in html

    rules = list(analytics.basket_rules(store=main, limit=10))
    assert {(r.antecedent.name, r.consequent.name) for r in rules} >= {
        ("Tea", "Scone"),
        ("Scone", "Tea"),
    }
    for rule in rules:
        row = (
            f"<tr><td>{rule.antecedent.name}</td><td>{rule.consequent.name}</td>\n"
            f'        <td class="num">{rule.pair_count}</td>\n'
            f'        <td class="num">{percent_of(rule.support)}</td>\n'
            f'        <td class="num">{percent_of(rule.confidence)}</td>\n'
            f'        <td class="num">{rule.lift:.1f}\u00d7</td></tr>'
        )
        assert row in html

    forecast = response.context["forecast"]
    assert forecast["product"].name == "Bread"  # the first by name
    days = analytics.forecast_days(store=main, product=forecast["product"])
    assert len(days) == 14 and forecast["days"] == days
    chart = response.context["forecast_chart"]
    assert chart["median"] == [d.median_milli / 1000 for d in days]
    assert chart["lower"] == [d.lower_milli / 1000 for d in days]
    assert chart["upper"] == [d.upper_milli / 1000 for d in days]
    assert all(
        lo <= mid <= up for lo, mid, up in zip(chart["lower"], chart["median"], chart["upper"])
    )
    first = days[0]
    assert (
        f"{quantity(first.lower_milli, 'unit')} \u2013 {quantity(first.upper_milli, 'unit')}"
        in html
    )


@pytest.mark.django_db
def test_a_product_can_be_picked_for_the_forecast(shop):
    main = shop.stores[0]
    cola = shop.products[0]
    owner = signed_in(shop.users["owner"])

    response = owner.get(
        reverse("dashboard:analytics"), period(store=str(main.uuid), product=str(cola.uuid))
    )
    unknown = owner.get(reverse("dashboard:analytics"), period(product="not-a-uuid"))

    assert response.context["forecast"]["product"] == cola
    assert [d.pk for d in response.context["forecast"]["days"]] == [
        d.pk for d in analytics.forecast_days(store=main, product=cola)
    ]
    assert unknown.status_code == 200 and unknown.context["forecast"]["product"].name == "Bread"


@pytest.mark.django_db
def test_a_manager_turns_the_suggestions_into_a_draft_order(shop):
    main = shop.stores[0]
    manager = signed_in(shop.users["manager"])
    [cola] = [
        s
        for s in analytics.reorder_suggestion_list(stores=[main])
        if s.product.name == "Coca-Cola 500ml"
    ]

    response = manager.post(
        reverse("dashboard:draft-orders") + "?" + "&".join(f"{k}={v}" for k, v in period().items()),
        {"store": str(main.uuid)},
        follow=True,
    )

    [order] = PurchaseOrder.objects.filter(status=OrderStatus.DRAFT)
    assert order.supplier == shop.supplier and order.store == main
    assert order.created_by == shop.users["manager"]
    [line] = order.lines.all()  # bread was never ordered: left out without a supplier named
    assert (line.product.name, line.quantity_milli) == ("Coca-Cola 500ml", cola.quantity_milli)
    assert response.redirect_chain[-1][0].startswith(reverse("dashboard:analytics"))
    assert f"Draft order {order.uuid.hex[:8]} to Bidco" in text_of(response)
    after = analytics.reorder_suggestion_list(stores=[main])
    assert "Coca-Cola 500ml" not in [s.product.name for s in after]


@pytest.mark.django_db
def test_products_never_ordered_go_to_the_supplier_chosen(shop):
    main = shop.stores[0]
    owner = signed_in(shop.users["owner"])
    suggested = {
        s.product.name: s.quantity_milli for s in analytics.reorder_suggestion_list(stores=[main])
    }

    owner.post(
        reverse("dashboard:draft-orders"),
        {"store": str(main.uuid), "supplier": str(shop.supplier.uuid)},
    )

    [order] = PurchaseOrder.objects.filter(status=OrderStatus.DRAFT)
    ordered = {line.product.name: line.quantity_milli for line in order.lines.all()}
    assert ordered == suggested and {"Bread", "Coca-Cola 500ml"} <= set(ordered)


@pytest.mark.django_db
def test_head_office_sees_but_may_not_draft_and_a_cashier_sees_nothing(shop):
    main = shop.stores[0]
    head_office = signed_in(shop.users["head_office"])
    cashier = signed_in(shop.users["cashier"])

    page = head_office.get(reverse("dashboard:analytics"), period())
    refused = head_office.post(reverse("dashboard:draft-orders"), {"store": str(main.uuid)})
    cashier_page = cashier.get(reverse("dashboard:analytics"))
    cashier_post = cashier.post(reverse("dashboard:draft-orders"), {"store": str(main.uuid)})
    cashier_overview = cashier.get(reverse("dashboard:overview"))

    html = text_of(page)
    assert page.status_code == 200 and page.context["reorder_groups"]
    assert "Only an owner or the store's manager can create a draft order." in html
    assert '<button type="button" disabled>Create draft order</button>' in html
    assert 'name="store" value=' not in html.split('id="reorder"')[1].split("</section>")[0]
    assert refused.status_code == 403
    for response in (cashier_page, cashier_post, cashier_overview):
        assert response.status_code == 403
        assert "Coca-Cola" not in text_of(response)
    assert not PurchaseOrder.objects.filter(status=OrderStatus.DRAFT).exists()


@pytest.mark.django_db
def test_a_manager_may_draft_only_for_their_own_store(shop):
    branch = shop.stores[1]
    manager = signed_in(shop.users["manager"])

    response = manager.post(reverse("dashboard:draft-orders"), {"store": str(branch.uuid)})
    page = manager.get(reverse("dashboard:analytics"))

    assert response.status_code == 400
    assert not PurchaseOrder.objects.filter(status=OrderStatus.DRAFT).exists()
    assert [g["store"] for g in page.context["rule_groups"]] == [shop.stores[0]]


@pytest.mark.django_db
def test_the_draft_order_button_needs_the_csrf_token(shop):
    main = shop.stores[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(shop.users["owner"])

    response = client.post(reverse("dashboard:draft-orders"), {"store": str(main.uuid)})

    assert response.status_code == 403
    assert not PurchaseOrder.objects.filter(status=OrderStatus.DRAFT).exists()


@pytest.mark.django_db
def test_without_forecasts_or_sales_the_page_says_so(org_a):
    owner = signed_in(org_a.users["owner"])

    response = owner.get(reverse("dashboard:analytics"))
    overview = owner.get(reverse("dashboard:overview"))

    html = text_of(response)
    assert "Nothing to reorder" in html and "No forecast yet" in html and "No pairs yet" in html
    assert "Nothing stands out yet" in text_of(overview)
    assert "Nothing unusual in these days." in text_of(overview)


@pytest.mark.django_db
def test_cached_insights_are_worked_out_again_when_a_sale_arrives(shop):
    from cloud_api.analytics.insights import store_insights

    from .analytics_support import sale

    main = shop.stores[0]
    last_day = yesterday()
    first = analytics.insight_list(stores=[main], date_to=last_day, limit=8)
    assert [i.text for i in analytics.insight_list(stores=[main], date_to=last_day, limit=8)] == [
        i.text for i in first
    ]

    sale(shop, main, last_day, [shop.products[0]], qty=300)

    after = analytics.insight_list(stores=[main], date_to=last_day, limit=8)
    fresh = store_insights(stores=[main], date_to=last_day, limit=8)
    assert [i.text for i in after] == [i.text for i in fresh]
    assert [i.text for i in after] != [i.text for i in first]
