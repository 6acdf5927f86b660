"""Customers on WhatsApp: records and consent through the API, a till's sale naming a
customer, the digital receipt it asks for (template ``asiria_receipt`` at the fake Graph
server), campaigns to a store's opted-in customers with their daily limit, Graph's rate limit,
and STOP / START replies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cloud_api.customers.models import Customer, CustomerMessage
from cloud_api.customers.phones import customer_phone
from cloud_api.customers.receipts import quantity_text
from cloud_api.customers.services import customer_create
from cloud_api.notifications.delivery import delivery_send
from cloud_api.notifications.models import NotificationDelivery
from cloud_api.sales.models import Sale

from .conftest import terminal_client
from .customer_support import CUSTOMER_PHONE, sale_with_customer, till_customer
from .sync_support import push, statuses
from .whatsapp_support import configure, post_signed, start_fake_graph


@pytest.fixture(scope="module")
def fake():
    server = start_fake_graph()
    yield server
    server.stop()


@pytest.fixture
def graph(fake, settings):
    fake.state.messages.clear()
    fake.state.scripted_errors.clear()
    configure(settings, fake)
    return fake.state


@pytest.fixture
def till(org_a):
    return terminal_client(org_a)


def template_of(message) -> tuple[str, list[str]]:
    template = message.body["template"]
    return template["name"], [p["text"] for p in template["components"][0]["parameters"]]


# --- records and consent ------------------------------------------------------------------


def test_an_owner_adds_a_customer_written_the_kenyan_way(org_a, client_as):
    response = client_as("owner").post(
        "/api/v1/customers/",
        {
            "name": "Akinyi",
            "phone": "0722 000 111",
            "store_id": str(org_a.stores[0].uuid),
            "whatsapp_consent": True,
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["phone"] == CUSTOMER_PHONE and body["whatsapp_consent"] is True
    assert body["consent_source"] == "api" and body["consent_at"] is not None
    assert body["store_id"] == str(org_a.stores[0].uuid)


def test_a_phone_number_is_one_customer_per_organisation(org_a, org_b, client_as):
    owner = client_as("owner")
    first = owner.post("/api/v1/customers/", {"phone": "+254722000111"}, format="json")
    again = owner.post("/api/v1/customers/", {"phone": "0722000111"}, format="json")
    customer_create(
        organisation=org_b.organisation,
        store=None,
        name="",
        phone="0722000111",
        whatsapp_consent=False,
        source="admin",
    )

    assert first.status_code == 400  # an owner has no store of their own: which store?
    store = str(org_a.stores[0].uuid)
    assert (
        owner.post(
            "/api/v1/customers/", {"phone": "0722000111", "store_id": store}, format="json"
        ).status_code
        == 201
    )
    again = owner.post(
        "/api/v1/customers/", {"phone": "+254 722 000 111", "store_id": store}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["error"]["fields"]["phone"]
    assert Customer.objects.filter(phone=CUSTOMER_PHONE).count() == 2  # one per organisation


@pytest.mark.parametrize("phone", ["12345", "07220001119999", "+0722000111", "", "phone"])
def test_a_number_that_is_no_phone_is_a_clear_400(client_as, phone):
    response = client_as("manager").post("/api/v1/customers/", {"phone": phone}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["phone"]


def test_withdrawing_consent_keeps_the_customer_and_stamps_when(org_a, client_as):
    manager = client_as("manager")
    created = manager.post(
        "/api/v1/customers/", {"phone": "0722000111", "whatsapp_consent": True}, format="json"
    ).json()

    response = manager.patch(
        f"/api/v1/customers/{created['id']}/", {"whatsapp_consent": False}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["whatsapp_consent"] is False
    assert response.json()["opted_out_at"] is not None


def test_a_store_bound_manager_sees_their_stores_customers_and_finds_one_by_phone(org_a, client_as):
    for store, phone in ((org_a.stores[0], "0722000111"), (org_a.stores[1], "0722000222")):
        customer_create(
            organisation=org_a.organisation,
            store=store,
            name="",
            phone=phone,
            whatsapp_consent=False,
            source="admin",
        )

    mine = client_as("manager").get("/api/v1/customers/").json()
    found = client_as("owner").get("/api/v1/customers/?phone=0722 000 222").json()

    assert [row["phone"] for row in mine["results"]] == ["+254722000111"]
    assert [row["phone"] for row in found["results"]] == ["+254722000222"]


@given(st.from_regex(r"[17][0-9]{8}", fullmatch=True), st.sampled_from(["0", "254", "+254"]))
def test_every_usual_way_of_writing_a_kenyan_number_is_the_same_customer(digits, prefix):
    spaced = f"{prefix}{digits[:3]} {digits[3:6]} {digits[6:]}"

    assert customer_phone(spaced) == customer_phone(prefix + digits) == f"+254{digits}"


def test_weighed_and_counted_quantities_read_as_a_customer_reads_them():
    assert quantity_text(2, None) == "2 x"
    assert quantity_text(None, 1250) == "1.25 kg"
    assert quantity_text(None, 3000) == "3 kg"


# --- the till's sale names a customer -------------------------------------------------------


def test_a_synced_sale_with_a_digital_receipt_reaches_the_customer_on_whatsapp(
    org_a, till, graph, django_capture_on_commit_callbacks
):
    customer = till_customer()
    event = sale_with_customer(org_a, 1, customer, receipt_no="S01-T01-000001")

    with django_capture_on_commit_callbacks(execute=True):
        assert statuses(push(till, [event])) == ["applied"]

    stored = Customer.objects.get(organisation=org_a.organisation)
    assert str(stored.uuid) == customer["id"] and stored.name == "Akinyi Otieno"
    assert stored.may_message and stored.consent_source == "till"
    assert stored.store == org_a.stores[0]
    [message] = graph.messages
    assert message.to == CUSTOMER_PHONE.lstrip("+") and message.type == "template"
    name, parameters = template_of(message)
    sale = Sale.objects.get()
    assert name == "asiria_receipt"
    assert parameters == [
        "S01-T01-000001",
        f"KES {sale.total_cents // 100:,}.{sale.total_cents % 100:02d}",
        "2 x Coca-Cola 500ml, 1.25 kg Tomatoes (kg)",
    ]
    delivery = NotificationDelivery.objects.get()
    assert delivery.status == "sent" and delivery.notification is None
    assert delivery.customer_message.receipt_for == sale


def test_the_same_sale_pushed_again_sends_no_second_receipt(
    org_a, till, graph, django_capture_on_commit_callbacks
):
    event = sale_with_customer(org_a, 1, till_customer())

    with django_capture_on_commit_callbacks(execute=True):
        push(till, [event])
    with django_capture_on_commit_callbacks(execute=True):
        assert statuses(push(till, [event])) == ["duplicate"]

    assert len(graph.messages) == 1 and CustomerMessage.objects.count() == 1


def test_without_consent_the_customer_is_recorded_and_nothing_is_sent(
    org_a, till, graph, django_capture_on_commit_callbacks
):
    event = sale_with_customer(org_a, 1, till_customer(consent=False, receipt=True))

    with django_capture_on_commit_callbacks(execute=True):
        assert statuses(push(till, [event])) == ["applied"]

    assert Customer.objects.get().whatsapp_consent is False
    assert graph.messages == [] and CustomerMessage.objects.count() == 0


def test_a_known_phone_keeps_the_clouds_customer_and_a_later_stop_wins_over_an_old_sale(
    org_a, till, graph, django_capture_on_commit_callbacks
):
    known = customer_create(
        organisation=org_a.organisation,
        store=org_a.stores[0],
        name="Akinyi",
        phone=CUSTOMER_PHONE,
        whatsapp_consent=False,
        source="admin",
    )
    Customer.objects.filter(pk=known.pk).update(opted_out_at=timezone.now())
    old_sale = sale_with_customer(
        org_a, 1, till_customer(), completed_at=timezone.now() - timedelta(hours=2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert statuses(push(till, [old_sale])) == ["applied"]

    known.refresh_from_db()
    assert Customer.objects.count() == 1 and known.name == "Akinyi"
    assert not known.may_message and graph.messages == []
    assert Sale.objects.count() == 1


def test_a_malformed_customer_is_rejected_with_the_reason_and_the_batch_goes_on(org_a, till, graph):
    bad = sale_with_customer(org_a, 1, till_customer(phone="0722 000 111"))
    good = sale_with_customer(org_a, 2, till_customer())

    response = push(till, [bad, good])

    assert response.status_code == 200
    results = response.json()["results"]
    assert [result["status"] for result in results] == ["rejected", "applied"]
    assert "customer/phone" in results[0]["error"]


# --- campaigns ------------------------------------------------------------------------------


def customers_of(org, *, opted_in: int, not_opted_in: int = 0, store_index: int = 0) -> None:
    for number in range(opted_in + not_opted_in):
        customer_create(
            organisation=org.organisation,
            store=org.stores[store_index],
            name=f"Customer {number}",
            phone=f"+2547110{store_index}{number:04d}",
            whatsapp_consent=number < opted_in,
            source="import",
        )


def campaign_body(org) -> dict:
    return {
        "store_id": str(org.stores[0].uuid),
        "template": "weekend_offer",
        "language": "en",
        "parameters": ["Sugar 2kg at KES 350 this weekend"],
    }


def test_head_office_sends_a_template_to_the_stores_opted_in_customers_only(
    org_a, client_as, graph, django_capture_on_commit_callbacks
):
    customers_of(org_a, opted_in=3, not_opted_in=2)
    customers_of(org_a, opted_in=2, store_index=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("head_office").post(
            "/api/v1/customer-campaigns/", campaign_body(org_a), format="json"
        )

    assert response.status_code == 202, response.content
    assert response.json()["recipients"] == 3
    assert sorted(message.to for message in graph.messages) == [
        "254711000000",
        "254711000001",
        "254711000002",
    ]
    assert all(
        template_of(message) == ("weekend_offer", ["Sugar 2kg at KES 350 this weekend"])
        for message in graph.messages
    )
    campaign = client_as("owner").get(f"/api/v1/customer-campaigns/{response.json()['id']}/")
    assert campaign.json()["delivery"]["sent"] == 3
    assert NotificationDelivery.objects.filter(status="sent").count() == 3


def test_a_campaign_past_the_daily_limit_is_refused_whole(
    org_a, client_as, graph, settings, django_capture_on_commit_callbacks
):
    settings.ASIRIA_CUSTOMER_MESSAGES_PER_DAY = 4
    customers_of(org_a, opted_in=3)
    owner = client_as("owner")

    with django_capture_on_commit_callbacks(execute=True):
        first = owner.post("/api/v1/customer-campaigns/", campaign_body(org_a), format="json")
        second = owner.post("/api/v1/customer-campaigns/", campaign_body(org_a), format="json")

    assert first.status_code == 202
    assert second.status_code == 429
    error = second.json()["error"]
    assert error["code"] == "rate_limited" and "1 of today's 4" in error["message"]
    assert len(graph.messages) == 3 and CustomerMessage.objects.count() == 3


def test_a_campaign_with_no_opted_in_customer_says_so(org_a, client_as, graph):
    customers_of(org_a, opted_in=0, not_opted_in=2)

    response = client_as("owner").post(
        "/api/v1/customer-campaigns/", campaign_body(org_a), format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_recipients"


@pytest.mark.parametrize(
    "change",
    [
        {"template": "Weekend Offer!"},
        {"parameters": ["x" * 1025]},
        {"parameters": [""]},
        {"language": "english"},
        {"store_id": "not-a-uuid"},
    ],
)
def test_a_bad_campaign_is_a_400(org_a, client_as, graph, change):
    customers_of(org_a, opted_in=1)

    response = client_as("owner").post(
        "/api/v1/customer-campaigns/", {**campaign_body(org_a), **change}, format="json"
    )

    assert response.status_code == 400
    assert CustomerMessage.objects.count() == 0


def test_graphs_rate_limit_holds_a_campaign_message_and_it_is_sent_once_later(
    org_a, client_as, graph, django_capture_on_commit_callbacks
):
    customers_of(org_a, opted_in=1)
    graph.fail_next(130429)

    with django_capture_on_commit_callbacks(execute=True):
        client_as("owner").post("/api/v1/customer-campaigns/", campaign_body(org_a), format="json")

    delivery = NotificationDelivery.objects.get()
    assert delivery.status == "queued" and delivery.last_error.startswith("130429:")
    assert delivery.not_before >= timezone.now() + timedelta(seconds=25)
    NotificationDelivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now())
    assert delivery_send(delivery_id=delivery.pk).done
    assert delivery_send(delivery_id=delivery.pk).done
    assert len(graph.messages) == 1
    assert NotificationDelivery.objects.get().status == "sent"


# --- replies and statuses -------------------------------------------------------------------


def test_stop_opts_the_customer_out_and_drops_their_waiting_messages(
    org_a, client, client_as, graph
):
    customers_of(org_a, opted_in=2)
    graph.fail_next(130429, 130429)
    client_as("owner").post("/api/v1/customer-campaigns/", campaign_body(org_a), format="json")
    stopper = "254711000000"

    response = post_signed(client, graph.inbound_payload(stopper, " stop "))

    assert response.status_code == 200
    customer = Customer.objects.get(phone="+" + stopper)
    assert not customer.may_message and customer.opted_out_at is not None
    assert customer.consent_source == "reply"
    dropped = NotificationDelivery.objects.get(to="+" + stopper)
    assert dropped.status == "failed" and "STOP" in dropped.last_error
    kept = NotificationDelivery.objects.exclude(to="+" + stopper).get()
    assert kept.status == "queued"


def test_start_gives_consent_again_recorded_as_a_reply(org_a, client, graph):
    customers_of(org_a, opted_in=0, not_opted_in=1)

    post_signed(client, graph.inbound_payload("254711000000", "START"))

    customer = Customer.objects.get()
    assert customer.may_message and customer.consent_source == "reply"
    assert customer.last_inbound_at is not None


def test_a_delivered_status_moves_the_customers_message_on(
    org_a, client, till, graph, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        push(till, [sale_with_customer(org_a, 1, till_customer())])
    [message] = graph.messages

    post_signed(client, graph.status_payload(message, "delivered"))

    assert NotificationDelivery.objects.get().status == "delivered"


def test_a_customer_who_withdrew_before_the_send_gets_nothing(
    org_a, till, graph, django_capture_on_commit_callbacks
):
    graph.fail_next(130429)
    with django_capture_on_commit_callbacks(execute=True):
        push(till, [sale_with_customer(org_a, 1, till_customer())])
    Customer.objects.update(whatsapp_consent=False, opted_out_at=timezone.now())
    NotificationDelivery.objects.update(not_before=timezone.now())

    assert delivery_send(delivery_id=NotificationDelivery.objects.get().pk).done

    assert graph.messages == []
    assert NotificationDelivery.objects.get().status == "failed"
