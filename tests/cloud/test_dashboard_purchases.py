"""Purchase orders in the dashboard: the list, a draft made from the reorder suggestions
opened, its quantities changed or lines removed, then confirmed (ordered) or discarded, with
the API's rules: owner and the store's manager write, head office reads, others see nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cloud_api.analytics import selectors as analytics
from cloud_api.analytics.services import draft_orders_create
from cloud_api.core.principal import principal_for_user
from cloud_api.dashboard.templatetags.dashboard_format import money
from cloud_api.inventory.models import StockLevel, StockMovement
from cloud_api.purchases.models import OrderStatus, PurchaseOrder
from cloud_api.purchases.services import purchase_order_create

from .analytics_support import signed_in, stocked_shop


@pytest.fixture
def shop(org_a, tmp_path):
    return stocked_shop(org_a, tmp_path)


@pytest.fixture
def draft(shop) -> PurchaseOrder:
    """The main store's suggestions (cola and bread) as one draft to Bidco."""
    [order] = draft_orders_create(
        principal=principal_for_user(shop.users["owner"]),
        store=shop.stores[0],
        fallback_supplier=shop.supplier,
    )
    return order


def page(order: PurchaseOrder) -> str:
    return reverse("dashboard:purchase-order", args=[order.uuid])


def lines_of(order: PurchaseOrder) -> dict[str, int]:
    return {line.product.name: line.quantity_milli for line in order.lines.all()}


def edit(order: PurchaseOrder, action: str, **quantities: str) -> dict[str, str]:
    """The form as the page posts it: every line's quantity as shown unless given by name."""
    body = {"action": action}
    for line in order.lines.select_related("product"):
        key = line.product.name.split()[0].split("-")[0].lower()
        body[f"qty-{line.uuid.hex}"] = quantities.get(key, str(line.quantity_milli // 1000))
        if quantities.get(f"remove_{key}") or quantities.get("remove_all"):
            body[f"remove-{line.uuid.hex}"] = "on"
    return body


def on_hand(shop, product) -> int:
    level = StockLevel.objects.filter(store=shop.stores[0], product=product).first()
    return level.on_hand_milli if level else 0


@pytest.mark.django_db
def test_the_list_shows_the_draft_and_filters_by_store_and_status(shop, draft):
    owner = signed_in(shop.users["owner"])
    url = reverse("dashboard:purchase-orders")

    everything = owner.get(url)
    drafts = owner.get(url, {"status": "draft", "store": str(shop.stores[0].uuid)})
    branch = owner.get(url, {"store": str(shop.stores[1].uuid)})
    received = owner.get(url, {"status": "received"})
    nonsense = owner.get(url, {"status": "lost", "store": "not-a-uuid"})

    assert [r["order"] for r in drafts.context["rows"]] == [draft]
    assert {r["order"].status for r in everything.context["rows"]} == {"draft", "received"}
    assert branch.context["rows"] == [] and "No purchase orders" in branch.content.decode()
    assert {r["order"].status for r in received.context["rows"]} == {"received"}
    assert nonsense.status_code == 200 and len(nonsense.context["rows"]) == 2
    html = drafts.content.decode()
    total = sum(
        (q * line.cost_price_cents + 500) // 1000
        for line in draft.lines.all()
        for q in [line.quantity_milli]
    )
    assert money(total, "KES") in html and page(draft) in html


@pytest.mark.django_db
def test_the_draft_page_shows_each_line_with_cost_supplier_and_lead_time(shop, draft):
    response = signed_in(shop.users["manager"]).get(page(draft))

    html = response.content.decode()
    assert response.status_code == 200 and response.context["editable"]
    cola = draft.lines.get(product__name="Coca-Cola 500ml")
    assert cola.cost_price_cents == 5050
    assert money(5050, "KES") == "KES 50.50" and "KES 50.50" in html
    assert money((cola.quantity_milli * 5050 + 500) // 1000, "KES") in html
    assert f'name="qty-{cola.uuid.hex}" value="{cola.quantity_milli // 1000}"' in html
    assert "Bidco" in html and "lead time 3 days" in html
    assert "Confirm order" in html and "Discard draft" in html
    uncosted = draft.lines.filter(cost_price_cents=0).count()
    if uncosted:
        assert f"without {uncosted} product" in html
    else:
        assert "order-total-uncosted" not in html


@pytest.mark.django_db
def test_the_total_says_how_many_lines_it_leaves_out_for_want_of_a_cost(shop, draft):
    draft.lines.filter(product__name="Coca-Cola 500ml").update(cost_price_cents=0)
    costed = [line for line in draft.lines.all() if line.cost_price_cents]

    html = signed_in(shop.users["manager"]).get(page(draft)).content.decode()

    total = sum((line.quantity_milli * line.cost_price_cents + 500) // 1000 for line in costed)
    assert f'<strong id="order-total">{money(total, "KES")}</strong>' in html
    left_out = draft.lines.count() - len(costed)
    assert left_out >= 1
    assert f"without {left_out} product{'s' if left_out > 1 else ''} with no cost yet" in html


@pytest.mark.django_db
def test_a_manager_changes_a_quantity_and_confirms_the_order(shop, draft):
    cola_product = shop.products[0]
    stock_before = on_hand(shop, cola_product)
    movements = StockMovement.objects.count()
    manager = signed_in(shop.users["manager"])

    response = manager.post(page(draft), edit(draft, "confirm", coca="24"), follow=True)

    draft.refresh_from_db()
    assert draft.status == OrderStatus.ORDERED
    assert lines_of(draft)["Coca-Cola 500ml"] == 24_000
    assert "is confirmed: it is now ordered" in response.content.decode()
    assert not response.context["editable"]
    # Placing the order moves no stock; the goods count as on order until received.
    assert (
        on_hand(shop, cola_product) == stock_before and StockMovement.objects.count() == movements
    )
    suggestions = analytics.reorder_suggestion_list(stores=[shop.stores[0]])
    cola = [s for s in suggestions if s.product == cola_product]
    assert not cola or cola[0].on_order_milli == 24_000
    # A confirmed order is no draft any more: a late change is refused in words, not a 500.
    again = manager.post(page(draft), edit(draft, "save", coca="30"))
    assert again.status_code == 400 and "only a draft can be changed" in again.content.decode()
    assert lines_of(draft)["Coca-Cola 500ml"] == 24_000


@pytest.mark.django_db
def test_saving_removes_a_line_and_keeps_the_draft(shop, draft):
    owner = signed_in(shop.users["owner"])
    before = lines_of(draft)

    response = owner.post(page(draft), edit(draft, "save", remove_bread="1", coca="7"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == OrderStatus.DRAFT
    after = dict(before, **{"Coca-Cola 500ml": 7_000})
    del after["Bread"]
    assert lines_of(draft) == after
    # bread is no longer on order, so it is suggested again
    suggested = [s.product.name for s in analytics.reorder_suggestion_list(stores=[shop.stores[0]])]
    assert "Bread" in suggested


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Enter a number"),
        ("-3", "Enter more than zero"),
        ("0", "Enter more than zero"),
        ("2.5", "sold by the item: enter a whole number"),
        ("", "Enter a quantity"),
        ("1e9", "Enter at most"),
        ("NaN", "Enter more than zero"),
    ],
)
def test_bad_quantities_come_back_as_messages_and_change_nothing(shop, draft, typed, message):
    before = lines_of(draft)

    response = signed_in(shop.users["manager"]).post(
        page(draft), edit(draft, "confirm", coca=typed)
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and "nothing was changed" in html
    assert f'value="{typed}"' in html  # what was typed stays in the box to correct
    draft.refresh_from_db()
    assert draft.status == OrderStatus.DRAFT and lines_of(draft) == before


@pytest.mark.django_db
def test_removing_every_line_or_an_unknown_action_is_refused(shop, draft):
    manager = signed_in(shop.users["manager"])

    emptied = manager.post(page(draft), edit(draft, "confirm", remove_all="1"))
    unknown = manager.post(page(draft), {"action": "ship"})

    assert emptied.status_code == 400 and "discard it instead" in emptied.content.decode()
    assert unknown.status_code == 400
    draft.refresh_from_db()
    assert draft.status == OrderStatus.DRAFT and len(lines_of(draft)) == 4


@pytest.mark.django_db
def test_discarding_cancels_the_draft_and_the_suggestions_return(shop, draft):
    owner = signed_in(shop.users["owner"])

    response = owner.post(reverse("dashboard:purchase-order-discard", args=[draft.uuid]))
    twice = owner.post(reverse("dashboard:purchase-order-discard", args=[draft.uuid]))

    draft.refresh_from_db()
    assert response.status_code == 302 and draft.status == OrderStatus.CANCELLED
    assert twice.status_code == 409
    suggested = {s.product.name for s in analytics.reorder_suggestion_list(stores=[shop.stores[0]])}
    assert {"Coca-Cola 500ml", "Bread"} <= suggested


@pytest.mark.django_db
def test_head_office_reads_but_may_not_confirm_and_a_cashier_sees_nothing(shop, draft):
    head_office = signed_in(shop.users["head_office"])
    cashier = signed_in(shop.users["cashier"])

    listed = head_office.get(reverse("dashboard:purchase-orders"))
    opened = head_office.get(page(draft))
    confirm = head_office.post(page(draft), edit(draft, "confirm"))
    discard = head_office.post(reverse("dashboard:purchase-order-discard", args=[draft.uuid]))

    assert [r["order"] for r in listed.context["rows"] if r["order"].status == "draft"] == [draft]
    assert opened.status_code == 200 and not opened.context["editable"]
    html = opened.content.decode()
    assert '<button type="button" disabled>Confirm order</button>' in html
    assert "qty-" not in html and "csrfmiddlewaretoken" not in html.split("<main>")[1]
    assert confirm.status_code == 403 and discard.status_code == 403
    for response in (
        cashier.get(reverse("dashboard:purchase-orders")),
        cashier.get(page(draft)),
        cashier.post(page(draft), edit(draft, "confirm")),
    ):
        assert response.status_code == 403 and "Coca-Cola" not in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == OrderStatus.DRAFT


@pytest.mark.django_db
def test_a_manager_sees_and_changes_only_their_own_stores_orders(shop, draft, org_b):
    branch = shop.stores[1]
    elsewhere = purchase_order_create(
        organisation=shop.organisation,
        store=branch,
        supplier=shop.supplier,
        lines=[{"product": shop.products[0], "quantity_milli": 5000, "cost_price_cents": 5050}],
        status=OrderStatus.DRAFT,
    )
    manager = signed_in(shop.users["manager"])
    other_owner = signed_in(org_b.users["owner"])

    listed = manager.get(reverse("dashboard:purchase-orders"), {"store": str(branch.uuid)})
    opened = manager.get(page(elsewhere))
    confirmed = manager.post(page(elsewhere), edit(elsewhere, "confirm"))
    foreign = other_owner.get(page(draft))
    foreign_confirm = other_owner.post(page(draft), edit(draft, "confirm"))

    assert elsewhere not in [r["order"] for r in listed.context["rows"]]
    assert opened.status_code == confirmed.status_code == 404
    assert foreign.status_code == foreign_confirm.status_code == 404
    elsewhere.refresh_from_db()
    draft.refresh_from_db()
    assert elsewhere.status == draft.status == OrderStatus.DRAFT


@pytest.mark.django_db
def test_confirming_needs_the_csrf_token(shop, draft):
    client = signed_in(shop.users["owner"], csrf=True)

    response = client.post(page(draft), edit(draft, "confirm"))
    discard = client.post(reverse("dashboard:purchase-order-discard", args=[draft.uuid]))

    assert response.status_code == discard.status_code == 403
    draft.refresh_from_db()
    assert draft.status == OrderStatus.DRAFT


@pytest.mark.django_db
def test_the_draft_made_on_the_analytics_page_links_to_its_page(shop):
    manager = signed_in(shop.users["manager"])

    response = manager.post(
        reverse("dashboard:draft-orders"),
        {"store": str(shop.stores[0].uuid), "supplier": str(shop.supplier.uuid)},
        follow=True,
    )

    [order] = PurchaseOrder.objects.filter(status=OrderStatus.DRAFT)
    assert f'<a href="{page(order)}">Check and confirm it</a>' in response.content.decode()
