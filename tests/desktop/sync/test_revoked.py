"""A terminal revoked by head office keeps selling, says why it cannot sync, and re-enrols."""

from __future__ import annotations

from typing import Any

from .fake_cloud import FakeCloud
from .support import outbox_states, sell


def test_a_revoked_till_sells_on_and_says_why(enrolled: Any, cloud: FakeCloud) -> None:
    assert enrolled.services.sync.sync_now().ok  # holds a token now
    (terminal,) = cloud.state.terminals.values()
    cloud.revoke(terminal.id)

    sell(enrolled)
    report = enrolled.services.sync.sync_now()
    assert not report.ok and report.outcome == "revoked"
    assert "disconnected by head office" in report.message
    assert set(outbox_states(enrolled).values()) == {("pending", None)}

    status = enrolled.services.status.snapshot()
    assert status.network_text == "Disconnected by head office"
    assert "disconnected by head office on 24 Nov 2026" in status.message
    assert "Sales go on" in status.message
    sell(enrolled)  # still selling
    assert enrolled.services.status.snapshot().unsent_events == 2


def test_a_restarted_revoked_till_is_told_its_credentials_no_longer_work(
    sync_till: Any, enrolled: Any, cloud: FakeCloud
) -> None:
    (terminal,) = cloud.state.terminals.values()
    cloud.revoke(terminal.id)
    enrolled.close()
    again = sync_till(seed=False)  # no cached token: the token endpoint refuses
    report = again.services.sync.sync_now()
    assert report.outcome == "revoked"
    status = again.services.status.snapshot()
    assert status.network_text == "Disconnected by head office"
    assert "Ask head office for a new enrolment code" in (status.error or "")


def test_re_enrolling_a_revoked_till_sends_what_it_sold_meanwhile(
    enrolled: Any, cloud: FakeCloud
) -> None:
    (terminal,) = cloud.state.terminals.values()
    cloud.revoke(terminal.id)
    sell(enrolled)
    sell(enrolled)
    assert enrolled.services.sync.sync_now().outcome == "revoked"

    enrolled.services.sync.enroll(cloud.url, cloud.new_code(terminal.id), "Till 1")
    assert not enrolled.services.status.snapshot().error
    report = enrolled.services.sync.sync_now()
    assert report.ok and report.pushed == 2
    assert enrolled.services.status.snapshot().network_text == "Online"
