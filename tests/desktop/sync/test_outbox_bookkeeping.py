"""The pusher's bookkeeping under varied server answers (hypothesis): nothing is lost, nothing
rejected is dropped, the order is kept, unanswered events stay pending."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.ports.cloud import BatchRefused, PullPage, PushResult
from asiria_desktop.ports.records import OutboxEntry
from asiria_desktop.sync.pusher import Pusher, classify

from .support import outbox_states, queue_drawer_events

ANSWERS = st.sampled_from(["applied", "duplicate", "rejected", "missing", "weird", "refuse"])


def _entry(n: int) -> OutboxEntry:
    return OutboxEntry(f"id-{n}", n, "drawer.opened", "2026-11-24T10:00:00+03:00", {})


@given(st.lists(ANSWERS, max_size=40), st.lists(st.text(max_size=5), max_size=5))
def test_every_event_lands_in_exactly_one_bucket(answers: list[str], strays: list[str]) -> None:
    batch = [_entry(n) for n in range(1, len(answers) + 1)]
    results = [
        PushResult(e.id, a, f"why {e.seq}" if a == "rejected" else None)
        for e, a in zip(batch, answers, strict=True)
        if a != "missing"
    ] + [PushResult(f"stray-{s}", "applied") for s in strays]
    book = classify(batch, list(reversed(results)))  # the order of answers doesn't matter
    rejected_ids = [i for i, _ in book.rejected]
    assert sorted(book.sent + rejected_ids + book.unanswered) == sorted(e.id for e in batch)
    assert book.duplicates == answers.count("duplicate")
    assert len(book.sent) == answers.count("applied") + answers.count("duplicate")
    assert all(reason == f"why {i.split('-')[1]}" for i, reason in book.rejected)
    assert [i for i in book.sent] == [
        e.id for e, a in zip(batch, answers, strict=True) if a in ("applied", "duplicate")
    ]


class ScriptedCloud:
    """Answers each event as the hypothesis script says ("refuse": a 400 for the request)."""

    def __init__(self, script: dict[str, str]) -> None:
        self.script = script
        self.sent: list[str] = []

    def push(self, events: list[dict[str, Any]], client: Any = None) -> list[PushResult]:
        if any(self.script[e["id"]] == "refuse" for e in events):
            raise BatchRefused("bad request")
        self.sent.extend(e["id"] for e in events)
        return [
            PushResult(e["id"], self.script[e["id"]], "nope")
            for e in events
            if self.script[e["id"]] != "missing"
        ]

    def pull(self, cursor: str, limit: int) -> PullPage:
        return PullPage([], cursor, False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ANSWERS, min_size=1, max_size=30), st.integers(min_value=1, max_value=7))
def test_pushing_a_real_outbox_keeps_every_event(answers: list[str], batch_size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        till = build_till(TillConfig(data_dir=Path(tmp)))
        try:
            ids = queue_drawer_events(till, len(answers))
            script = dict(zip(ids, answers, strict=True))
            cloud = ScriptedCloud(script)
            outcome = Pusher(till.context.uow, till.context.clock, batch_size).push(cloud)
            states = outbox_states(till)
        finally:
            till.close()
    assert set(states) == set(ids)  # nothing deleted
    assert cloud.sent == sorted(cloud.sent, key=ids.index)  # seq order
    for event_id, answer in script.items():
        status, error = states[event_id]
        if answer in ("applied", "duplicate"):
            assert status == "sent"
        elif answer == "rejected":
            assert (status, error) == ("rejected", "nope")
        elif answer == "refuse":
            assert status == "rejected" and "bad request" in (error or "")
        else:  # missing or an unknown status: maybe answered later, so never dropped
            assert status == "pending"
    assert outcome.rejected == sum(
        1 for i, a in script.items() if a in ("rejected", "refuse") and states[i][0] == "rejected"
    )
