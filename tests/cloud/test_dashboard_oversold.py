"""The overview's "Running low" card when the tills sold more than was counted in: the minus
on hand is kept (it is what the stock says) and said in words a shop owner reads."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from cloud_api.inventory.models import MovementReason
from cloud_api.inventory.services import stock_movement_record, stock_threshold_set

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")
NOTE = "sold more than was counted in"


def bought_in(org, product, milli: int, threshold_milli: int) -> None:
    main = org.stores[0]
    stock_movement_record(
        store=main, product=product, delta_milli=milli, reason=MovementReason.ADJUSTMENT
    )
    stock_threshold_set(store=main, product=product, threshold_milli=threshold_milli)


@pytest.mark.django_db
def test_an_oversold_product_reads_as_sold_beyond_the_count(org_a, client, record_sale):
    coke, tomatoes = org_a.products
    bought_in(org_a, coke, 10_000, 12_000)
    bought_in(org_a, tomatoes, 2_000, 5_000)
    today = datetime.now(NAIROBI).replace(hour=12, minute=0)
    record_sale(org_a, items=[(coke, 58, None), (tomatoes, None, 500)], completed_at=today)
    client.force_login(org_a.users["owner"])

    response = client.get(reverse("dashboard:overview"))

    html = response.content.decode()
    alerts = {alert["product"].name: alert for alert in response.context["stock_alerts"]}
    assert alerts[coke.name]["on_hand_milli"] == -48_000
    assert alerts[coke.name]["oversold_milli"] == 48_000
    assert alerts[tomatoes.name]["oversold_milli"] == 0
    # The order refills an empty shelf: the minus is not bought again. 58 sold in 28 days, two
    # weeks' cover above the 12-piece line, in whole pieces.
    daily = 58_000 // 28
    assert alerts[coke.name]["order_milli"] == -(-(12_000 + daily * 14) // 1000) * 1000
    assert (
        f'<strong class="oversold">-48 pcs</strong><span class="muted oversold-note"><br>{NOTE}'
        in html
    )
    assert html.count("oversold-note") == 1  # the tomatoes, still on the shelf, read as before
    assert "1.500 kg" in html
    assert escape("A minus on hand means the tills sold more than was counted in") in html


@pytest.mark.django_db
def test_without_an_oversold_product_there_is_no_minus_to_explain(org_a, client, record_sale):
    coke = org_a.products[0]
    bought_in(org_a, coke, 10_000, 10_000)
    record_sale(org_a, items=[(coke, 2, None)])
    client.force_login(org_a.users["owner"])

    response = client.get(reverse("dashboard:overview"))

    [alert] = response.context["stock_alerts"]
    assert alert["on_hand_milli"] == 8_000 and alert["oversold_milli"] == 0
    html = response.content.decode()
    assert "8 pcs" in html
    assert NOTE not in html and 'id="oversold-hint"' not in html
