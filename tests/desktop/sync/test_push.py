"""Pushing the outbox to the (fake) cloud: results, rejections, failures and retries."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from .fake_cloud import FakeCloud, digest
from .support import outbox_states, queue_drawer_events, rows, sell


def test_a_sale_is_pushed_applied_and_marked_sent(enrolled: Any, cloud: FakeCloud) -> None:
    result = sell(enrolled)
    report = enrolled.services.sync.sync_now()
    assert report.ok and report.pushed == 1 and report.pending == 0, report
    (event,) = cloud.state.applied.values()
    assert event["type"] == "sale.completed"
    assert event["payload"]["receipt_no"] == result.receipt_no
    assert cloud.state.schema_errors == []
    assert list(outbox_states(enrolled).values()) == [("sent", None)]
    (sent_at,) = rows(enrolled, "SELECT sent_at FROM outbox WHERE type = 'sale.completed'")
    assert sent_at[0] is not None
    status = enrolled.services.status.snapshot()
    assert (status.online, status.unsent_events, status.network_text) == (True, 0, "Online")
    assert status.last_sync_at is not None


def test_pushes_are_gzip_batches_of_at_most_500_in_seq_order(
    enrolled: Any, cloud: FakeCloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = queue_drawer_events(enrolled, 1203)
    bodies: list[bytes] = []
    import requests

    original = requests.Session.request

    def spy(self: Any, method: str, url: str, **kwargs: Any) -> Any:
        if url.endswith("/sync/push/"):
            assert kwargs["headers"]["Content-Encoding"] == "gzip"
            bodies.append(kwargs["data"])
        return original(self, method, url, **kwargs)

    monkeypatch.setattr(requests.Session, "request", spy)
    report = enrolled.services.sync.sync_now()
    assert report.ok and report.pushed == 1203
    assert [len(batch) for batch in cloud.state.push_requests] == [500, 500, 203]
    sent_order = [i for batch in cloud.state.push_requests for i in batch]
    assert sent_order == ids  # the outbox order (seq) is kept
    seqs = [e["seq"] for b in bodies for e in json.loads(gzip.decompress(b))["events"]]
    assert seqs == sorted(seqs)


def test_duplicates_count_as_sent(enrolled: Any, cloud: FakeCloud) -> None:
    sell(enrolled)
    (event_id,) = outbox_states(enrolled)
    # The cloud already has it (an earlier push whose answer was lost).
    (payload,) = rows(enrolled, "SELECT payload FROM outbox")
    cloud.state.digests[event_id] = digest(json.loads(payload[0]))
    report = enrolled.services.sync.sync_now()
    assert report.ok and (report.pushed, report.duplicates) == (0, 1)
    assert outbox_states(enrolled)[event_id] == ("sent", None)


def test_rejected_events_stay_visible_with_their_reason_and_can_be_retried(
    enrolled: Any, cloud: FakeCloud
) -> None:
    cloud.state.reject_types.add("shift.opened")
    enrolled.services.auth.login("1111")
    enrolled.services.shifts.open(None, 500000)
    sell(enrolled)
    report = enrolled.services.sync.sync_now()
    assert report.ok and (report.pushed, report.rejected) == (1, 1)
    overview = enrolled.services.sync.overview()
    (rejected,) = overview.rejected
    assert rejected.type == "shift.opened"
    assert rejected.reason == "shift.opened is not accepted by this store"
    assert overview.pending == 0
    status = enrolled.services.status.snapshot()
    assert status.rejected_events == 1 and status.unsent_events == 1
    assert "rejected" in status.message

    # Head office fixes it; the manager retries: the event goes, nothing was lost.
    cloud.state.reject_types.clear()
    assert enrolled.services.sync.retry_rejected() == "1 rejected events will be sent again."
    assert enrolled.services.sync.sync_now().ok
    assert set(outbox_states(enrolled).values()) == {("sent", None)}
    assert len(cloud.state.applied) == 2


def test_one_invalid_event_does_not_block_the_others(enrolled: Any, cloud: FakeCloud) -> None:
    sell(enrolled)
    # A sale.completed whose payload breaks the contract (a bug in some till version).
    (bad,) = queue_drawer_events(enrolled, 1, payload={"id": "x"}, event_type="sale.completed")
    queue_drawer_events(enrolled, 2)
    sell(enrolled)
    report = enrolled.services.sync.sync_now()
    assert report.ok and (report.pushed, report.rejected) == (4, 1)
    states = outbox_states(enrolled)
    assert states[bad][0] == "rejected" and "invalid" in (states[bad][1] or "")
    assert sum(1 for s, _ in states.values() if s == "sent") == 4


def test_a_request_refused_as_a_whole_is_split_until_the_bad_event_is_alone(
    enrolled: Any, cloud: FakeCloud
) -> None:
    ids = queue_drawer_events(enrolled, 9)
    cloud.state.refuse_batches_with.add(ids[6])
    report = enrolled.services.sync.sync_now()
    assert report.ok and (report.pushed, report.rejected) == (8, 1)
    states = outbox_states(enrolled)
    assert states[ids[6]] == ("rejected", "refused by the cloud: a malformed event")
    assert set(cloud.state.applied) == set(ids) - {ids[6]}


@pytest.mark.parametrize(
    "failure",
    [
        {"kind": "status", "status": 500},
        {"kind": "status", "status": 503},
        {"kind": "status", "status": 429, "retry_after": "120"},
        {"kind": "drop_before"},
        {"kind": "slow", "seconds": 4.0},  # longer than the test client's 3 s read timeout
    ],
    ids=["500", "503", "429", "dropped", "timeout"],
)
def test_failures_leave_events_pending_and_a_retry_sends_them(
    enrolled: Any, cloud: FakeCloud, failure: dict[str, Any]
) -> None:
    sell(enrolled)
    sell(enrolled)
    cloud.fail(path="/api/v1/sync/push/", **failure)
    report = enrolled.services.sync.sync_now()
    assert not report.ok and report.outcome == "offline"
    assert set(outbox_states(enrolled).values()) == {("pending", None)}
    status = enrolled.services.status.snapshot()
    assert status.online is False and status.unsent_events == 2
    assert status.error and status.error in status.message
    if failure.get("retry_after"):
        assert enrolled.sync_engine.retry_after == 120.0

    report = enrolled.services.sync.sync_now()
    assert report.ok and report.pending == 0
    assert all(count == 1 for count in cloud.state.apply_count.values())
    assert enrolled.services.status.snapshot().online is True


def test_an_answer_lost_after_the_cloud_applied_gives_no_duplicate(
    enrolled: Any, cloud: FakeCloud
) -> None:
    sell(enrolled)
    sell(enrolled)
    cloud.fail("drop_after", path="/api/v1/sync/push/")
    assert not enrolled.services.sync.sync_now().ok
    assert len(cloud.state.applied) == 2  # the cloud has them...
    assert set(outbox_states(enrolled).values()) == {("pending", None)}  # ...the till doesn't know

    report = enrolled.services.sync.sync_now()
    assert report.ok and (report.pushed, report.duplicates) == (0, 2)
    received = {**cloud.state.applied, **cloud.state.audit}  # the login's audit row too
    assert cloud.state.apply_count == dict.fromkeys(received, 1)
    assert set(outbox_states(enrolled).values()) == {("sent", None)}


@pytest.mark.parametrize("status", [400, 409, 413, 415, 422])
def test_a_batch_refused_for_its_body_is_never_sent_whole_again(
    enrolled: Any, cloud: FakeCloud, status: int
) -> None:
    ids = queue_drawer_events(enrolled, 6)
    cloud.state.refuse_batches_with.add(ids[2])
    cloud.state.refuse_status = status

    first = enrolled.services.sync.sync_now()
    requests_after_first = len(cloud.state.requests)
    second = enrolled.services.sync.sync_now()

    assert first.ok and (first.pushed, first.rejected) == (5, 1)
    assert outbox_states(enrolled)[ids[2]][0] == "rejected"
    assert set(cloud.state.applied) == set(ids) - {ids[2]}
    # Nothing is left to send: the refused event is not retried on its own.
    assert second.ok and second.pending == 0
    pushes = [r for r in cloud.state.requests[requests_after_first:] if r[1].endswith("push/")]
    assert pushes == []


def test_a_batch_the_cloud_fails_on_twice_is_halved_around_the_event_at_fault(
    enrolled: Any, cloud: FakeCloud
) -> None:
    ids = queue_drawer_events(enrolled, 16)
    cloud.state.crash_on.add(ids[9])

    first = enrolled.services.sync.sync_now()
    assert not first.ok  # once may be a passing fault: everything stays pending
    assert set(outbox_states(enrolled).values()) == {("pending", None)}

    second = enrolled.services.sync.sync_now()

    states = outbox_states(enrolled)
    assert set(cloud.state.applied) == set(ids) - {ids[9]}
    assert states[ids[9]] == ("pending", None)  # the cloud's fault: kept, tried again later
    assert all(states[i][0] == "sent" for i in ids if i != ids[9])
    assert second.pending == 1
    # 1 whole + 2 halves per level down to the event (16 -> 8 -> 4 -> 2 -> 1), not 16 sends.
    assert len(cloud.state.push_requests) <= 2 + 2 * 4

    cloud.state.crash_on.clear()
    assert enrolled.services.sync.sync_now().ok
    assert set(cloud.state.applied) == set(ids)


def test_a_cloud_failing_on_everything_is_not_flooded_with_halves(
    enrolled: Any, cloud: FakeCloud
) -> None:
    ids = queue_drawer_events(enrolled, 16)
    cloud.state.crash_on.update(ids)

    enrolled.services.sync.sync_now()
    enrolled.services.sync.sync_now()

    assert len(cloud.state.push_requests) == 1 + 3  # whole; then whole and its two halves
    assert set(outbox_states(enrolled).values()) == {("pending", None)}


def test_a_push_forbidden_to_this_till_leaves_every_event_pending(
    enrolled: Any, cloud: FakeCloud
) -> None:
    ids = queue_drawer_events(enrolled, 4)
    cloud.fail(path="/api/v1/sync/push/", kind="status", status=403, times=10)

    report = enrolled.services.sync.sync_now()

    assert not report.ok
    assert {outbox_states(enrolled)[i] for i in ids} == {("pending", None)}


def test_the_audit_log_follows_the_business_events_to_head_office(
    enrolled: Any, cloud: FakeCloud
) -> None:
    sell(enrolled)  # logs the cashier in: one audit row
    enrolled.services.auth.logout()
    report = enrolled.services.sync.sync_now()
    assert report.ok and report.pushed == 1 and cloud.state.schema_errors == []
    assert [e["payload"]["action"] for e in cloud.state.audit.values()] == ["login", "logout"]
    first_audit_seq = min(e["seq"] for e in cloud.state.audit.values())
    (sale,) = cloud.state.applied.values()
    assert sale["seq"] < first_audit_seq  # business events go first
    assert rows(enrolled, "SELECT count(*) FROM outbox WHERE status != 'sent'") == [(0,)]

    enrolled.services.auth.login("1111")
    enrolled.services.sync.sync_now()
    actions = sorted(e["payload"]["action"] for e in cloud.state.audit.values())
    assert actions == ["login", "login", "logout"]  # each row once


def test_offline_the_audit_log_waits_in_the_log_not_in_the_outbox(
    enrolled: Any, cloud: FakeCloud
) -> None:
    sell(enrolled)
    cloud.fail("status", path="/api/v1/sync/push/", status=503, times=1)
    assert not enrolled.services.sync.sync_now().ok
    assert rows(enrolled, "SELECT count(*) FROM outbox WHERE type = 'audit.recorded'") == [(0,)]
    assert enrolled.services.sync.sync_now().ok
    assert [e["payload"]["action"] for e in cloud.state.audit.values()] == ["login"]
