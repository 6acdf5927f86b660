"""``asiria-cloud demo_seed``: the same demo store as the till's offline ``seed_demo`` (same ids,
barcodes, prices, accounts), idempotent, and all of it reaches a till through the pull."""

from __future__ import annotations

import re
import sqlite3
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from .conftest import basic_auth
from .sync_support import pull_all

CODE = re.compile(r"^ENROLLMENT_CODE=([A-Z0-9]{4}-[A-Z0-9]{4})$", re.MULTILINE)


def _offline_till(tmp_path: Path) -> dict[str, list[tuple[Any, ...]]]:
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from asiria_desktop.demo import seed_demo

    till = build_till(TillConfig(data_dir=tmp_path / "till"))
    try:
        seed_demo(till)
    finally:
        till.close()
    conn = sqlite3.connect(str(tmp_path / "till" / "till.sqlite3"))
    try:
        return {
            "product": sorted(
                conn.execute(
                    "SELECT id, name, price_cents, tax_class, barcode, category_id,"
                    " sold_by_weight FROM products"
                ).fetchall()
            ),
            "category": sorted(conn.execute("SELECT id, name FROM categories").fetchall()),
            "user": sorted(conn.execute("SELECT id, name, role FROM users").fetchall()),
        }
    finally:
        conn.close()


def _seed() -> str:
    from django.core.management import call_command

    out = StringIO()
    call_command("demo_seed", stdout=out)
    return out.getvalue()


def _terminal_client(code: str) -> Any:
    from rest_framework.test import APIClient

    from cloud_api.accounts.services import terminal_enroll

    _, client_id, secret = terminal_enroll(code=code, name="Demo till")
    client = APIClient()
    token = client.post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic_auth(client_id, secret),
    )
    assert token.status_code == 200, token.content
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    return client


@pytest.mark.django_db(transaction=True)
def test_the_cloud_demo_store_is_the_offline_one_and_reaches_the_till(tmp_path: Path) -> None:
    from asiria_demo_data import ACCOUNTS, PRODUCTS
    from asiria_desktop.domain.barcodes import VariableMeasureLayout
    from asiria_desktop.ports.cloud import Change
    from asiria_desktop.sync.mapping import to_catalog_changes
    from cloud_api.accounts.models import Terminal
    from cloud_api.inventory.models import StockLevel

    first = _seed()
    code = CODE.search(first)
    assert code, first
    again = _seed()
    assert "created nothing" in again
    assert Terminal.objects.count() == 1  # the unused demo terminal got a new code, no new one
    assert StockLevel.objects.count() == len(PRODUCTS)  # opening stock once, not twice

    changes, _ = pull_all(_terminal_client(CODE.search(again).group(1)))
    wire = [Change(int(c["seq"]), c["entity"], c["op"], c["data"]) for c in changes]
    pulled = to_catalog_changes(wire, VariableMeasureLayout())
    records = {(c.entity, c.id): c.record for c in pulled}
    offline = _offline_till(tmp_path)

    products = sorted(
        (
            r.id,
            r.name,
            r.price_cents,
            r.tax_class,
            r.barcode,
            r.category_id,
            int(r.sold_by_weight),
        )
        for (entity, _), r in records.items()
        if entity == "product"
    )
    assert products == offline["product"]
    categories = sorted((r.id, r.name) for (e, _), r in records.items() if e == "category")
    assert categories == offline["category"]
    users = sorted((r.id, r.name, r.role) for (e, _), r in records.items() if e == "user")
    assert users == offline["user"]
    assert {a.id for a in ACCOUNTS} == {u[0] for u in users}
    stock = [r for (e, _), r in records.items() if e == "stock_level"]
    assert len(stock) == len(PRODUCTS) and all(s.on_hand_milli > 0 for s in stock)
    # Every product has a threshold, and some start low, so the demo's stock alerts show.
    wanted = {p.id: p.low_stock_threshold_milli for p in PRODUCTS}
    assert {s.product_id: s.low_stock_threshold_milli for s in stock} == wanted
    low = [s for s in stock if s.on_hand_milli <= (s.low_stock_threshold_milli or -1)]
    assert 0 < len(low) < len(stock)
    # The PINs pulled from the cloud open the till: each pulled hash checks its demo PIN.
    from asiria_desktop.services.signin.pins import verify_pin

    for account in ACCOUNTS:
        assert verify_pin(records[("user", account.id)].pin_hash, account.pin)


@pytest.mark.django_db(transaction=True)
def test_with_the_fakes_the_demo_store_takes_mpesa_and_its_people_get_whatsapp(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.management import call_command

    from cloud_api.integrations.fake_daraja_records import SANDBOX_PASSKEY, SANDBOX_SHORTCODE
    from cloud_api.notifications.models import NotificationPreference
    from cloud_api.payments.models import MpesaStoreConfig

    monkeypatch.setenv("ASIRIA_MPESA_PASSKEY", SANDBOX_PASSKEY)
    out = StringIO()
    call_command("demo_seed", "--no-code", "--with-fakes", stdout=out)
    assert "M-Pesa pay bill 174379 (FAKE Daraja)" in out.getvalue()
    config = MpesaStoreConfig.objects.get()
    assert config.shortcode == SANDBOX_SHORTCODE and config.kind == "paybill"
    phones = {
        p.user.role: (p.whatsapp_opt_in, p.whatsapp_phone)
        for p in NotificationPreference.objects.select_related("user")
    }
    assert phones == {"owner": (True, "+254700000100"), "manager": (True, "+254700000200")}

    # A demo person who opted out keeps their choice on the next start.
    NotificationPreference.objects.filter(user__role="manager").update(whatsapp_opt_in=False)
    again = StringIO()
    call_command("demo_seed", "--no-code", "--with-fakes", stdout=again)
    assert "WhatsApp for" not in again.getvalue()
    assert not NotificationPreference.objects.get(user__role="manager").whatsapp_opt_in
    assert MpesaStoreConfig.objects.count() == 1
