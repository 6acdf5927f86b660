"""Backoff (a pure function, fixed seeds), the scheduler's reaction to results, and the push
that follows a sale without making the cashier wait."""

from __future__ import annotations

import random
import threading
import time
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from asiria_desktop.ports.cloud import SyncReport
from asiria_desktop.sync.backoff import Backoff, backoff_delay
from asiria_desktop.sync.scheduler import SyncScheduler

from .fake_cloud import FakeCloud
from .support import outbox_states, sell

WAIT_S = 20


def test_backoff_doubles_with_jitter_up_to_the_cap() -> None:
    rng = random.Random(4)
    delays = [backoff_delay(n, base=10, cap=600, rng=rng) for n in range(1, 11)]
    for n, delay in enumerate(delays, start=1):
        ceiling = min(600, 10 * 2**n)
        assert ceiling / 2 <= delay <= ceiling
    assert delays[0] < delays[2] < delays[4] < delays[5]  # grows while under the cap
    assert all(300 <= d <= 600 for d in delays[5:])  # capped
    again = random.Random(4)
    assert delays == [backoff_delay(n, base=10, cap=600, rng=again) for n in range(1, 11)]
    other = random.Random(5)
    assert delays != [backoff_delay(n, base=10, cap=600, rng=other) for n in range(1, 11)]


@given(
    failures=st.integers(min_value=0, max_value=200),
    base=st.floats(min_value=0.5, max_value=120),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_backoff_is_never_below_half_its_ceiling_nor_above_the_cap(
    failures: int, base: float, seed: int
) -> None:
    cap = base * 50
    delay = backoff_delay(failures, base=base, cap=cap, rng=random.Random(seed))
    assert base / 2 <= delay <= cap + 1e-9


def test_backoff_resets_after_a_success_and_honours_retry_after() -> None:
    backoff = Backoff(10, 600, random.Random(1))
    grown = [backoff.failure() for _ in range(5)]
    assert grown[-1] > 100
    assert backoff.success() == 10 and backoff.failures == 0
    assert backoff.failure() <= 20
    assert backoff.failure(retry_after=300) >= 300
    assert backoff.failure(retry_after=10_000) <= 600


def _report(ok: bool) -> SyncReport:
    return SyncReport(ok, "t", "t", outcome="ok" if ok else "offline")


def test_the_scheduler_backs_off_while_failing_and_resets_on_success() -> None:
    results = iter([False, False, False, True, False])
    scheduler = SyncScheduler(
        lambda: _report(next(results)), interval_s=30, max_backoff_s=900, rng=random.Random(0)
    )
    delays = []
    for _ in range(5):
        scheduler.tick()  # not started: ticks by hand, no thread, no timing
        delays.append(scheduler.current_delay)
    assert 30 <= delays[0] <= 60 and 60 <= delays[1] <= 120 and 120 <= delays[2] <= 240
    assert delays[3] == 30  # success: back to the normal interval
    assert 30 <= delays[4] <= 60


def test_a_busy_or_unenrolled_till_keeps_the_normal_interval() -> None:
    outcomes = iter(["offline", "busy", "not_enrolled"])
    scheduler = SyncScheduler(
        lambda: SyncReport(False, "t", "t", outcome=next(outcomes)),
        interval_s=30,
        max_backoff_s=900,
        rng=random.Random(0),
    )
    scheduler.tick()
    assert scheduler.backoff.failures == 1
    scheduler.tick()
    assert scheduler.current_delay == 30
    scheduler.tick()
    assert scheduler.current_delay == 30 and scheduler.backoff.failures == 1


def test_a_crashing_run_backs_off_instead_of_killing_the_schedule() -> None:
    def boom() -> SyncReport:
        raise RuntimeError("bug")

    scheduler = SyncScheduler(boom, interval_s=30, max_backoff_s=900, rng=random.Random(0))
    scheduler.tick()
    assert scheduler.current_delay >= 30 and scheduler.backoff.failures == 1


def test_a_sale_is_pushed_right_after_it_is_committed(enrolled: Any, cloud: FakeCloud) -> None:
    scheduler = enrolled.start_sync()
    try:
        deadline = time.monotonic() + WAIT_S
        while scheduler.last_report is None:  # the first scheduled run, 2 s after start
            assert time.monotonic() < deadline
            time.sleep(0.05)
        result = sell(enrolled)
        deadline = time.monotonic() + WAIT_S
        while not cloud.state.applied:
            assert time.monotonic() < deadline, "the sale was never pushed"
            time.sleep(0.05)
        (event,) = cloud.state.applied.values()
        assert event["payload"]["receipt_no"] == result.receipt_no
        while set(outbox_states(enrolled).values()) != {("sent", None)}:
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        scheduler.stop()


def test_the_cashier_never_waits_for_a_slow_cloud(enrolled: Any, cloud: FakeCloud) -> None:
    """The sale completes while a push is stuck in the network (held open by the fake)."""
    assert enrolled.services.sync.sync_now().ok
    scheduler = enrolled.start_sync()
    cloud.push_gate = threading.Event()
    try:
        sell(enrolled)  # triggers a push, which hangs at the cloud
        assert cloud.push_entered.wait(WAIT_S)
        second = sell(enrolled)  # the till sells on meanwhile
        assert second.receipt_no.endswith("000002")
    finally:
        cloud.push_gate.set()
        scheduler.stop()
