"""The admin's lists, opened in a real browser (Debian's chromium through Playwright) at a
1366 x 768 laptop screen: none of them scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREEN = {"width": 1366, "height": 768}
# The list's own box (.results) scrolls before the page grows wider: measure both.
OVERFLOW = """() => {
  const page = document.documentElement;
  const box = document.querySelector('.results');
  return Math.max(page.scrollWidth - window.innerWidth,
                  box ? box.scrollWidth - box.clientWidth : 0);
}"""


@pytest.mark.django_db(transaction=True)
def test_every_admin_list_fits_a_1366_pixel_screen(org_a, live_server, client, record_sale):
    from django.contrib import admin
    from django.urls import reverse
    from playwright.sync_api import sync_playwright

    from cloud_api.inventory.models import MovementReason
    from cloud_api.inventory.services import stock_movement_record, stock_threshold_set

    assert Path(CHROMIUM).exists(), "apt-get install -y chromium"
    for _ in range(3):
        record_sale(org_a, pay=[("cash", 20000), ("mpesa", 11000)])
    main = org_a.stores[0]
    for product in org_a.products:
        stock_movement_record(
            store=main, product=product, delta_milli=43750, reason=MovementReason.ADJUSTMENT
        )
        stock_threshold_set(store=main, product=product, threshold_milli=50000)
    client.force_login(org_a.users["owner"])
    session = client.cookies["sessionid"].value
    lists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if model._meta.app_label not in {"auth", "oauth2_provider", "token_blacklist"}
    ]

    overflowing = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        context = browser.new_context(viewport=SCREEN)
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        for path in lists:
            answer = page.goto(live_server.url + path)
            assert answer is not None and answer.status == 200, path
            overflowing[path] = page.evaluate(OVERFLOW)
        browser.close()

    assert len(lists) >= 18
    assert {path: px for path, px in overflowing.items() if px > 0} == {}
