"""Scale labels and VAT as the cloud receives them: a label sale pushed by the till's own code
sells its weight with no false price mismatch; a pushed sale whose tax is not what the
products' tax classes make now is kept as the till made it, flagged and notified (the class or
rate may have changed while the till was offline), a tax inconsistent in itself is refused,
and a sale typed in through REST must follow the current tax classes."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

import pytest
from uuid6 import uuid7

from .conftest import terminal_client, with_band_taxes
from .sync_support import envelope, push, statuses

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")
TOMATO_LABEL = "2100101090004"  # the demo scale's label: 90.00 of tomatoes


@pytest.fixture
def till(org_a):
    return terminal_client(org_a)


def till_sale_of_labels(org, *labels: str) -> dict:
    """The ``sale.completed`` payload the till's domain code makes for these scale labels."""
    from asiria_desktop.domain.barcodes import parse_code
    from asiria_desktop.domain.cart import Cart, PaymentMethod
    from asiria_desktop.domain.cart_types import ProductRef
    from asiria_desktop.domain.sale import CashierRef, complete_sale
    from asiria_desktop.domain.tax import TaxClass

    tomatoes = org.products[1]  # 120.00 per kg, sold by weight
    product = ProductRef(
        str(tomatoes.uuid),
        tomatoes.name,
        None,
        tomatoes.price_cents,
        TaxClass(tomatoes.tax_class.code),
        sold_by_weight=True,
    )
    ids = lambda: str(uuid7())  # noqa: E731  (the till makes UUIDv7 ids too)
    cart = Cart(ids)
    for label in labels:
        cart.add_product(product, label_price_cents=parse_code(label).embedded_price_cents)
    cart.add_payment(PaymentMethod.CASH, cart.total_cents)
    cashier = CashierRef(str(org.users["cashier"].uuid), "Wanjiku")
    at = datetime.now(NAIROBI)
    return complete_sale(
        cart, ids(), f"S01-T01-{uuid7().int % 10**6:06d}", cashier, None, at
    ).to_payload()


def test_a_scale_label_sale_sells_its_weight_with_no_price_mismatch(org_a, till):
    from cloud_api.inventory.models import StockLevel, StockMovement
    from cloud_api.notifications.models import Notification
    from cloud_api.sales.models import Sale

    # The demo label (90.00 at 120.00/kg = 0.750 kg) and one whose weight is rounded to the
    # gram (100.00 = 0.8333 kg -> 0.833 kg, still charged 100.00).
    payload = till_sale_of_labels(org_a, TOMATO_LABEL, "2100101100000")
    assert [(line["qty"], line["qty_milli"]) for line in payload["lines"]] == [
        (None, 750),
        (None, 833),
    ]

    assert statuses(push(till, [envelope("sale.completed", payload, 1)])) == ["applied"]

    sale = Sale.objects.get(uuid=payload["id"])
    assert sale.price_mismatch is False and sale.total_cents == 19000
    lines = list(sale.lines.order_by("line_no"))
    assert [(line.qty, line.qty_milli, line.total_cents) for line in lines] == [
        (None, 750, 9000),
        (None, 833, 10000),
    ]
    assert [line.unit_price_cents for line in lines] == [12000, 12000]
    assert not Notification.objects.filter(kind="price_mismatch").exists()
    tomatoes = org_a.products[1]
    movements = StockMovement.objects.filter(reference=sale.uuid, product=tomatoes)
    assert sorted(m.delta_milli for m in movements) == [-833, -750]
    level = StockLevel.objects.get(store=org_a.stores[0], product=tomatoes)
    assert level.on_hand_milli == -1583  # 0.750 + 0.833 kg, not 2 kg


def _claiming_no_vat_on_a_standard_product(org) -> dict:
    sale = org.make_sale(items=[(org.products[0], 1, None)])  # Coca-Cola, standard (16 %)
    sale["lines"][0]["tax_cents"] = 0
    sale["tax_cents"] = 0
    return sale


def test_a_pushed_sale_whose_tax_is_not_its_products_tax_class_is_kept_and_flagged(org_a, till):
    from cloud_api.notifications.models import Notification
    from cloud_api.sales.models import Sale
    from cloud_api.sync.models import SyncRejection

    sale = _claiming_no_vat_on_a_standard_product(org_a)
    good = org_a.make_sale(items=[(org_a.products[0], 1, None)])

    response = push(
        till, [envelope("sale.completed", sale, 1), envelope("sale.completed", good, 2)]
    )

    assert statuses(response) == ["applied", "applied"]
    stored = Sale.objects.get(uuid=sale["id"])
    assert (stored.tax_cents, stored.tax_mismatch) == (0, True)
    assert Sale.objects.get(uuid=good["id"]).tax_mismatch is False
    [note] = Notification.objects.filter(kind="tax_mismatch", user=org_a.users["owner"])
    assert note.data["sale_id"] == sale["id"]
    assert (note.data["tax_cents"], note.data["expected_tax_cents"]) == (0, 1103)
    problems = " ".join(text for texts in note.data["problems"].values() for text in texts)
    assert "Coca-Cola 500ml" in problems and "standard (B, 16%)" in problems
    assert not SyncRejection.objects.filter(terminal=org_a.terminal).exists()


def _reclassify_coke_as_exempt(org) -> None:
    from cloud_api.catalog.models import TaxClass
    from cloud_api.catalog.services import product_update

    exempt = TaxClass.objects.get(organisation=org.organisation, code="exempt")
    product_update(product=org.products[0], tax_class=exempt, changed_by=org.users["owner"])


def _halve_the_standard_rate(org) -> None:
    from cloud_api.catalog.models import TaxClass

    TaxClass.objects.filter(organisation=org.organisation, code="standard").update(
        rate_basis_points=800
    )


@pytest.mark.parametrize(
    ("change", "due_now"),
    [(_reclassify_coke_as_exempt, "0.00"), (_halve_the_standard_rate, "5.93")],
    ids=["product-reclassified", "rate-changed"],
)
def test_a_sale_made_before_a_tax_change_reached_the_cloud_is_applied_flagged_and_notified(
    org_a, till, client_as, change, due_now
):
    from cloud_api.inventory.models import StockLevel
    from cloud_api.notifications.models import Notification
    from cloud_api.sales.models import Sale

    # Rung up offline at 16 % (11.03 of VAT in 80.00); the change reaches the cloud first.
    made_offline = org_a.make_sale(items=[(org_a.products[0], 1, None)])
    assert made_offline["tax_cents"] == 1103
    change(org_a)

    first = push(till, [envelope("sale.completed", made_offline, 1)])
    again = push(till, [envelope("sale.completed", made_offline, 2)])

    assert statuses(first) == ["applied"]
    assert statuses(again) == ["duplicate"]
    sale = Sale.objects.get(uuid=made_offline["id"])
    assert (sale.tax_cents, sale.total_cents) == (1103, 8000)  # the facts of the sale's time
    assert sale.tax_mismatch is True and sale.price_mismatch is False
    assert (
        StockLevel.objects.get(store=org_a.stores[0], product=org_a.products[0]).on_hand_milli
        == -1000
    )
    notes = Notification.objects.filter(kind="tax_mismatch")
    # One each: the owner, the store's manager and head office.
    assert sorted(note.user.role for note in notes) == ["head_office", "manager", "owner"]
    message = notes[0].message
    assert message.startswith(f"Receipt {made_offline['receipt_no']}: VAT 11.03 was charged")
    assert f"the current tax classes make {due_now}" in message
    assert "changed while the till was offline" in message
    shown = client_as("owner").get(f"/api/v1/sales/{sale.uuid}/").json()
    assert shown["tax_mismatch"] is True and shown["tax_cents"] == 1103
    listed = client_as("owner").get("/api/v1/sales/").json()["results"]
    assert [row["tax_mismatch"] for row in listed] == [True]


def test_the_admin_shows_a_tax_mismatch_as_a_warning_and_filters_on_it(org_a, till, client):
    made_offline = org_a.make_sale(items=[(org_a.products[0], 1, None)])
    plain = org_a.make_sale(items=[(org_a.products[1], None, 500)])
    _reclassify_coke_as_exempt(org_a)
    pushed = push(
        till,
        [envelope("sale.completed", made_offline, 1), envelope("sale.completed", plain, 2)],
    )
    assert statuses(pushed) == ["applied", "applied"]
    client.force_login(org_a.users["head_office"])

    listed = client.get("/admin/sales/sale/").content.decode()
    flagged = client.get("/admin/sales/sale/", {"tax_mismatch__exact": "1"}).content.decode()

    assert listed.count("\u26a0 VAT differs from the tax classes") == 1
    assert "icon-yes" not in listed  # no reassuring green tick for a flag
    assert made_offline["receipt_no"] in flagged and plain["receipt_no"] not in flagged


def _tax_not_the_sum_of_the_lines(org) -> dict:
    sale = org.make_sale(items=[(org.products[0], 1, None)])
    sale["tax_cents"] += 1
    return sale


def _more_tax_than_goods(org) -> dict:
    """80.00 of Coca-Cola with 90.00 of tax added on top, under tax-exclusive prices."""
    from cloud_api.catalog.models import TaxClass

    TaxClass.objects.filter(organisation=org.organisation, code="standard").update(
        prices_include_tax=False
    )
    sale = org.make_sale(items=[(org.products[0], 1, None)])
    line = sale["lines"][0]
    line["tax_cents"], line["total_cents"] = 9000, 17000
    sale.update(tax_cents=9000, total_cents=17000)
    sale["payments"][0]["amount_cents"] = 17000
    return sale


def _negative_tax(org) -> dict:
    sale = org.make_sale(items=[(org.products[0], 1, None)])
    sale["lines"][0]["tax_cents"] = -1103
    sale["tax_cents"] = -1103
    return sale


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_tax_not_the_sum_of_the_lines, "tax_cents is 1104 but the sum of the line taxes"),
        (_more_tax_than_goods, "carry 90.00 of tax, more than their 80.00 of goods"),
        (_negative_tax, "invalid"),
    ],
    ids=["line-taxes-do-not-add-up", "band-taxed-more-than-its-gross", "negative"],
)
def test_a_pushed_sale_whose_tax_is_inconsistent_in_itself_is_rejected(org_a, till, make, reason):
    from cloud_api.notifications.models import Notification
    from cloud_api.sales.models import Sale

    sale = make(org_a)

    response = push(till, [envelope("sale.completed", sale, 1)])

    assert statuses(response) == ["rejected"]
    assert reason in response.json()["results"][0]["error"]
    assert not Sale.objects.filter(uuid=sale["id"]).exists()
    assert not Notification.objects.filter(kind="tax_mismatch").exists()


def test_a_rest_sale_made_for_a_tax_class_the_product_no_longer_has_is_a_clear_400(
    org_a, client_as
):
    from cloud_api.sales.models import Sale

    sale = org_a.make_sale(items=[(org_a.products[0], 1, None)])  # 11.03 of VAT at 16 %
    _reclassify_coke_as_exempt(org_a)

    response = client_as("manager").post("/api/v1/sales/", sale, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"].startswith("The sale's tax does not follow its products' tax classes")
    assert "exempt (A, 0%)" in error["message"]
    assert not Sale.objects.filter(uuid=sale["id"]).exists()


def test_a_rest_sale_whose_tax_is_not_its_products_tax_class_is_a_clear_400(org_a, client_as):
    from cloud_api.sales.models import Sale

    sale = _claiming_no_vat_on_a_standard_product(org_a)

    response = client_as("cashier").post("/api/v1/sales/", sale, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith("The sale's tax does not follow its products' tax classes")
    assert set(error["fields"]) == {"lines[0].tax_cents", "tax_cents"}
    assert not Sale.objects.filter(uuid=sale["id"]).exists()


def test_two_lines_of_80_are_one_band_of_160_and_per_line_rounding_is_refused(org_a, client_as):
    coke = org_a.products[0]
    sale = org_a.make_sale(items=[(coke, 1, None), (coke, 1, None)])
    assert [line["tax_cents"] for line in sale["lines"]] == [1104, 1103]  # 22.07 in all
    assert client_as("cashier").post("/api/v1/sales/", sale, format="json").status_code == 201

    rounded_per_line = org_a.make_sale(items=[(coke, 1, None), (coke, 1, None)])
    for line in rounded_per_line["lines"]:
        line["tax_cents"] = 1103  # 11.03 + 11.03 = 22.06
    rounded_per_line["tax_cents"] = 2206
    response = client_as("cashier").post("/api/v1/sales/", rounded_per_line, format="json")
    assert response.status_code == 400
    assert "makes 22.07" in response.json()["error"]["fields"]["tax_cents"][0]


def test_the_band_tax_helper_matches_what_the_till_puts_on_its_lines(org_a):
    from asiria_desktop.domain.pricing import LineInput, price_cart
    from asiria_desktop.domain.tax import TaxClass

    prices = [8000, 8000, 12345, 999]
    priced = price_cart(
        [
            LineInput(f"l{i}", "p", "Item", None, TaxClass.STANDARD, price, qty=1)
            for i, price in enumerate(prices)
        ]
    )
    lines = [{"total_cents": price, "tax_cents": 0} for price in prices]
    standard = org_a.products[0].tax_class
    with_band_taxes(lines, [standard] * len(lines))
    assert [line["tax_cents"] for line in lines] == [line.tax_cents for line in priced.lines]
