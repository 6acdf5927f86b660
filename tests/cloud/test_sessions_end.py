"""A new password or a deactivation ends the account's sessions; one's own new password needs
the current one."""

from __future__ import annotations

from rest_framework.test import APIClient

from cloud_api.accounts.models import User

PASSWORD = "Correct-Horse-Battery-9"
NEW_PASSWORD = "Another-Long-Passphrase-42"


def sign_in(email: str, password: str = PASSWORD) -> dict[str, str]:
    response = APIClient().post(
        "/api/v1/auth/token/", {"email": email, "password": password}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()


def refresh(token: str):
    return APIClient().post("/api/v1/auth/token/refresh/", {"refresh": token}, format="json")


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_a_password_reset_by_a_manager_ends_the_cashiers_sessions(org_a):
    cashier = org_a.users["cashier"]
    tokens = sign_in(cashier.email)
    manager = bearer(sign_in(org_a.users["manager"].email)["access"])

    reset = manager.patch(
        f"/api/v1/users/{cashier.uuid}/", {"password": NEW_PASSWORD}, format="json"
    )

    assert reset.status_code == 200, reset.content
    assert refresh(tokens["refresh"]).status_code == 401
    assert bearer(tokens["access"]).get("/api/v1/users/me/").status_code == 401
    assert refresh(sign_in(cashier.email, NEW_PASSWORD)["refresh"]).status_code == 200


def test_changing_ones_own_password_needs_the_current_one(org_a):
    owner = org_a.users["owner"]
    api = bearer(sign_in(owner.email)["access"])
    url = f"/api/v1/users/{owner.uuid}/"

    missing = api.patch(url, {"password": NEW_PASSWORD}, format="json")
    wrong = api.patch(url, {"password": NEW_PASSWORD, "current_password": "guess"}, format="json")

    assert missing.status_code == 400
    assert "current_password" in missing.json()["error"]["fields"]
    assert wrong.status_code == 400
    assert "current_password" in wrong.json()["error"]["fields"]
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_ones_own_new_password_ends_the_other_sessions(org_a):
    owner = org_a.users["owner"]
    laptop = sign_in(owner.email)
    phone = sign_in(owner.email)

    changed = bearer(phone["access"]).patch(
        f"/api/v1/users/{owner.uuid}/",
        {"password": NEW_PASSWORD, "current_password": PASSWORD},
        format="json",
    )

    assert changed.status_code == 200, changed.content
    assert refresh(laptop["refresh"]).status_code == 401
    assert refresh(phone["refresh"]).status_code == 401
    assert sign_in(owner.email, NEW_PASSWORD)["access"]


def test_deactivating_an_account_ends_its_sessions(org_a):
    cashier = org_a.users["cashier"]
    tokens = sign_in(cashier.email)
    manager = bearer(sign_in(org_a.users["manager"].email)["access"])

    manager.patch(f"/api/v1/users/{cashier.uuid}/", {"is_active": False}, format="json")

    assert refresh(tokens["refresh"]).status_code == 401
    assert bearer(tokens["access"]).get("/api/v1/users/me/").status_code == 401


def test_a_password_set_outside_the_api_ends_sessions_too(org_a):
    """The admin's password form and ``manage.py changepassword`` save the model like this."""
    user = User.objects.get(pk=org_a.users["head_office"].pk)
    tokens = sign_in(user.email)

    user.set_password(NEW_PASSWORD)
    user.save()

    assert refresh(tokens["refresh"]).status_code == 401


def test_signing_in_again_leaves_the_other_sessions_alone(org_a):
    email = org_a.users["owner"].email
    first = sign_in(email)
    sign_in(email)  # records last_login

    assert refresh(first["refresh"]).status_code == 200


def test_a_new_password_revokes_the_accounts_oauth2_tokens(org_a):
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application, RefreshToken

    owner = org_a.users["owner"]
    app = Application.objects.create(
        name="Accounting sync",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="https://accounting.example/callback",
    )
    access = AccessToken.objects.create(
        user=owner,
        application=app,
        token="plain-access-token-for-the-test-0123456789",
        expires=timezone.now() + timedelta(hours=1),
        scope="read",
    )
    RefreshToken.objects.create(
        user=owner, application=app, token="plain-refresh-token-0123456789", access_token=access
    )
    assert (
        bearer("plain-access-token-for-the-test-0123456789").get("/api/v1/users/me/").status_code
        == 200
    )

    owner.set_password(NEW_PASSWORD)
    owner.save()

    assert (
        bearer("plain-access-token-for-the-test-0123456789").get("/api/v1/users/me/").status_code
        == 401
    )
    assert not RefreshToken.objects.filter(user=owner, revoked__isnull=True).exists()


def test_guessing_the_current_password_through_a_session_locks_like_a_sign_in(org_a):
    from cloud_api.accounts import login_guard

    owner = org_a.users["owner"]
    api = bearer(sign_in(owner.email)["access"])
    url = f"/api/v1/users/{owner.uuid}/"
    guesses = [
        api.patch(url, {"password": NEW_PASSWORD, "current_password": f"guess-{n}"}, format="json")
        for n in range(login_guard.FREE_FAILURES_ACCOUNT_FROM_ADDRESS + 1)
    ]

    right = api.patch(url, {"password": NEW_PASSWORD, "current_password": PASSWORD}, format="json")

    assert {guess.status_code for guess in guesses} == {400}
    assert right.status_code == 429
    assert int(right["Retry-After"]) >= login_guard.FIRST_LOCK_SECONDS
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
