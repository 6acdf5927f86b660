"""Frequently bought together, end to end: sales in the cloud, the mining job, a real till
(its own SQLite database, HTTP client and sync engine) pulling over a real socket, and the
sale screen's hint text coming out of the till's service."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from . import analytics_support as data
from .conftest import make_org


class MemoryKeyring(KeyringBackend):
    """Never the machine's real keyring in a test."""

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


@pytest.fixture
def memory_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


@pytest.mark.django_db(transaction=True)
def test_a_till_shows_the_hint_the_cloud_mined(
    live_server, tmp_path: Path, memory_keyring: None
) -> None:
    from django.utils import timezone

    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from cloud_api.accounts.services import terminal_create
    from cloud_api.analytics.basket_tasks import compute_basket_rules

    org = make_org("Hint Bakery", with_terminal=False)
    store = org.stores[0]
    items = data.products(org, ["Bread", "Butter", "Milk"])
    today = timezone.localdate()
    for index in range(12):
        basket = ["Bread", "Butter"] if index % 3 else ["Milk"]
        data.sale(org, store, today - timedelta(days=index), [items[n] for n in basket])
    compute_basket_rules.delay(store.pk)

    till = build_till(TillConfig(data_dir=tmp_path / "till", store_code=store.code))
    try:
        _, code = terminal_create(store=store, name="Till 1", created_by=None)
        till.services.sync.enroll(live_server.url, code, "Till 1")
        report = till.services.sync.sync_now()
        assert report.ok, report
        insights = till.services.insights
        assert insights.hint_for(str(items["Butter"].uuid)) == "Often bought with Butter: Bread"
        assert insights.hint_for(str(items["Bread"].uuid)) == "Often bought with Bread: Butter"
        assert insights.hint_for(str(items["Milk"].uuid)) is None  # bought alone
    finally:
        till.close()
