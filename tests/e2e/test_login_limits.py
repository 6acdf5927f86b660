"""Through a real gunicorn with no proxy in front (the default ``ASIRIA_NUM_PROXIES=0``): a client
that writes a new X-Forwarded-For on every request is still one address to the sign-in and
``/o/token/`` rate limits, and a guessed password never reaches a locked account."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from . import cloud
from .conftest import E2ECloud


def _forget_limits() -> None:
    """Rate-limit and sign-in counters of 127.0.0.1, shared with the suite's other server."""
    import redis

    client = redis.Redis(host=cloud.REDIS_HOST, port=cloud.REDIS_PORT, db=cloud.REDIS_DB)
    for pattern in ("asiria:*:throttle_*", "asiria:*:login-*"):
        for key in client.scan_iter(pattern):
            client.delete(key)


@pytest.fixture
def hardened(e2e: E2ECloud, tmp_path: Path) -> Iterator[str]:
    """A second gunicorn on the suite's database with the production rate limits."""
    env = {
        **e2e.server.env,
        "ASIRIA_RATE_LOGIN": "10/min",
        "ASIRIA_RATE_ANON": "60/min",
        "ASIRIA_RATE_OAUTH_TOKEN": "60/min",
    }
    env.pop("ASIRIA_NUM_PROXIES", None)
    server = cloud.Gunicorn(env=env, log_path=tmp_path / "gunicorn-hardened.log", workers=1)
    _forget_limits()
    server.start()
    try:
        yield server.url
    finally:
        server.stop()
        _forget_limits()


def test_a_forged_x_forwarded_for_does_not_escape_the_sign_in_limit(hardened: str) -> None:
    statuses = [
        requests.post(
            f"{hardened}/api/v1/auth/token/",
            json={"email": f"guess{n}@e2e.example", "password": "wrong"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
            timeout=30,
        ).status_code
        for n in range(11)
    ]

    assert statuses == [401] * 10 + [429]


def test_a_forged_x_forwarded_for_does_not_escape_the_token_endpoint_limit(
    hardened: str,
) -> None:
    statuses = [
        requests.post(
            f"{hardened}/o/token/",
            data={"grant_type": "client_credentials"},
            auth=("no-such-client", f"guess-{n}"),
            headers={"X-Forwarded-For": f"198.51.100.{n % 250}"},
            timeout=30,
        ).status_code
        for n in range(61)
    ]

    assert 429 not in statuses[:60]
    assert statuses[60] == 429


def test_the_owners_right_password_waits_once_the_account_is_locked_here(
    hardened: str,
) -> None:
    for n in range(6):
        wrong = requests.post(
            f"{hardened}/api/v1/auth/token/",
            json={"email": cloud.OWNER_EMAIL, "password": f"wrong-{n}"},
            timeout=30,
        )
        assert wrong.status_code == 401

    right = requests.post(
        f"{hardened}/api/v1/auth/token/",
        json={"email": cloud.OWNER_EMAIL, "password": cloud.OWNER_PASSWORD},
        timeout=30,
    )

    assert right.status_code == 429
    assert int(right.headers["Retry-After"]) > 0
    assert "access" not in right.json()
