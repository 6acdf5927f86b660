"""Fixtures for the sync tests: an in-memory keyring (never the real one), a fake cloud on
127.0.0.1, and tills whose HTTP client uses short timeouts."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt

from collections.abc import Callable, Iterator
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

from asiria_desktop.sync.client import HttpCloudClient

from .fake_cloud import FakeCloud

TEST_TIMEOUT = (2.0, 3.0)  # connect, read: short, so a "slow" cloud times out quickly


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def cloud() -> Iterator[FakeCloud]:
    fake = FakeCloud().start()
    yield fake
    fake.stop()


def short_timeout_api(url: str, client_id: str, secret: str) -> HttpCloudClient:
    return HttpCloudClient(url, client_id, secret, timeout=TEST_TIMEOUT)


@pytest.fixture
def sync_till(make_till: Callable[..., Any]) -> Callable[..., Any]:
    """``sync_till(seed=True, **kwargs)``: a till whose cloud client has short timeouts."""

    def factory(**kwargs: Any) -> Any:
        kwargs.setdefault("cloud_api", short_timeout_api)
        return make_till(**kwargs)

    return factory


@pytest.fixture
def enrolled(sync_till: Callable[..., Any], cloud: FakeCloud) -> Any:
    """A seeded demo till enrolled with the fake cloud (secret in the memory keyring)."""
    till = sync_till()
    till.services.sync.enroll(cloud.url, cloud.new_code(), "Till 1")
    return till
