"""The fake Daraja server (the demo's own, ``cloud_api.integrations.fake_daraja``) wired into
the cloud's settings, and helpers to drive M-Pesa flows as Daraja and the till would."""

from __future__ import annotations

from typing import Any

import pytest

from cloud_api.integrations.fake_daraja import FakeDaraja
from cloud_api.integrations.fake_daraja_records import SANDBOX_PASSKEY, SANDBOX_SHORTCODE

CALLBACK_SECRET = "s3cret-callback-path-0123456789abcdef"


_SERVER: list[FakeDaraja] = []


def _daraja_server() -> FakeDaraja:
    """One fake server for the whole run (a daemon thread: it ends with the run)."""
    if not _SERVER:
        _SERVER.append(FakeDaraja().start())
    return _SERVER[0]


@pytest.fixture
def fake_daraja(settings):
    """A running fake Daraja, clean for this test, that the cloud's client talks to."""
    server = _daraja_server()
    server.reset()
    server.token_lifetime = 3599
    settings.MPESA_BASE_URL = server.url
    settings.MPESA_CONSUMER_KEY = server.consumer_key
    settings.MPESA_CONSUMER_SECRET = server.consumer_secret
    settings.MPESA_CALLBACK_SECRET = CALLBACK_SECRET
    settings.MPESA_CALLBACK_BASE_URL = "https://shop.example"
    settings.MPESA_INITIATOR_NAME = "testapi"
    settings.MPESA_SECURITY_CREDENTIAL = "encrypted-initiator-password"
    settings.MPESA_RETRY_BACKOFF = 0.01
    return server


def configure_store(store, *, kind: str = "paybill", till_number: str = ""):
    from cloud_api.payments.mpesa.config import mpesa_config_set

    return mpesa_config_set(
        store=store,
        kind=kind,
        shortcode=SANDBOX_SHORTCODE,
        passkey=SANDBOX_PASSKEY,
        till_number=till_number,
    )


def callback_path(kind: str, secret: str = CALLBACK_SECRET) -> str:
    return {
        "stk": f"/api/v1/payments/mpesa/callback/{secret}/",
        "validation": f"/api/v1/payments/mpesa/c2b/validation/{secret}/",
        "confirmation": f"/api/v1/payments/mpesa/c2b/confirmation/{secret}/",
        "status_result": f"/api/v1/payments/mpesa/status/result/{secret}/",
        "status_timeout": f"/api/v1/payments/mpesa/status/timeout/{secret}/",
    }[kind]


def post_as_daraja(kind: str, body: Any, secret: str = CALLBACK_SECRET):
    """POST a callback without any credentials, as Daraja does."""
    from rest_framework.test import APIClient

    return APIClient().post(callback_path(kind, secret), body, format="json")
