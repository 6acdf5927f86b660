"""``/demo/whatsapp/``: on the demo cloud (``ASIRIA_DEMO_FAKES``) the page lists what the FAKE
Graph server received, with each message's delivery status in the cloud; anywhere else it does
not exist. The start page says the demo's servers are fakes."""

from __future__ import annotations

from typing import Any

import pytest

from cloud_api.customers.services import campaign_send, customer_create
from cloud_api.notifications.models import NotificationPreference
from cloud_api.notifications.services import notification_notify_store
from cloud_api.notifications.tasks import deliver_notifications

from .whatsapp_support import configure, start_fake_graph

MANAGER_PHONE = "+254712345678"


@pytest.fixture(scope="module")
def fake() -> Any:
    server = start_fake_graph()
    yield server
    server.stop()


@pytest.fixture
def demo_cloud(fake: Any, settings: Any) -> Any:
    fake.state.messages.clear()
    configure(settings, fake)
    settings.ASIRIA_DEMO_FAKES = True
    settings.ASIRIA_DEMO_WORKER = "celery"
    return fake.state


def test_the_page_lists_what_the_fake_graph_received_with_its_delivery_status(
    org_a: Any, demo_cloud: Any, client: Any
) -> None:
    empty = client.get("/demo/whatsapp/")
    assert empty.status_code == 200 and "No messages yet" in empty.content.decode()
    NotificationPreference.objects.create(
        user=org_a.users["manager"], whatsapp_opt_in=True, whatsapp_phone=MANAGER_PHONE
    )
    message = "Low stock at Main: sugar is down to 2 (threshold 5)."
    notices = notification_notify_store(store=org_a.stores[0], kind="low_stock", message=message)
    deliver_notifications([str(item.uuid) for item in notices])

    page = client.get("/demo/whatsapp/").content.decode()
    assert "FAKE WhatsApp server" in page and "sent by a Celery worker" in page
    assert MANAGER_PHONE in page and message in page and "low_stock" in page
    assert "<td>Sent</td>" in page  # the cloud's delivery status (no webhook in this test)


def test_a_message_to_a_customer_is_listed_beside_the_staff_ones(
    org_a: Any, demo_cloud: Any, client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    customer_create(
        organisation=org_a.organisation,
        store=org_a.stores[0],
        name="Akinyi Otieno",
        phone="0722000111",
        whatsapp_consent=True,
        source="till",
    )
    with django_capture_on_commit_callbacks(execute=True):
        campaign_send(
            organisation=org_a.organisation,
            store=org_a.stores[0],
            template="weekend_offer",
            language="en",
            parameters=["Sugar 2kg at KES 350 this weekend"],
            created_by=org_a.users["head_office"],
        )

    answer = client.get("/demo/whatsapp/")
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "+254722000111" in page and "customer campaign" in page
    assert "[template weekend_offer] Sugar 2kg at KES 350 this weekend" in page
    assert "<td>Sent</td>" in page


def test_the_start_page_labels_the_fakes(demo_cloud: Any, client: Any) -> None:
    page = client.get("/").content.decode()
    assert "FAKE payment and WhatsApp servers" in page and 'href="/demo/whatsapp/"' in page


def test_a_fake_graph_that_does_not_answer_is_said_plainly(
    demo_cloud: Any, settings: Any, client: Any
) -> None:
    settings.ASIRIA_WHATSAPP_GRAPH_URL = "http://127.0.0.1:9/v21.0"  # nothing listens there
    answer = client.get("/demo/whatsapp/")
    assert answer.status_code == 200
    assert "The fake WhatsApp server did not answer" in answer.content.decode()


@pytest.mark.django_db
def test_outside_the_demo_there_is_no_such_page(client: Any, settings: Any) -> None:
    settings.ASIRIA_DEMO_FAKES = False
    answer = client.get("/demo/whatsapp/")
    assert answer.status_code == 404 and answer["Content-Type"] == "application/json"
    assert "FAKE" not in client.get("/").content.decode()
