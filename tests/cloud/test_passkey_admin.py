"""Passkeys in the admin: the login page's passkey button, the session sign-in, My passkeys."""

from __future__ import annotations

import pytest
from django.test import Client

from cloud_api.accounts.models import Passkey
from tests.cloud.conftest import PASSWORD, jwt_client
from tests.cloud.soft_authenticator import SoftAuthenticator

BASE = "/api/v1/auth/passkeys/"
ORIGIN = "http://localhost:8000"


@pytest.fixture(autouse=True)
def relying_party(settings):
    settings.ASIRIA_WEBAUTHN_RP_ID = "localhost"
    settings.ASIRIA_WEBAUTHN_ORIGINS = [ORIGIN]


def registered(user) -> SoftAuthenticator:
    device = SoftAuthenticator(origin=ORIGIN)
    api = jwt_client(user)
    options = api.post(f"{BASE}register/options/", {"password": PASSWORD}).json()
    created = api.post(f"{BASE}register/verify/", {"credential": device.create(options)})
    assert created.status_code == 201, created.content
    return device


def session_sign_in(client: Client, device: SoftAuthenticator, *, next_url: str = ""):
    """What the login page's script does, with the CSRF token the login form carries."""
    page = client.get("/admin/login/")
    token = page.context["csrf_token"]
    options = client.post(
        f"{BASE}login/options/", content_type="application/json", HTTP_X_CSRFTOKEN=str(token)
    ).json()
    return client.post(
        f"{BASE}login/session/",
        {"credential": device.get(options), "next": next_url},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=str(token),
    )


def test_the_admin_login_page_offers_a_passkey_and_keeps_the_password_form(db, client):
    page = client.get("/admin/login/").content.decode()

    assert "Sign in with a passkey" in page
    assert 'name="password"' in page
    assert "/static/accounts/passkeys.js" in page
    assert f'data-options-url="{BASE}login/options/"' in page


def test_an_owner_signs_in_to_the_admin_with_a_passkey(org_a):
    device = registered(org_a.users["owner"])
    client = Client(enforce_csrf_checks=True)

    response = session_sign_in(client, device, next_url="/admin/sales/sale/")

    assert response.status_code == 200, response.content
    assert response.json() == {"redirect": "/admin/sales/sale/"}
    assert client.get("/admin/sales/sale/").status_code == 200


def test_the_session_sign_in_never_redirects_to_another_site(org_a):
    device = registered(org_a.users["owner"])

    response = session_sign_in(
        Client(enforce_csrf_checks=True), device, next_url="https://evil.example/"
    )

    assert response.json() == {"redirect": "/admin/"}


def test_the_session_sign_in_needs_the_login_pages_csrf_token(org_a):
    device = registered(org_a.users["owner"])
    client = Client(enforce_csrf_checks=True)
    options = client.post(f"{BASE}login/options/").json()

    response = client.post(
        f"{BASE}login/session/",
        {"credential": device.get(options)},
        content_type="application/json",
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert client.get("/admin/sales/sale/").status_code == 302


def test_a_manager_without_admin_access_gets_no_admin_session(org_a):
    device = registered(org_a.users["manager"])
    client = Client(enforce_csrf_checks=True)

    response = session_sign_in(client, device)

    assert response.status_code == 403
    assert "admin" in response.json()["error"]["message"]
    assert "_auth_user_id" not in client.session


def test_my_passkeys_page_lists_only_my_passkeys_and_offers_to_add_one(org_a, client):
    registered(org_a.users["owner"])
    registered(org_a.users["head_office"])
    client.force_login(org_a.users["head_office"])

    page = client.get("/admin/accounts/passkey/")

    assert page.status_code == 200
    assert list(page.context["cl"].queryset) == list(
        Passkey.objects.filter(user=org_a.users["head_office"])
    )
    body = page.content.decode()
    assert "Add a passkey" in body
    assert f'data-verify-url="{BASE}register/verify/"' in body


def test_the_admin_revokes_a_passkey_and_keeps_its_record(org_a, client):
    device = registered(org_a.users["owner"])
    passkey = Passkey.objects.get()
    client.force_login(org_a.users["owner"])

    response = client.post(
        "/admin/accounts/passkey/",
        {"action": "revoke", "_selected_action": [passkey.pk]},
        follow=True,
    )

    passkey.refresh_from_db()
    assert response.status_code == 200
    assert passkey.revoked_reason == "by_user"
    assert session_sign_in(Client(enforce_csrf_checks=True), device).status_code == 401


def test_the_admin_page_registers_through_the_session_with_its_csrf_token(org_a):
    """The "Add a passkey" form calls the API with the admin session, not a JWT."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(org_a.users["owner"])
    token = str(client.get("/admin/accounts/passkey/").context["csrf_token"])
    device = SoftAuthenticator(origin=ORIGIN)

    without_token = client.post(
        f"{BASE}register/options/", {"password": PASSWORD}, content_type="application/json"
    )
    options = client.post(
        f"{BASE}register/options/",
        {"password": PASSWORD},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    created = client.post(
        f"{BASE}register/verify/",
        {"name": "Laptop", "credential": device.create(options.json())},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert without_token.status_code == 403
    assert created.status_code == 201
    assert Passkey.objects.get().name == "Laptop"
