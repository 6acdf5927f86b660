"""``GET, POST /api/v1/integrations/whatsapp/webhook/``: Meta's verify challenge, then signed
status events (sent, delivered, read, failed per wamid) and messages people send us."""

from __future__ import annotations

import hmac
import json
from typing import Any

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cloud_api.core.errors import error_response
from cloud_api.customers.services import customer_inbound_apply
from cloud_api.integrations.whatsapp.signature import signature_valid
from cloud_api.notifications.delivery import inbound_message_apply, status_event_apply

log = structlog.get_logger(__name__)


@csrf_exempt  # Meta cannot hold a CSRF token: the HMAC signature authenticates the POST
@require_http_methods(["GET", "POST"])
def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _verify(request)
    return _receive(request)


def _verify(request: HttpRequest) -> HttpResponse:
    """Subscribing the URL in Meta's app dashboard: echo the challenge if the token matches."""
    mode = request.GET.get("hub.mode", "")
    token = request.GET.get("hub.verify_token", "")
    challenge = request.GET.get("hub.challenge", "")
    expected = settings.ASIRIA_WHATSAPP_VERIFY_TOKEN
    if (
        mode == "subscribe"
        and expected
        and challenge
        and hmac.compare_digest(token.encode(), expected.encode())
    ):
        return HttpResponse(challenge, content_type="text/plain")
    return error_response(403, "forbidden", "The verify token does not match.")


def _receive(request: HttpRequest) -> HttpResponse:
    body = request.body
    header = request.headers.get("X-Hub-Signature-256", "")
    if not signature_valid(body, header, settings.ASIRIA_WHATSAPP_APP_SECRET):
        log.warning("whatsapp_webhook_bad_signature", length=len(body))
        return error_response(403, "forbidden", "The webhook signature is not valid.")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return error_response(400, "invalid", "The webhook body is not JSON.")
    matched = 0
    for value in _change_values(payload):
        for status in _dicts(value.get("statuses")):
            matched += status_event_apply(status)
        for message in _dicts(value.get("messages")):
            inbound_message_apply(message)
            customer_inbound_apply(message)
    return JsonResponse({"received": True, "matched": matched})


def _change_values(payload: Any) -> list[dict[str, Any]]:
    if not isinstance(payload, dict):
        return []
    return [
        change["value"]
        for entry in _dicts(payload.get("entry"))
        for change in _dicts(entry.get("changes"))
        if isinstance(change.get("value"), dict)
    ]


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
