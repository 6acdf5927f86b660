"""People log in with JWT; tills and integrations use OAuth2 (django-oauth-toolkit)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import jsonschema
from argon2 import PasswordHasher
from django.utils import timezone
from rest_framework.test import APIClient

from cloud_api.accounts.models import Terminal
from cloud_api.accounts.services import terminal_create

PASSWORD = "Correct-Horse-Battery-9"
CONTRACT = json.loads(
    (Path(__file__).resolve().parents[1] / "contract" / "sync-v1.schema.json").read_text()
)


def contract_validator(name: str):
    schema = {"$ref": f"#/$defs/{name}", "$defs": CONTRACT["$defs"]}
    return jsonschema.Draft202012Validator(schema)


def login(email: str, password: str = PASSWORD):
    return APIClient().post(
        "/api/v1/auth/token/", {"email": email, "password": password}, format="json"
    )


def test_login_with_email_in_any_case_gives_tokens_that_work(org_a):
    response = login("MANAGER@alphashops.example")

    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    me = client.get("/api/v1/users/me/")
    assert me.json()["email"] == "manager@alphashops.example"
    assert me.json()["role"] == "manager"


def test_a_wrong_password_is_a_401_with_a_message(org_a):
    response = login("manager@alphashops.example", "guess")

    assert response.status_code == 401
    assert response.json()["error"]["message"]


def test_refresh_rotates_and_the_old_refresh_token_dies(org_a):
    tokens = login("owner@alphashops.example").json()
    client = APIClient()

    rotated = client.post(
        "/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json"
    )
    replayed = client.post(
        "/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json"
    )

    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != tokens["refresh"]
    assert replayed.status_code == 401


def test_logout_blacklists_the_refresh_token(org_a):
    tokens = login("owner@alphashops.example").json()
    client = APIClient()

    out = client.post("/api/v1/auth/logout/", {"refresh": tokens["refresh"]}, format="json")
    after = client.post(
        "/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}, format="json"
    )
    twice = client.post("/api/v1/auth/logout/", {"refresh": tokens["refresh"]}, format="json")

    assert out.status_code == 204
    assert after.status_code == 401
    assert twice.status_code == 400


def test_login_is_rate_limited_per_address(org_a):
    statuses = [login(f"guess{n}@alphashops.example", "wrong").status_code for n in range(11)]

    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429


def test_a_deactivated_user_cannot_log_in(org_a):
    cashier = org_a.users["cashier"]
    cashier.is_active = False
    cashier.save()

    assert login(cashier.email).status_code == 401


def test_passwords_are_argon2_and_pins_are_argon2id_the_till_can_verify(org_a):
    cashier = org_a.users["cashier"]

    assert cashier.password.startswith("argon2$")
    assert cashier.pin_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).verify(
        cashier.pin_hash, "1234"
    )


def test_production_settings_hash_passwords_with_argon2():
    import importlib
    import os

    os.environ.setdefault("SECRET_KEY", "x" * 60)
    production = importlib.import_module("cloud_api.settings")
    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def test_enrolment_gives_client_credentials_that_the_contract_describes(org_a, client_as):
    created = client_as("manager").post("/api/v1/terminals/", {"name": "Till 2"}, format="json")
    assert created.status_code == 201
    code = created.json()["enrollment_code"]

    enrolled = APIClient().post(
        "/api/v1/terminals/enroll/", {"code": code, "name": "Till 2"}, format="json"
    )
    again = APIClient().post(
        "/api/v1/terminals/enroll/", {"code": code, "name": "Till 2"}, format="json"
    )

    assert enrolled.status_code == 201
    contract_validator("EnrollResponse").validate(enrolled.json())
    assert enrolled.json()["store_id"] == str(org_a.stores[0].uuid)
    assert (enrolled.json()["store_code"], enrolled.json()["terminal_code"]) == ("S01", "T02")
    assert enrolled.json()["time_zone"] == "Africa/Nairobi"
    assert again.status_code == 400  # one-time code
    token = APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic(enrolled.json()["client_id"], enrolled.json()["client_secret"]),
    )
    assert token.status_code == 200
    assert token.json()["token_type"] == "Bearer"


def test_an_expired_enrolment_code_is_refused(org_a):
    terminal, code = terminal_create(store=org_a.stores[0], name="Till 3", created_by=None)
    Terminal.objects.filter(pk=terminal.pk).update(
        enrollment_expires_at=timezone.now() - timedelta(minutes=1)
    )

    response = APIClient().post(
        "/api/v1/terminals/enroll/", {"code": code, "name": "Till 3"}, format="json"
    )

    assert response.status_code == 400
    assert "expired" in response.json()["error"]["message"]


def test_a_revoked_terminal_is_shut_out(org_a, client_as):
    till = client_as("terminal")
    assert till.get("/api/v1/products/").status_code == 200

    client_as("owner").post(f"/api/v1/terminals/{org_a.terminal.uuid}/revoke/")

    response = till.get("/api/v1/products/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "terminal_revoked"
    assert "disconnected by head office" in response.json()["error"]["message"]
    token = APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic(org_a.client_id, org_a.client_secret),
    )
    denied = APIClient()
    denied.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    assert denied.get("/api/v1/products/").status_code == 401


def test_a_wrong_client_secret_gets_no_token(org_a):
    response = APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic(org_a.client_id, "not-the-secret"),
    )

    assert response.status_code == 401


def test_a_client_credentials_app_that_is_not_a_terminal_is_refused(org_a):
    from oauth2_provider.models import Application

    Application.objects.create(
        name="stray integration",
        client_id="stray",
        client_secret="stray-secret-value",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    token = (
        APIClient()
        .post(
            "/o/token/",
            {"grant_type": "client_credentials"},
            format="multipart",
            HTTP_AUTHORIZATION=basic("stray", "stray-secret-value"),
        )
        .json()["access_token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = client.get("/api/v1/products/")

    assert response.status_code == 401
    assert "terminal" in response.json()["error"]["message"]


def test_third_party_app_uses_authorization_code_with_pkce(org_a, client):
    """A third-party app acts for the person who consented, with that person's scope."""
    from oauth2_provider.models import Application

    app = Application.objects.create(
        name="Accounting sync",
        client_id="acct-app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://accounting.example/callback",
        skip_authorization=True,
        algorithm="",
    )
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    client.force_login(org_a.users["head_office"])

    authorize = client.get(
        "/o/authorize/",
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": "https://accounting.example/callback",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "scope": "read",
        },
    )
    assert authorize.status_code == 302, authorize.content[:300]
    code = parse_qs(urlparse(authorize["Location"]).query)["code"][0]
    token = APIClient().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "https://accounting.example/callback",
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
        format="multipart",
    )
    assert token.status_code == 200, token.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['access_token']}")
    assert api.get("/api/v1/users/me/").json()["role"] == "head_office"
    assert api.post("/api/v1/categories/", {"name": "x"}, format="json").status_code == 403


def test_re_enrolling_a_revoked_terminal_replaces_its_credentials(org_a, client_as):
    client_as("owner").post(f"/api/v1/terminals/{org_a.terminal.uuid}/revoke/")
    code = (
        client_as("manager")
        .post(f"/api/v1/terminals/{org_a.terminal.uuid}/enrollment-code/")
        .json()["enrollment_code"]
    )

    enrolled = (
        APIClient()
        .post("/api/v1/terminals/enroll/", {"code": code, "name": "Till 1 (new PC)"}, format="json")
        .json()
    )

    assert enrolled["terminal_id"] == str(org_a.terminal.uuid)
    assert enrolled["terminal_code"] == "T01"  # same till, same receipt numbers
    old = APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic(org_a.client_id, org_a.client_secret),
    )
    new = APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic(enrolled["client_id"], enrolled["client_secret"]),
    )
    assert old.status_code == 401
    till = APIClient()
    till.credentials(HTTP_AUTHORIZATION=f"Bearer {new.json()['access_token']}")
    assert till.get("/api/v1/products/").status_code == 200
