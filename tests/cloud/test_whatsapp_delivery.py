"""Notifications delivered on WhatsApp through the production client to the fake Graph server:
who receives one, template or text, rate limits, quiet hours, a worker killed mid-call, and the
status webhook (signature, verify challenge, out-of-order statuses, STOP)."""

from __future__ import annotations

import json
import zoneinfo
from datetime import UTC, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from cloud_api.integrations.whatsapp.fake_graph import FakeGraphState
from cloud_api.integrations.whatsapp.signature import signature_of
from cloud_api.inventory.services import stock_movement_record, stock_threshold_set
from cloud_api.notifications.delivery import delivery_send, quiet_hours_end
from cloud_api.notifications.models import (
    Notification,
    NotificationDelivery,
    NotificationPreference,
)
from cloud_api.notifications.services import notification_mark_read, notification_notify_store
from cloud_api.notifications.tasks import deliver_notifications, resume_deliveries

from .whatsapp_support import (
    APP_SECRET,
    VERIFY_TOKEN,
    WEBHOOK,
    configure,
    post_signed,
    start_fake_graph,
)

MANAGER_PHONE = "+254712345678"


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
def opted_in(org_a):
    manager = org_a.users["manager"]
    return NotificationPreference.objects.create(
        user=manager, whatsapp_opt_in=True, whatsapp_phone=MANAGER_PHONE
    )


def notify(org, message="Low stock at Main: sugar is down to 2 (threshold 5).", kind="low_stock"):
    notifications = notification_notify_store(store=org.stores[0], kind=kind, message=message)
    deliver_notifications([str(item.uuid) for item in notifications])
    return notifications


def the_delivery() -> NotificationDelivery:
    return NotificationDelivery.objects.get()


def test_a_low_stock_crossing_reaches_the_opted_in_manager_on_whatsapp(
    org_a, graph, opted_in, django_capture_on_commit_callbacks
):
    store, product = org_a.stores[0], org_a.products[0]
    stock_movement_record(store=store, product=product, delta_milli=10_000, reason="received")
    stock_threshold_set(store=store, product=product, threshold_milli=5_000)

    with django_capture_on_commit_callbacks(execute=True):
        stock_movement_record(store=store, product=product, delta_milli=-6_000, reason="sale")

    [text] = graph.texts()
    assert text == f"Low stock at {store.name}: Coca-Cola 500ml is down to 4 (threshold 5)."
    assert graph.messages[0].type == "template"  # the person never wrote: 24-hour window closed
    assert graph.messages[0].to == MANAGER_PHONE.lstrip("+")
    delivery = the_delivery()
    assert delivery.status == "sent" and delivery.wamid == graph.messages[0].wamid
    assert delivery.attempts == 1 and delivery.notification.user == org_a.users["manager"]


def test_head_office_and_owners_receive_notifications_but_only_opted_in_people_whatsapp(
    org_a, graph, opted_in
):
    notify(org_a)

    roles = set(Notification.objects.values_list("user__role", flat=True))
    assert roles == {"owner", "manager", "head_office"}
    assert NotificationDelivery.objects.count() == 1 and len(graph.messages) == 1


def test_nothing_is_planned_when_whatsapp_is_not_configured(org_a, graph, opted_in, settings):
    settings.ASIRIA_WHATSAPP_TOKEN = ""

    notify(org_a)

    assert NotificationDelivery.objects.count() == 0 and graph.messages == []


def test_a_person_only_gets_the_kinds_they_chose(org_a, graph, opted_in):
    opted_in.kinds = ["daily_summary"]
    opted_in.save()

    notify(org_a, kind="low_stock")
    notify(org_a, message="Main, Sat 05 Dec: 3 sales, KES 240 taken.", kind="daily_summary")

    assert graph.texts() == ["Main, Sat 05 Dec: 3 sales, KES 240 taken."]


def test_inside_the_24_hour_window_a_plain_text_is_sent(org_a, graph, opted_in):
    opted_in.last_inbound_at = timezone.now() - timedelta(hours=23)
    opted_in.save()

    notify(org_a)

    assert graph.messages[0].type == "text"


def test_a_closed_window_reported_by_graph_falls_back_to_a_template(org_a, graph, opted_in):
    opted_in.last_inbound_at = timezone.now() - timedelta(hours=1)
    opted_in.save()
    graph.fail_next(131047)

    notify(org_a)
    delivery_send(delivery_id=the_delivery().pk)

    assert [message.type for message in graph.messages] == ["template"]
    assert the_delivery().status == "sent" and the_delivery().attempts == 2


def test_rate_limited_then_sent_once(org_a, graph, opted_in):
    graph.fail_next(130429)

    notify(org_a)
    delivery = the_delivery()
    assert delivery.status == "queued" and delivery.attempts == 1
    assert delivery.last_error.startswith("130429:")
    assert delivery.not_before >= timezone.now() + timedelta(seconds=25)

    early = delivery_send(delivery_id=delivery.pk)  # the backoff has not passed yet
    assert not early.done and 0 < early.retry_in_s <= 30 and graph.messages == []

    NotificationDelivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now())
    assert delivery_send(delivery_id=delivery.pk).done

    assert len(graph.messages) == 1 and the_delivery().status == "sent"
    assert the_delivery().attempts == 2


def test_pair_rate_limit_backs_off_longer_each_time(org_a, graph, opted_in):
    graph.fail_next(131056, 131056)

    notify(org_a)
    delivery = the_delivery()
    NotificationDelivery.objects.filter(pk=delivery.pk).update(not_before=timezone.now())
    second = delivery_send(delivery_id=delivery.pk)

    assert not second.done and second.retry_in_s == 120  # 60 s, doubled on the second try
    assert the_delivery().last_error.startswith("131056:") and graph.messages == []


def test_an_expired_token_fails_the_delivery_without_retrying(org_a, graph, opted_in, settings):
    settings.ASIRIA_WHATSAPP_TOKEN = "expired"

    notify(org_a)

    delivery = the_delivery()
    assert delivery.status == "failed" and delivery.last_error.startswith("190:")


def test_a_message_in_quiet_hours_waits_until_they_end(org_a, graph, opted_in):
    nairobi = zoneinfo.ZoneInfo(org_a.organisation.time_zone)
    local = timezone.now().astimezone(nairobi)
    opted_in.quiet_start = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
    opted_in.quiet_end = (local + timedelta(hours=1)).time().replace(second=0, microsecond=0)
    opted_in.save()

    notify(org_a)
    resume_deliveries()

    delivery = the_delivery()
    assert graph.messages == [] and delivery.status == "queued"
    assert delivery.not_before.astimezone(nairobi).time() == opted_in.quiet_end
    assert delivery.not_before > timezone.now()


@given(start=st.times(), end=st.times(), now=st.datetimes(timezones=st.just(UTC)))
def test_quiet_hours_end_is_the_next_end_and_only_inside_the_span(start, end, now):
    preference = NotificationPreference(quiet_start=start, quiet_end=end)

    until = quiet_hours_end(preference, "Africa/Nairobi", now)

    local = now.astimezone(zoneinfo.ZoneInfo("Africa/Nairobi"))
    clock = local.time()
    inside = (
        (start <= clock < end)
        if start < end
        else (start != end and (clock >= start or clock < end))
    )
    assert (until is not None) == inside
    if until is not None:
        assert until.time() == end and local < until <= local + timedelta(days=1)


def test_a_worker_killed_mid_call_is_completed_by_the_webhook_and_not_sent_again(
    org_a, graph, opted_in, client, settings
):
    """The row says "sending" with no wamid (the worker died after Graph accepted the
    message): Graph's "sent" webhook names the delivery, so nothing is sent twice."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    notify(org_a)
    first = graph.messages[0]
    NotificationDelivery.objects.update(status="sending", wamid=None, sending_since=timezone.now())

    waiting = delivery_send(delivery_id=the_delivery().pk)
    assert not waiting.done and graph.messages == [first]

    assert post_signed(client, graph_status(first, "sent")).status_code == 200
    delivery = the_delivery()
    assert delivery.status == "sent" and delivery.wamid == first.wamid

    assert delivery_send(delivery_id=delivery.pk).done
    NotificationDelivery.objects.update(sending_since=timezone.now() - timedelta(days=1))
    assert resume_deliveries() == 0
    assert len(graph.messages) == 1


def test_a_send_graph_never_confirmed_is_sent_again_after_the_grace_period(
    org_a, graph, opted_in, settings
):
    notify(org_a)
    graph.messages.clear()  # as if the first call never reached Graph
    stale = timezone.now() - timedelta(seconds=settings.ASIRIA_WHATSAPP_RESEND_AFTER_S + 1)
    NotificationDelivery.objects.update(status="sending", wamid=None, sending_since=stale)

    assert resume_deliveries() == 1

    assert len(graph.messages) == 1 and the_delivery().status == "sent"


def graph_status(message, status, **extra):
    payload = fake_state_payload(message, status)
    payload["entry"][0]["changes"][0]["value"]["statuses"][0].update(extra)
    return payload


def fake_state_payload(message, status):
    return FakeGraphState(token="", phone_number_id="109876543210").status_payload(message, status)


def test_status_webhooks_move_the_delivery_forward_only(org_a, graph, opted_in, client):
    notify(org_a)
    message = graph.messages[0]

    for status in ("delivered", "read", "delivered", "sent"):
        assert post_signed(client, graph_status(message, status)).json()["matched"] == 1

    delivery = the_delivery()
    assert delivery.status == "read"
    notification = delivery.notification
    assert notification.status == "unread"  # read on WhatsApp is not read in the inbox
    notification_mark_read(notification=notification)
    assert the_delivery().status == "read"


def test_a_failed_status_keeps_graphs_reason(org_a, graph, opted_in, client):
    notify(org_a)
    failed = graph_status(
        graph.messages[0],
        "failed",
        errors=[{"code": 131026, "title": "Message undeliverable"}],
    )

    post_signed(client, failed)

    delivery = the_delivery()
    assert delivery.status == "failed" and delivery.last_error == "131026: Message undeliverable"


@pytest.mark.parametrize(
    "signature",
    ["", "sha256=" + "0" * 64, "sha1=abc", "signed-with-another-secret"],
)
def test_a_bad_signature_is_refused_and_changes_nothing(org_a, graph, opted_in, client, signature):
    notify(org_a)
    payload = graph_status(graph.messages[0], "read")
    if signature == "signed-with-another-secret":
        response = post_signed(client, payload, secret="not-the-app-secret")
    else:
        response = post_signed(client, payload, signature=signature)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert the_delivery().status == "sent"


def test_a_body_changed_after_signing_is_refused(org_a, graph, opted_in, client):
    notify(org_a)
    signed = json.dumps(graph_status(graph.messages[0], "delivered")).encode()
    tampered = signed.replace(b"delivered", b"read")

    response = client.post(
        WEBHOOK,
        data=tampered,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=signature_of(signed, APP_SECRET),
    )

    assert response.status_code == 403 and the_delivery().status == "sent"


def test_a_signed_body_that_is_not_json_is_a_400(graph, client, db):
    response = client.post(
        WEBHOOK,
        data=b"{not json",
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=signature_of(b"{not json", APP_SECRET),
    )

    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_the_verify_challenge_is_echoed_only_for_our_token(graph, client):
    ok = client.get(
        WEBHOOK,
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"},
    )
    wrong = client.get(
        WEBHOOK,
        {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"},
    )

    assert ok.status_code == 200 and ok.content == b"1158201444"
    assert wrong.status_code == 403 and wrong.json()["error"]["code"] == "forbidden"


def test_stop_from_a_phone_opts_that_person_out_and_cancels_what_waits(
    org_a, graph, opted_in, client
):
    graph.fail_next(130429)
    notify(org_a)  # rate-limited: queued for later
    assert the_delivery().status == "queued"

    stop = FakeGraphState(token="", phone_number_id="1").inbound_payload("254712345678", " stop ")
    assert post_signed(client, stop).status_code == 200

    opted_in.refresh_from_db()
    assert opted_in.whatsapp_opt_in is False and opted_in.opted_out_at is not None
    assert the_delivery().status == "failed" and "STOP" in the_delivery().last_error
    notify(org_a, message="Oversold at Main")
    assert graph.messages == [] and NotificationDelivery.objects.count() == 1


def test_a_message_from_a_person_opens_the_24_hour_window(org_a, graph, opted_in, client):
    hello = FakeGraphState(token="", phone_number_id="1").inbound_payload("254712345678", "Hi")
    post_signed(client, hello)
    notify(org_a)

    assert graph.messages[0].type == "text"
    opted_in.refresh_from_db()
    assert opted_in.whatsapp_opt_in is True


def test_a_person_sets_their_own_whatsapp_preferences(org_a, client_as):
    client = client_as("manager")
    assert client.get("/api/v1/notifications/preferences/").json()["whatsapp_opt_in"] is False

    saved = client.put(
        "/api/v1/notifications/preferences/",
        {
            "whatsapp_opt_in": True,
            "whatsapp_phone": MANAGER_PHONE,
            "kinds": ["low_stock", "daily_summary"],
            "quiet_start": "21:00",
            "quiet_end": "07:00",
        },
        format="json",
    )

    assert saved.status_code == 200, saved.content
    preference = NotificationPreference.objects.get(user=org_a.users["manager"])
    assert preference.whatsapp_opt_in and preference.whatsapp_phone == MANAGER_PHONE
    assert preference.kinds == ["low_stock", "daily_summary"]
    assert str(preference.quiet_start) == "21:00:00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"whatsapp_opt_in": True, "whatsapp_phone": "0712345678"}, "whatsapp_phone"),
        ({"whatsapp_opt_in": True}, "whatsapp_phone"),
        ({"whatsapp_opt_in": False, "kinds": ["gossip"]}, "kinds"),
        ({"whatsapp_opt_in": False, "quiet_start": "21:00"}, "quiet_end"),
        ({"whatsapp_opt_in": "perhaps"}, "whatsapp_opt_in"),
        ({"whatsapp_opt_in": False, "quiet_start": "25:00", "quiet_end": "07:00"}, "quiet_start"),
    ],
)
def test_bad_preferences_are_a_400_in_the_one_error_shape(client_as, body, field):
    response = client_as("owner").put("/api/v1/notifications/preferences/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
