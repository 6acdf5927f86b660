"""The production WhatsApp client against the local fake Graph server: the published request,
response and error payloads."""

from __future__ import annotations

import pytest

from cloud_api.integrations.whatsapp.client import WhatsAppClient, WhatsAppConfig, WhatsAppError

from .whatsapp_support import PHONE_NUMBER_ID, TOKEN, start_fake_graph


@pytest.fixture(scope="module")
def fake():
    server = start_fake_graph()
    yield server
    server.stop()


@pytest.fixture
def client(fake):
    fake.state.messages.clear()
    fake.state.scripted_errors.clear()
    return WhatsAppClient(
        WhatsAppConfig(graph_url=fake.graph_url, token=TOKEN, phone_number_id=PHONE_NUMBER_ID)
    )


def test_a_text_is_sent_and_its_wamid_returned(fake, client):
    wamid = client.send_text(to="+254712345678", body="Low stock: sugar", callback_data="d-1")

    [message] = fake.state.messages
    assert wamid == message.wamid and wamid.startswith("wamid.")
    assert message.to == "254712345678"
    assert message.body["text"] == {"preview_url": False, "body": "Low stock: sugar"}
    assert message.body["recipient_type"] == "individual"
    assert message.callback_data == "d-1"


def test_a_template_carries_the_message_as_one_flat_parameter(fake, client):
    client.send_template(
        to="254712345678",
        name="asiria_alert",
        language="en",
        parameters=["Oversold at Main:\n\tsugar  is at -2"],
    )

    template = fake.state.messages[0].body["template"]
    assert template["name"] == "asiria_alert" and template["language"] == {"code": "en"}
    assert template["components"] == [
        {
            "type": "body",
            "parameters": [{"type": "text", "text": "Oversold at Main: sugar is at -2"}],
        }
    ]


@pytest.mark.parametrize(
    ("code", "retry_after", "needs_template"),
    [(130429, 30, False), (131056, 60, False), (131047, None, True), (190, None, False)],
)
def test_graph_errors_are_classified(fake, client, code, retry_after, needs_template):
    fake.state.fail_next(code)

    with pytest.raises(WhatsAppError) as raised:
        client.send_text(to="254712345678", body="hello")

    assert raised.value.code == code
    assert raised.value.retry_after_s == retry_after
    assert raised.value.needs_template is needs_template
    assert fake.state.messages == []


def test_a_wrong_token_is_error_190(fake):
    wrong = WhatsAppClient(
        WhatsAppConfig(graph_url=fake.graph_url, token="expired", phone_number_id=PHONE_NUMBER_ID)
    )

    with pytest.raises(WhatsAppError) as raised:
        wrong.send_text(to="254712345678", body="hello")

    assert raised.value.code == 190 and raised.value.http_status == 401


def test_an_unreachable_graph_is_worth_retrying():
    nowhere = WhatsAppClient(
        WhatsAppConfig(graph_url="http://127.0.0.1:9", token=TOKEN, phone_number_id="1")
    )

    with pytest.raises(WhatsAppError) as raised:
        nowhere.send_text(to="254712345678", body="hello")

    assert raised.value.code is None and raised.value.retry_after_s == 15
