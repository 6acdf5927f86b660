"""The optional ``client`` of a push: the till's app version and unsent count, kept on the
terminal for head office; a malformed one is dropped, and the events still apply."""

from __future__ import annotations

import pytest

from .conftest import make_org, terminal_client
from .sync_support import envelope


@pytest.mark.django_db(transaction=True)
def test_the_till_client_tells_its_version_and_unsent_count(live_server):
    from asiria_desktop.ports.cloud import ClientReport
    from asiria_desktop.sync.client import HttpCloudClient, enroll
    from cloud_api.accounts.models import Terminal
    from cloud_api.accounts.services import terminal_create

    org = make_org("Reporting Till Co", with_terminal=False)
    terminal, code = terminal_create(store=org.stores[0], name="Till 1", created_by=None)
    enrolment = enroll(live_server.url, code, "Till 1")
    client = HttpCloudClient(live_server.url, enrolment.client_id, enrolment.client_secret)

    results = client.push(
        [envelope("sale.completed", org.make_sale(), 1)], ClientReport("1.4.2", 37)
    )

    terminal = Terminal.objects.get(pk=terminal.pk)
    assert [r.status for r in results] == ["applied"]
    assert (terminal.app_version, terminal.unsent_count) == ("1.4.2", 37)
    assert terminal.last_push_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "client",
    [
        {"app_version": "x" * 41, "unsent_count": -1},
        {"app_version": "1.0\n<script>", "unsent_count": True},
        {"app_version": 7, "unsent_count": 10**12},
        "1.0.0",
        [],
    ],
)
def test_a_malformed_client_report_is_dropped_and_the_events_still_apply(client):
    from cloud_api.accounts.models import Terminal

    org = make_org("Odd Till Co")
    api = terminal_client(org)
    body = {"events": [envelope("sale.completed", org.make_sale(), 1)], "client": client}

    response = api.post("/api/v1/sync/push/", body, format="json")

    assert response.status_code == 200, response.content
    assert [r["status"] for r in response.json()["results"]] == ["applied"]
    terminal = Terminal.objects.get(pk=org.terminal.pk)
    assert (terminal.app_version, terminal.unsent_count) == ("", None)


@pytest.mark.django_db
def test_a_push_without_a_client_report_keeps_the_last_one():
    from cloud_api.accounts.models import Terminal

    org = make_org("Quiet Till Co")
    api = terminal_client(org)
    first = {
        "events": [envelope("sale.completed", org.make_sale(), 1)],
        "client": {"app_version": "0.1.0", "unsent_count": 4},
    }
    assert api.post("/api/v1/sync/push/", first, format="json").status_code == 200
    second = {"events": [envelope("sale.completed", org.make_sale(), 2)]}
    assert api.post("/api/v1/sync/push/", second, format="json").status_code == 200

    terminal = Terminal.objects.get(pk=org.terminal.pk)
    assert (terminal.app_version, terminal.unsent_count) == ("0.1.0", 4)
