"""The fake WhatsApp Graph server wired into the cloud's settings, and signed webhook posts."""

from __future__ import annotations

import json
from typing import Any

from cloud_api.integrations.whatsapp.fake_graph import FakeGraphServer, FakeGraphState
from cloud_api.integrations.whatsapp.signature import signature_of

TOKEN = "test-whatsapp-token"
PHONE_NUMBER_ID = "109876543210"
APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"
WEBHOOK = "/api/v1/integrations/whatsapp/webhook/"


def start_fake_graph() -> FakeGraphServer:
    return FakeGraphServer(FakeGraphState(token=TOKEN, phone_number_id=PHONE_NUMBER_ID)).start()


def configure(settings: Any, server: FakeGraphServer) -> None:
    settings.ASIRIA_WHATSAPP_GRAPH_URL = server.graph_url
    settings.ASIRIA_WHATSAPP_TOKEN = TOKEN
    settings.ASIRIA_WHATSAPP_PHONE_NUMBER_ID = PHONE_NUMBER_ID
    settings.ASIRIA_WHATSAPP_APP_SECRET = APP_SECRET
    settings.ASIRIA_WHATSAPP_VERIFY_TOKEN = VERIFY_TOKEN


def post_signed(client: Any, payload: dict[str, Any], secret: str = APP_SECRET, **headers: Any):
    raw = json.dumps(payload).encode()
    return client.post(
        WEBHOOK,
        data=raw,
        content_type="application/json",
        HTTP_X_HUB_SIGNATURE_256=headers.pop("signature", signature_of(raw, secret)),
        **headers,
    )
