"""``/demo/whatsapp/``: the WhatsApp messages the demo cloud sent, as the FAKE Graph server
received them, with each one's delivery status in the cloud. Only when the cloud runs with
``make demo``'s fakes (``ASIRIA_DEMO_FAKES``); a 404 anywhere else."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cloud_api.notifications.models import NotificationDelivery

MAX_SHOWN = 200


def fake_graph_messages() -> list[dict[str, Any]]:
    """What the fake Graph server lists at ``/_fake/messages``, newest first."""
    parts = urlsplit(settings.ASIRIA_WHATSAPP_GRAPH_URL)
    answer = requests.get(f"{parts.scheme}://{parts.netloc}/_fake/messages", timeout=5)
    answer.raise_for_status()
    messages = answer.json()["messages"]
    return list(reversed(messages))[:MAX_SHOWN]


def _text(message: dict[str, Any]) -> str:
    body = message.get("body") or {}
    if message.get("type") == "text":
        return str(body.get("text", {}).get("body", ""))
    template = body.get("template", {})
    texts = [
        str(parameter.get("text", ""))
        for component in template.get("components", [])
        for parameter in component.get("parameters", [])
    ]
    return f"[template {template.get('name', '')}] " + " | ".join(texts)


def _kind(delivery: NotificationDelivery | None) -> str:
    """A staff notification's kind, or "customer receipt" / "customer campaign"."""
    if delivery is None:
        return ""
    if delivery.notification is not None:
        return delivery.notification.kind
    if delivery.customer_message is not None:
        return f"customer {delivery.customer_message.kind}"
    return ""


def demo_whatsapp(request: HttpRequest) -> HttpResponse:
    if not settings.ASIRIA_DEMO_FAKES:
        raise Http404("Only the demo cloud has this page.")
    problem = ""
    try:
        received = fake_graph_messages()
    except (requests.RequestException, ValueError, KeyError) as error:
        received, problem = [], f"The fake WhatsApp server did not answer: {error}"
    deliveries = {
        delivery.wamid: delivery
        for delivery in NotificationDelivery.objects.filter(
            wamid__in=[m.get("wamid") for m in received]
        ).select_related("notification", "customer_message")
    }
    rows = []
    for message in received:
        delivery = deliveries.get(message.get("wamid"))
        sent_at = datetime.fromtimestamp(float(message.get("received_at") or 0), tz=UTC)
        rows.append(
            {
                "when": timezone.localtime(sent_at),
                "to": f"+{message.get('to', '')}",
                "kind": _kind(delivery),
                "text": _text(message),
                "status": delivery.get_status_display() if delivery else "",
            }
        )
    context = {"rows": rows, "problem": problem, "worker": settings.ASIRIA_DEMO_WORKER}
    return render(request, "core/demo_whatsapp.html", context)
