"""Customers of the store pulled to this till: found by phone at the next sale with no network,
with the cloud's id, name and consent (the cloud's record wins over the one this till added for
the same phone), forgotten on a delete; a pulled customer this till cannot use (no phone) is
skipped with a log line and the rest of the page still lands."""

from __future__ import annotations

from typing import Any

from asiria_desktop.ports.cloud import Change
from asiria_desktop.sync.mapping import to_catalog_changes

from .fake_cloud import FakeCloud
from .support import CASHIER_PIN

AKINYI = "0193a000-0000-7000-8000-0000000000c1"
BARAKA = "0193a000-0000-7000-8000-0000000000c2"
NO_PHONE = "0193a000-0000-7000-8000-0000000000c3"


def customer(customer_id: str, phone: str, name: str, consent: bool) -> dict[str, Any]:
    return {
        "id": customer_id,
        "phone": phone,
        "name": name,
        "whatsapp_consent": consent,
        "updated_at": "2026-12-07T10:00:00+03:00",
    }


def test_a_pulled_customer_is_found_by_phone_and_the_clouds_record_wins(
    enrolled: Any, cloud: FakeCloud
) -> None:
    till = enrolled
    till.services.auth.login(CASHIER_PIN)
    customers = till.services.customers
    # This till met Baraka before the cloud told it about him: its own id, no consent yet.
    mine = customers.attach("0733 100 200", "Baraka", whatsapp_consent=False, digital_receipt=False)
    customers.detach()
    assert mine.id != BARAKA

    cloud.add_change("customer", customer(AKINYI, "+254722000111", "Akinyi Otieno", True))
    cloud.add_change("customer", customer(BARAKA, "+254733100200", "Baraka Mwangi", True))
    cloud.add_change("customer", customer(NO_PHONE, "", "No phone", True))
    report = till.services.sync.sync_now()
    assert report.ok and report.pulled == 3

    akinyi = customers.find("+254 722 000 111")
    assert (akinyi.known, akinyi.name, akinyi.whatsapp_consent) == (True, "Akinyi Otieno", True)
    baraka = customers.find("0733100200")
    assert (baraka.name, baraka.whatsapp_consent) == ("Baraka Mwangi", True)
    # A sale for him now names the cloud's customer.
    attached = customers.attach("0733100200", "", whatsapp_consent=True, digital_receipt=True)
    assert attached.id == BARAKA and attached.name == "Baraka Mwangi"

    cloud.add_change("customer", {"id": AKINYI}, op="delete")
    assert till.services.sync.sync_now().ok
    assert not customers.find("0722000111").known
    assert customers.find("0733100200").known


def test_the_mapping_skips_a_customer_without_a_usable_phone_or_time() -> None:
    from asiria_desktop.domain.barcodes import VariableMeasureLayout

    changes = [
        Change(1, "customer", "upsert", customer(AKINYI, "not a phone", "A", True)),
        Change(2, "customer", "upsert", customer(AKINYI, "+254722000111", "A", True)),
        Change(3, "customer", "upsert", {"id": BARAKA, "phone": "+254733100200"}),
    ]
    [kept] = to_catalog_changes(changes, VariableMeasureLayout())
    assert kept.id == AKINYI and kept.record is not None
