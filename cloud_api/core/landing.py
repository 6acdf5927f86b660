"""``/``: what this server is and where to go from here (the admin's "View site" lands here)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse


def landing(request: HttpRequest) -> HttpResponse:
    links = [
        (
            "Dashboard",
            reverse("dashboard:overview"),
            "Sales, best sellers, payments, stock alerts and tills at a glance.",
        ),
        (
            "Head office",
            reverse("admin:index"),
            "Sales, payments, refunds, stock levels and tills of your organisation.",
        ),
        (
            "API documentation",
            reverse("docs"),
            "The v1 API the tills and integrations use (OpenAPI).",
        ),
    ]
    if settings.ASIRIA_DEMO_FAKES:
        links.append(
            (
                "WhatsApp messages sent (FAKE)",
                reverse("demo-whatsapp"),
                "What the demo would have sent to owners and managers on WhatsApp.",
            )
        )
    context = {"links": links, "demo_fakes": settings.ASIRIA_DEMO_FAKES}
    return render(request, "core/landing.html", context)
