"""Password guessing: per-address rate limits that a forged X-Forwarded-For cannot escape, a
per-account failure counter with capped exponential backoff, and the same guard on the admin."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from cloud_api.accounts import login_guard

PASSWORD = "Correct-Horse-Battery-9"
OWNER = "owner@alphashops.example"


def login(email: str, password: str, *, address: str = "127.0.0.1", forwarded: str | None = None):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return APIClient().post(
        "/api/v1/auth/token/", {"email": email, "password": password}, format="json", **extra
    )


def test_a_new_x_forwarded_for_per_request_does_not_escape_the_login_limit(org_a):
    statuses = [
        login(f"guess{n}@alphashops.example", "wrong", forwarded=f"203.0.113.{n}").status_code
        for n in range(11)
    ]

    assert statuses == [401] * 10 + [429]


def test_a_new_x_forwarded_for_per_request_does_not_escape_the_enrolment_limit(db):
    statuses = [
        APIClient()
        .post(
            "/api/v1/terminals/enroll/",
            {"code": f"ABCD-EF{n:02d}", "name": "Till"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        .status_code
        for n in range(11)
    ]

    assert statuses == [400] * 10 + [429]


def test_a_new_x_forwarded_for_per_request_does_not_escape_the_anonymous_limit(db):
    statuses = [
        APIClient()
        .post(
            "/api/v1/auth/token/refresh/",
            {"refresh": "not-a-token"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n % 250}, 10.0.0.{n % 250}",
        )
        .status_code
        for n in range(61)
    ]

    assert 429 not in statuses[:60]
    assert statuses[60] == 429


def test_failures_spread_over_many_addresses_lock_the_account(org_a):
    for n in range(login_guard.FREE_FAILURES_ACCOUNT):
        assert login(OWNER, "wrong", address=f"10.1.0.{n}").status_code == 401
    assert login(OWNER, "wrong", address="10.1.1.1").status_code == 401  # one past: locks

    right = login(OWNER, PASSWORD, address="10.1.1.2")

    assert right.status_code == 429
    assert int(right["Retry-After"]) >= login_guard.FIRST_LOCK_SECONDS
    assert "try again in" in right.json()["error"]["message"]
    assert "access" not in right.json()


def test_a_locked_account_and_an_unknown_email_answer_alike(org_a):
    answers = {}
    for email in (OWNER, "nobody@alphashops.example"):
        for n in range(login_guard.FREE_FAILURES_ACCOUNT + 1):
            login(email, "wrong", address=f"10.2.{len(answers)}.{n}")
        answers[email] = login(email, PASSWORD, address="10.3.0.1")

    owner, nobody = answers[OWNER], answers["nobody@alphashops.example"]
    assert owner.status_code == nobody.status_code == 429
    assert owner.json() == nobody.json()
    assert owner["Retry-After"] == nobody["Retry-After"]


def test_after_a_few_failures_from_one_address_even_the_right_password_waits(org_a):
    for _ in range(login_guard.FREE_FAILURES_ACCOUNT_FROM_ADDRESS + 1):
        assert login(OWNER, "wrong", address="10.4.0.1").status_code == 401

    assert login(OWNER, PASSWORD, address="10.4.0.1").status_code == 429
    assert login(OWNER, PASSWORD, address="10.4.0.2").status_code == 200  # elsewhere: fine


def test_the_owner_still_signs_in_from_a_known_address_while_others_hammer_the_account(org_a):
    assert login(OWNER, PASSWORD, address="10.5.0.1").status_code == 200
    for n in range(login_guard.FREE_FAILURES_ACCOUNT + 5):
        login(OWNER, "wrong", address=f"10.6.0.{n}")
    assert login(OWNER, PASSWORD, address="10.7.0.1").status_code == 429  # a stranger waits

    assert login(OWNER, PASSWORD, address="10.5.0.1").status_code == 200


def test_a_success_clears_the_accounts_failures(org_a):
    tries = login_guard.FREE_FAILURES_ACCOUNT_FROM_ADDRESS - 1  # twice this would lock
    for _ in range(tries):
        login(OWNER, "wrong", address="10.8.0.1")
    assert login(OWNER, PASSWORD, address="10.8.0.1").status_code == 200

    statuses = [login(OWNER, "wrong", address="10.8.0.1").status_code for _ in range(tries)]

    assert statuses == [401] * tries
    assert login(OWNER, PASSWORD, address="10.8.0.1").status_code == 200


@settings(max_examples=25, deadline=None)
@given(failures=st.integers(min_value=1, max_value=60))
def test_a_lock_never_outlasts_the_cap(failures):
    cache.clear()
    attempt = login_guard.Attempt(account="a" * 32, address="10.9.0.1")
    for _ in range(failures):
        login_guard.record_failure(attempt)

    wait = login_guard.seconds_locked(attempt)
    ttls = [cache.ttl(f"login-lock:{name}") for name, _ in attempt.counters]

    assert 0 <= wait <= login_guard.MAX_LOCK_SECONDS
    assert all(ttl is None or ttl <= login_guard.MAX_LOCK_SECONDS for ttl in ttls)
    if failures > login_guard.FREE_FAILURES_ACCOUNT_FROM_ADDRESS:
        assert wait >= login_guard.FIRST_LOCK_SECONDS - 1
    else:
        assert wait == 0


def admin_sign_in(client, email: str, password: str):
    return client.post(reverse("admin:login"), {"username": email, "password": password})


@pytest.mark.django_db
def test_the_admin_sign_in_is_guarded_too(org_a, client):
    statuses = [admin_sign_in(client, OWNER, f"wrong-{n}").status_code for n in range(40)]

    right = admin_sign_in(client, OWNER, PASSWORD)

    assert set(statuses) == {200}
    assert right.status_code == 200  # the form again, not the 302 into the admin
    assert b"Too many failed sign-ins" in right.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_admin_sign_in_works_after_a_few_mistakes(org_a, client):
    for n in range(3):
        admin_sign_in(client, OWNER, f"wrong-{n}")

    right = admin_sign_in(client, OWNER, PASSWORD)

    assert right.status_code == 302
