"""Sync fault tests: real tills (child processes, the real sync engine) against a real
gunicorn on MariaDB, through a fault-injecting proxy. Each scenario ends with the cloud holding
exactly the sales the tills completed (no loss, no duplicate), totals equal to the cent, and
stock = initial - sold (``assert_cloud_has_exactly``)."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable

import pytest

from . import cloud
from .conftest import (
    SCALE,
    STORE_TZ,
    E2ECloud,
    Product,
    assert_cloud_has_exactly,
    barcodes,
    parse,
    wait_for,
)
from .proxy import NO_ANSWER, PUSH, Action, FaultProxy, Request, on_push, passthrough, refuse_all
from .tills import TillProc

pytestmark = pytest.mark.e2e


def sync_lines(lines: list[str]) -> list[tuple[bool, str, int, int, int]]:
    """``SYNC ok outcome pushed duplicates pending`` lines of ``push-loop``."""
    parsed = []
    for line in lines:
        if line.startswith("SYNC "):
            _, ok, outcome, pushed, duplicates, pending = line.split()
            parsed.append((ok == "True", outcome, int(pushed), int(duplicates), int(pending)))
    return parsed


def assert_tills_pull_cloud_stock(
    e2e: E2ECloud, tills: list[TillProc], products: list[Product]
) -> None:
    """After one more sync, each till's stock figures (pulled) equal the cloud's."""
    levels = {
        level["product_id"]: level["on_hand_milli"]
        for level in e2e.owner.all("stock-levels/", store_id=e2e.store_id)
    }
    for till in tills:
        till.run("push-loop")
        on_till = dict(till.rows("SELECT product_id, on_hand_milli FROM stock_levels"))
        stale = {
            p.barcode: (on_till.get(p.id), levels[p.id])
            for p in products
            if on_till.get(p.id) != levels[p.id]
        }
        assert not stale, f"{till.name}: stock (till, cloud) differs after a pull: {stale}"


def sell_offline(till: TillProc, proxy: FaultProxy, count: int, seed: int, codes: str) -> None:
    """Sales while the cloud can't be reached (each sale's push attempt is refused)."""
    proxy.set(refuse_all)
    lines = till.run("sell", "--count", str(count), "--seed", str(seed), "--barcodes", codes)
    assert sum(line.startswith("SALE ") for line in lines) == count
    proxy.set(passthrough)


# ----- 1. the till SIGKILLed at random points during push, many times -------------------------


def test_till_killed_during_push_many_times(
    e2e: E2ECloud, proxy: FaultProxy, new_till: Callable[..., TillProc]
) -> None:
    products = e2e.products(4, "kill")
    till = new_till("Kill till")
    sell_offline(till, proxy, 60 * SCALE, 11, barcodes(products))

    rng = random.Random(20261124)
    pushed = threading.Event()

    def forwarded(request: Request) -> None:
        if request.path == PUSH:
            pushed.set()

    proxy.on_forwarded = forwarded
    proxy.answer_delay_s = 0.1  # each answer takes 100 ms to come back: kills land on both sides
    kills = 0
    for _ in range(12 * SCALE):
        if not till.unsent():
            break
        pushed.clear()
        child = till.spawn("push-loop", "--batch-size", "3", "--pause-ms", "20")
        # A random moment after a push reached the server: before it answered, while the answer
        # travels back (the server committed, the till does not know), or while the till records
        # it, or during its next batch.
        if not pushed.wait(30):
            child.kill()
            child.wait()
            raise AssertionError("the till never pushed")
        time.sleep(rng.uniform(0, 0.3))
        if child.poll() is None:
            child.kill()
            kills += 1
        child.wait(timeout=30)
    proxy.on_forwarded = None
    proxy.answer_delay_s = 0.0
    assert kills >= 8, f"only {kills} kills landed: the scenario did not test much"
    lines = till.run("push-loop", "--pause-ms", "50")  # the survivor finishes the job
    assert sync_lines(lines)[-1][0], lines
    assert proxy.count(Action.PASS) > kills

    assert_cloud_has_exactly(e2e, [till], products)
    assert_tills_pull_cloud_stock(e2e, [till], products)


def test_till_killed_while_selling_and_pushing_live(
    e2e: E2ECloud, proxy: FaultProxy, new_till: Callable[..., TillProc]
) -> None:
    """Scenario 1 with the till as in the shop: online, its scheduler pushing after every sale
    on a background thread while the cashier goes on selling, SIGKILLed at random moments."""
    products = e2e.products(3, "livekill")
    till = new_till("Live kill till")
    rng = random.Random(4242)
    for round_no in range(8 * SCALE):
        child = till.spawn(
            "sell",
            "--count",
            "10000",
            "--seed",
            str(round_no),
            "--barcodes",
            barcodes(products),
            "--scheduler",
            "--pause-ms",
            str(rng.choice((0, 20, 60))),
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.2, 1.5))
        child.kill()
        child.wait(timeout=30)
    assert len(till.sales()) >= 10, "too few sales were completed to prove anything"
    pushed_live = len(till.sales()) - len(till.unsent())
    lines = till.run("push-loop", "--pause-ms", "50")
    assert sync_lines(lines)[-1][0], lines
    assert pushed_live > 0, "nothing was pushed while selling: the scheduler did not run"

    assert_cloud_has_exactly(e2e, [till], products)
    assert_tills_pull_cloud_stock(e2e, [till], products)


# ----- 2. the server commits, the connection drops before the answer gets back ----------------


def test_answer_lost_after_the_server_committed(
    e2e: E2ECloud, proxy: FaultProxy, new_till: Callable[..., TillProc]
) -> None:
    products = e2e.products(3, "drop")
    till = new_till("Drop till")
    count = 30 * SCALE
    sell_offline(till, proxy, count, 22, barcodes(products))

    proxy.set(on_push(Action.DROP_AFTER, first=3))
    lines = till.run("push-loop", "--batch-size", "10", "--pause-ms", "50")
    syncs = sync_lines(lines)

    assert proxy.count(Action.DROP_AFTER) == 3
    assert [ok for ok, *_ in syncs[:3]] == [False, False, False], syncs
    assert syncs[-1][0] and syncs[-1][4] == 0, syncs
    # The dropped batch was applied by the server the first time: it comes back "duplicate".
    duplicates = sum(s[3] for s in syncs)
    assert duplicates == 10, f"expected the first batch (10) answered duplicate, got {syncs}"
    assert sum(s[2] for s in syncs) + duplicates == count
    assert_cloud_has_exactly(e2e, [till], products)


def test_the_same_batch_applied_twice_at_once(
    e2e: E2ECloud, proxy: FaultProxy, new_till: Callable[..., TillProc]
) -> None:
    """Scenario 2's other face: the till's retry reaches the server while its first attempt is
    still being applied (two gunicorn workers, the same events, at the same moment)."""
    products = e2e.products(3, "twice")
    till = new_till("Twice till")
    sell_offline(till, proxy, 30 * SCALE, 23, barcodes(products))

    proxy.set(on_push(Action.DOUBLE))
    lines = till.run("push-loop", "--batch-size", "10", "--pause-ms", "50")
    syncs = sync_lines(lines)

    assert syncs[-1][0] and syncs[-1][4] == 0, syncs
    assert len(proxy.doubles) >= 3
    assert all(pair == ("HTTP/1.1 200 OK",) * 2 for pair in proxy.doubles), proxy.doubles
    assert_cloud_has_exactly(e2e, [till], products)


# ----- 3. 500/503 on a share of requests, and one invalid event -------------------------------


def flaky(seed: int) -> Callable[[Request], Action]:
    """Pushes cycle 503 (never reached the server) / 500 after the server committed / pass /
    pass; other requests (token, pull) get a 503 one time in five."""
    rng = random.Random(seed)
    pushes = {"n": 0}
    lock = threading.Lock()
    cycle = (Action.FAIL_503, Action.FAIL_500_AFTER, Action.PASS, Action.PASS)

    def policy(request: Request) -> Action:
        with lock:
            if request.path == PUSH:
                pushes["n"] += 1
                return cycle[(pushes["n"] - 1) % len(cycle)]
            return Action.FAIL_503 if rng.random() < 0.2 else Action.PASS

    return policy


def test_server_errors_and_one_invalid_event(
    e2e: E2ECloud, proxy: FaultProxy, new_till: Callable[..., TillProc]
) -> None:
    products = e2e.products(3, "flaky")
    till = new_till("Flaky till")
    sell_offline(till, proxy, 15 * SCALE, 33, barcodes(products))
    (invalid,) = [line.split()[1] for line in till.run("queue-invalid") if line.startswith("INV")]
    sell_offline(till, proxy, 15 * SCALE, 34, barcodes(products))

    proxy.set(flaky(seed=3))
    lines = till.run("push-loop", "--batch-size", "7", "--pause-ms", "20", "--max-rounds", "400")
    syncs = sync_lines(lines)

    assert proxy.count(Action.FAIL_503) >= 2 and proxy.count(Action.FAIL_500_AFTER) >= 2
    assert any(not ok for ok, *_ in syncs), "no sync failed: the faults did not bite"
    assert syncs[-1][0] and syncs[-1][4] == 0, syncs
    kind, status, error = till.outbox()[invalid]
    assert (kind, status) == ("sale.completed", "rejected"), (status, error)
    assert error and "add up" in error, error
    assert_cloud_has_exactly(e2e, [till], products, rejected=frozenset({invalid}))
    (invalid_sale,) = [
        raw for (raw,) in till.rows("SELECT payload FROM outbox WHERE id = ?", invalid)
    ]
    sale_id = json.loads(invalid_sale)["id"]
    response = e2e.owner.http.get(f"{e2e.server.url}/api/v1/sales/{sale_id}/", timeout=30)
    assert response.status_code == 404, "the invalid sale reached the cloud"
    # `asiria sync --once` says so to a script: synced, one event waits for a manager.
    proxy.set(passthrough)
    result = till.cli("sync", "--once")
    assert result.returncode == 7, (result.returncode, result.stdout, result.stderr)
    assert "1 events are rejected" in result.stderr, result.stderr


# ----- 4. the server restarted in the middle of a batch ---------------------------------------


@pytest.mark.parametrize("how", ["killed", "graceful"])
def test_server_restarted_in_the_middle_of_a_batch(
    how: str, e2e: E2ECloud, proxy: FaultProxy, new_till: Callable[..., TillProc]
) -> None:
    products = e2e.products(4, f"restart-{how}")
    till = new_till(f"Restart till {how}")
    count = 60 * SCALE
    sell_offline(till, proxy, count, 44, barcodes(products))

    restarted = threading.Event()
    first = threading.Lock()

    def restart() -> None:
        time.sleep(0.02)  # the request is being applied
        e2e.server.restart(hard=how == "killed")
        restarted.set()

    def forwarded(request: Request) -> None:
        if request.path == PUSH and first.acquire(blocking=False):
            threading.Thread(target=restart, daemon=True).start()

    proxy.on_forwarded = forwarded
    lines = till.run("push-loop", "--pause-ms", "200", "--max-rounds", "300")
    proxy.on_forwarded = None
    wait_for(restarted.is_set, 60, "gunicorn did not come back")
    syncs = sync_lines(lines)

    assert syncs[-1][0] and syncs[-1][4] == 0, syncs
    if how == "killed":  # the batch in flight died with the server: no answer, nothing kept
        assert proxy.count(NO_ANSWER) >= 1
        assert not syncs[0][0], syncs
    assert_cloud_has_exactly(e2e, [till], products)
    assert_tills_pull_cloud_stock(e2e, [till], products)


# ----- 5. five tills sell the same products offline, then sync concurrently -------------------


def test_five_tills_sync_concurrently(
    e2e: E2ECloud, proxy: FaultProxy, new_till: Callable[..., TillProc]
) -> None:
    products = e2e.products(3, "five")
    tills = [new_till(f"Till {n}") for n in range(1, 6)]
    proxy.set(refuse_all)
    sellers = [
        till.spawn(
            "sell",
            "--count",
            str(25 * SCALE),
            "--seed",
            str(50 + n),
            "--barcodes",
            barcodes(products),
        )
        for n, till in enumerate(tills)
    ]
    for child in sellers:
        out, _ = child.communicate(timeout=180)
        assert child.returncode == 0 and out.count("SALE ") == 25 * SCALE, out[-2000:]
    proxy.set(passthrough)

    rng = random.Random(5)
    order = rng.sample(tills, len(tills))
    watcher = new_till("Watcher till")  # pulls all along while the others push
    observer = watcher.spawn(
        "push-loop", "--pause-ms", "0", "--min-seconds", "4", "--max-rounds", "100000"
    )
    pushers = []
    for till in order:  # any order, overlapping, with different batch sizes
        pushers.append(
            till.spawn(
                "push-loop", "--batch-size", str(rng.choice((4, 25, 500))), "--pause-ms", "100"
            )
        )
        time.sleep(rng.uniform(0, 0.3))
    for child in pushers:
        out, _ = child.communicate(timeout=180)
        assert child.returncode == 0, out[-2000:]

    for child in [observer]:
        out, _ = child.communicate(timeout=180)
        assert child.returncode == 0, out[-2000:]

    assert_cloud_has_exactly(e2e, tills, products)
    # After one more sync each, every till (and the one that pulled all along, while the others
    # pushed) holds head office's stock figures: no change was skipped by a pull cursor.
    assert_tills_pull_cloud_stock(e2e, [*tills, watcher], products)
    # Every till sold every product: the merge really added five tills' deltas together.
    sold_by = [
        {line["product_id"] for sale in till.sales().values() for line in sale["lines"]}
        for till in tills
    ]
    assert all(s == {p.id for p in products} for s in sold_by)


# ----- 6. tills whose clock is wrong ----------------------------------------------------------


CLOCKS = {
    "an hour behind": ("offset:-3600", 3600),
    "a year ahead": ("offset:31536000", -31536000),
    "1970": ("epoch:1970-01-01T09:30:00+03:00", None),
    # Wrong by months, and its sales go over midnight (store time): two business days. The
    # clock starts when the till opens; 8 sales a second apart span midnight as long as
    # opening and logging in take under 4 s (at 23:59:55 with 0.7 s, a fast run ended at
    # 23:59:59.9).
    "new year's eve": ("epoch:2025-12-31T23:59:56+03:00", None),
}


def test_tills_with_wrong_clocks(
    e2e: E2ECloud, proxy: FaultProxy, new_till: Callable[..., TillProc]
) -> None:
    products = e2e.products(3, "clock")
    tills = []
    for n, (name, (clock, _)) in enumerate(CLOCKS.items()):
        till = new_till(f"Clock {name}")
        pause = "1000" if "eve" in name else "0"
        till.run(
            "sell",
            "--count",
            str(8 * SCALE),
            "--seed",
            str(60 + n),
            "--barcodes",
            barcodes(products),
            "--clock",
            clock,
            "--pause-ms",
            pause,
        )
        lines = till.run("push-loop", "--clock", clock, "--pause-ms", "100")
        assert sync_lines(lines)[-1][0], lines
        tills.append(till)

    cloud_sales = assert_cloud_has_exactly(e2e, tills, products)

    for till, (name, (_, skew)) in zip(tills, CLOCKS.items(), strict=True):
        sales = till.sales()
        sent = list(sales.values())
        if name == "1970":
            assert all(parse(s["completed_at"]).year == 1970 for s in sent)
            assert {cloud_sales[i]["business_date"] for i in sales} == {"1970-01-01"}
        rows = cloud.query(
            "SELECT LOWER(record_id), recorded_at, skew_seconds, clock_skewed FROM sync_syncevent "
            f"WHERE record_id IN ({','.join(['%s'] * len(sales))})",
            *sales,
        )
        assert len(rows) == len(sales)
        for _, _, skew_seconds, skewed in rows:
            assert skewed, f"{name}: a sale event is not flagged as skewed"
            if skew is not None:
                assert abs(skew_seconds - skew) < 600, f"{name}: skew {skew_seconds} s"
            elif name == "1970":
                assert skew_seconds > 50 * 365 * 86400
            else:
                assert skew_seconds > 86400
    # Counted in the business day of their completed_at (store time), in head office's report.
    by_day: dict[str, list[int]] = {}
    for till in tills[2:]:
        for sale in till.sales().values():
            day = parse(sale["completed_at"]).astimezone(STORE_TZ).date().isoformat()
            by_day.setdefault(day, []).append(sale["total_cents"])
    assert {"1970-01-01", "2025-12-31", "2026-01-01"} <= set(by_day), sorted(by_day)
    for day, totals in by_day.items():
        report = e2e.owner.get("reports/sales-summary/", date_from=day, date_to=day)
        assert (report["sales_count"], report["total_cents"]) == (len(totals), sum(totals)), (
            f"{day}: report {report['sales_count']} sales / {report['total_cents']} cents, "
            f"tills {len(totals)} / {sum(totals)}"
        )
    notices = [n for n in e2e.owner.all("notifications/", kind="clock_skew")]
    noticed = {str(n.get("data", {}).get("terminal_id")) for n in notices}
    missing = {t.name for t in tills if t.terminal_id not in noticed}
    assert not missing, f"no clock_skew notification for {missing}: {notices[:3]}"


# ----- real time: a sale is visible through the cloud API within 2 seconds --------------------


def test_a_sale_is_visible_in_the_cloud_within_two_seconds(
    e2e: E2ECloud, proxy: FaultProxy, new_till: Callable[..., TillProc]
) -> None:
    products = e2e.products(2, "live")
    till = new_till("Live till")
    count = 8 * SCALE
    child = till.spawn(
        "sell",
        "--count",
        str(count),
        "--seed",
        "7",
        "--barcodes",
        barcodes(products),
        "--scheduler",
        "--pause-ms",
        "400",
    )
    latencies: dict[str, float] = {}
    threads = []

    def watch(sale_id: str, since: float) -> None:
        url = f"{e2e.server.url}/api/v1/sales/{sale_id}/"
        while time.monotonic() - since < 10:
            if e2e.owner.http.get(url, timeout=10).status_code == 200:
                latencies[sale_id] = time.monotonic() - since
                return
            time.sleep(0.02)

    assert child.stdout is not None
    for line in child.stdout:
        if line.startswith("SALE "):
            thread = threading.Thread(target=watch, args=(line.split()[1], time.monotonic()))
            thread.start()
            threads.append(thread)
    child.wait(timeout=60)
    for thread in threads:
        thread.join(timeout=15)

    assert len(threads) == count
    slow = {k: round(v, 2) for k, v in latencies.items() if v > 2.0}
    assert len(latencies) == count, f"{count - len(latencies)} sales never appeared in 10 s"
    assert not slow, f"sales visible after more than 2 s: {slow}"
    assert_cloud_has_exactly(e2e, [till], products)
