"""OAuth2 callers get what their token's scopes allow, no more; only the token, revoke,
introspect and authorize views are served; no password or implicit grant; /o/token/ is
rate-limited; tokens are accepted in the Authorization header only."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from rest_framework.test import APIClient
from uuid6 import uuid7

from tests.cloud.conftest import basic_auth
from tests.cloud.role_matrix import (
    PERSONAL_OPERATIONS,
    PUBLIC_OPERATIONS,
    operation_key,
    schema_operations,
)

SCOPES = ("read", "write", "sync")
# What only tills call, with their "sync" scope.
SYNC_PATHS = {"/api/v1/sync/push/", "/api/v1/sync/pull/", "/api/v1/sync/logs/"}
REDIRECT = "https://accounting.example/callback"


def needed_scope(path: str, method: str) -> str:
    if path in SYNC_PATHS:
        return "sync"
    return "read" if method == "get" else "write"


def user_token(user: Any, scope: str) -> str:
    """A token from the real authorization-code flow with PKCE, for ``user``."""
    from oauth2_provider.models import Application

    app, _ = Application.objects.get_or_create(
        client_id="scope-test-app",
        defaults={
            "name": "Scope test",
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": REDIRECT,
            "skip_authorization": True,
            "algorithm": "",
        },
    )
    verifier = secrets.token_urlsafe(48)
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    )
    browser = Client()
    browser.force_login(user)
    authorize = browser.get(
        "/o/authorize/",
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": REDIRECT,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            "scope": scope,
        },
    )
    assert authorize.status_code == 302, authorize.content[:300]
    code = parse_qs(urlparse(authorize["Location"]).query)["code"][0]
    token = APIClient().post(
        "/o/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
        format="multipart",
    )
    assert token.status_code == 200, token.content
    assert token.json()["scope"] == scope
    return str(token.json()["access_token"])


def terminal_token(org: Any, scope: str | None) -> str:
    data = {"grant_type": "client_credentials"}
    if scope is not None:
        data["scope"] = scope
    response = APIClient().post(
        "/o/token/",
        data,
        format="multipart",
        HTTP_AUTHORIZATION=basic_auth(org.client_id, org.client_secret),
    )
    assert response.status_code == 200, response.content
    return str(response.json()["access_token"])


def call(token: str, path: str, method: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    url = re.sub(r"\{[^}]+\}", str(uuid7()), path)
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, {}, format="json")


def scope_refused(response) -> bool:
    return response.status_code == 403 and "scope" in response.json()["error"]["message"]


def test_every_operation_of_the_schema_needs_its_scope(org_a):
    """Each operation, as an owner (person) and as a till: a token with only the scope the
    operation needs gets past the scope check, a token with any other scope is refused. Open
    operations (no token, so no scope, applies) answer without one; the operations a person
    runs only when signed in themselves refuse every token, whatever its scopes."""
    operations = [(path, method.lower()) for method, path in schema_operations()]
    assert len(operations) > 40
    callers = {
        "owner": {s: user_token(org_a.users["owner"], s) for s in SCOPES}
        | {"all": user_token(org_a.users["owner"], "read write sync")},
        "terminal": {s: terminal_token(org_a, s) for s in SCOPES}
        | {"all": terminal_token(org_a, None)},
    }
    checked: set[tuple[str, str]] = set()
    for path, method in operations:
        key = operation_key(method, path)
        if key in PUBLIC_OPERATIONS:
            anonymous = APIClient().post(path, {}, format="json")
            assert anonymous.status_code not in (401, 403), (path, anonymous.content)
            continue
        if key in PERSONAL_OPERATIONS:
            for caller, tokens in callers.items():
                for scope, token in tokens.items():
                    response = call(token, path, method)
                    assert response.status_code == 403, (caller, scope, method, path)
            checked.add((path, method))
            continue
        needed = needed_scope(path, method)
        for caller, tokens in callers.items():
            if call(tokens["all"], path, method).status_code == 403:
                continue  # this caller's role may not do it at all (the role matrix's job)
            for scope in SCOPES:
                response = call(tokens[scope], path, method)
                assert response.status_code < 500, (caller, method, path, response.content)
                if scope == needed:
                    assert not scope_refused(response), (caller, scope, method, path)
                else:
                    assert scope_refused(response), (caller, scope, method, path, response.content)
            checked.add((path, method))
    unchecked = {
        (path, method)
        for path, method in operations
        if operation_key(method, path) not in PUBLIC_OPERATIONS
    } - checked
    assert not unchecked, f"no caller may run these, so their scope went untested: {unchecked}"


def test_a_read_only_pkce_token_cannot_write_even_for_an_owner(org_a):
    owner = org_a.users["owner"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {user_token(owner, 'read')}")

    category = api.post("/api/v1/categories/", {"name": "Snacks"}, format="json")
    password = api.patch(
        f"/api/v1/users/{owner.uuid}/", {"password": "Another-Long-Pass-77"}, format="json"
    )

    assert scope_refused(category)
    assert scope_refused(password)
    assert api.get("/api/v1/categories/").status_code == 200


def test_a_till_token_granted_only_read_cannot_push(org_a):
    till = APIClient()
    till.credentials(HTTP_AUTHORIZATION=f"Bearer {terminal_token(org_a, 'read')}")

    response = till.post("/api/v1/sync/push/", {"events": []}, format="json")

    assert scope_refused(response)


def test_a_till_that_asks_for_no_scope_gets_sync_and_can_pull(org_a):
    till = APIClient()
    till.credentials(HTTP_AUTHORIZATION=f"Bearer {terminal_token(org_a, None)}")

    assert till.get("/api/v1/sync/pull/", {"cursor": 0}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/o/applications/",
        "/o/applications/register/",
        "/o/authorized_tokens/",
        "/o/userinfo/",
        "/o/device-authorization/",
        "/o/register/",
        "/o/.well-known/openid-configuration",
    ],
)
def test_only_the_token_revoke_introspect_and_authorize_views_are_served(org_a, path):
    browser = Client()
    browser.force_login(org_a.users["head_office"])

    assert browser.get(path).status_code == 404
    assert browser.post(path, {}).status_code == 404


def test_the_password_grant_is_refused_even_for_an_application_registered_with_it(org_a):
    from oauth2_provider.models import Application

    Application.objects.create(
        name="password door",
        client_id="password-door",
        client_secret="password-door-secret",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_PASSWORD,
    )

    response = APIClient().post(
        "/o/token/",
        {
            "grant_type": "password",
            "username": org_a.users["owner"].email,
            "password": "Correct-Horse-Battery-9",
            "scope": "read write sync",
        },
        format="multipart",
        HTTP_AUTHORIZATION=basic_auth("password-door", "password-door-secret"),
    )

    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


def test_the_implicit_grant_is_refused(org_a):
    from oauth2_provider.models import Application

    Application.objects.create(
        name="implicit",
        client_id="implicit-app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_IMPLICIT,
        redirect_uris=REDIRECT,
        skip_authorization=True,
    )
    browser = Client()
    browser.force_login(org_a.users["owner"])

    response = browser.get(
        "/o/authorize/",
        {"response_type": "token", "client_id": "implicit-app", "redirect_uri": REDIRECT},
    )

    assert "access_token" not in response.get("Location", "")


def test_a_token_in_the_query_string_is_not_accepted(org_a):
    token = terminal_token(org_a, None)

    response = APIClient().get("/api/v1/sync/pull/", {"cursor": 0, "access_token": token})

    assert response.status_code == 401


def test_the_token_endpoint_is_rate_limited_by_address_whatever_x_forwarded_for_says(org_a):
    statuses = [
        APIClient()
        .post(
            "/o/token/",
            {"grant_type": "client_credentials"},
            format="multipart",
            HTTP_AUTHORIZATION=basic_auth(org_a.client_id, f"guess-{n}"),
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
        .status_code
        for n in range(61)
    ]

    assert 429 not in statuses[:60]
    last = APIClient().post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        format="multipart",
        HTTP_AUTHORIZATION=basic_auth(org_a.client_id, org_a.client_secret),
    )
    assert statuses[60] == 429
    assert last.status_code == 429
    assert int(last["Retry-After"]) > 0
    assert last.json()["error"]["code"] == "throttled"
