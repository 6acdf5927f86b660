"""Crash safety of the till, in the spirit of SQLite's own crash tests.

A child process (``sale_worker.py``) opens the till on a real data dir, logs in and completes
sales in a loop; after each ``complete()`` returns it reports the sale on stdout (the till's
promise to the cashier: "done, it is saved"). The parent SIGKILLs it at random moments - while
it imports, opens and migrates the database, logs in, rings up, or commits - and after every
kill checks the database file exactly as the crash left it:

* ``PRAGMA integrity_check`` is ok and no foreign key is dangling;
* every sale the child reported is there, with its lines, payments and its one
  ``sale.completed`` outbox event (durability), and stays there after later restarts;
* no partial sale exists: each sale has >= 1 line, lines adding up to its total, payments
  covering it (payments - change = total), one outbox event with the same figures, one stock
  movement per line; each outbox sale event points at an existing sale;
* receipt numbers and outbox sequence numbers are gap-free (1..n, and the counters say n);
* a daily backup file, when there is one, is a whole and good database (some early rounds
  remove today's backup first, so the kill can land in the middle of making it).

Only the timing is random (the seed is printed; ``ASIRIA_CRASH_SEED`` replays the choices,
``ASIRIA_CRASH_ROUNDS`` runs more rounds; add ``--timeout=0`` above ~250 rounds). Every
assertion holds whatever moment the kill hits, so the test cannot be flaky: a failure is a real
crash-safety bug.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration]

WORKER = Path(__file__).with_name("sale_worker.py")
REPO = Path(__file__).resolve().parents[3]
DEFAULT_ROUNDS = 30
ROUNDS = int(os.environ.get("ASIRIA_CRASH_ROUNDS", DEFAULT_ROUNDS))
# The default run stops starting new rounds after this long (a loaded CI machine still finishes
# well under a minute); an explicit ASIRIA_CRASH_ROUNDS always runs every round.
TIME_BUDGET_S = 35.0 if "ASIRIA_CRASH_ROUNDS" not in os.environ else float("inf")
STARTUP_TIMEOUT_S = 60.0


# ----- the child ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reported:
    sale_id: str
    receipt_no: str
    lines: int
    payments: int
    total_cents: int


class Worker:
    """One run of ``sale_worker.py``; stdout is read by a thread so the parent can time kills."""

    def __init__(self, data_dir: Path, seed: int, *extra: str) -> None:
        self.stderr_path = data_dir.parent / f"worker-{seed}.stderr"
        self._stderr = self.stderr_path.open("wb")
        env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), str(data_dir), str(seed), *extra],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            cwd=REPO,
        )
        self.started = time.monotonic()
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            if raw.endswith(b"\n"):  # a line cut by the kill was never a promise
                self.lines.append(raw.decode())

    @property
    def ready(self) -> bool:
        return bool(self.lines) and self.lines[0] == "READY\n"

    def sales(self) -> list[Reported]:
        found = []
        for line in list(self.lines):
            if line.startswith("SALE "):
                _, sale_id, receipt_no, lines, payments, total = line.split()
                found.append(Reported(sale_id, receipt_no, int(lines), int(payments), int(total)))
        return found

    def wait_for(self, condition: object, what: str) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not condition():  # type: ignore[operator]
            if self.proc.poll() is not None:
                self._fail(f"the worker exited by itself while waiting for {what}")
            if time.monotonic() > deadline:
                self.kill()
                self._fail(f"the worker did not reach {what} in {STARTUP_TIMEOUT_S} s")
            time.sleep(0.001)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._reader.join()
        self._stderr.close()

    def finish(self) -> None:
        """Wait for a worker that kills itself (deterministic crash points)."""
        try:
            self.proc.wait(timeout=STARTUP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()
            self._fail("the worker did not kill itself at the crash point")
        self._reader.join()
        self._stderr.close()

    def check_killed(self) -> None:
        """Anything but death by SIGKILL means the till failed on its own (e.g. could not open
        the database the previous crash left behind)."""
        if self.proc.returncode != -signal.SIGKILL:
            self._fail(f"the worker ended with code {self.proc.returncode}, not by SIGKILL")

    def _fail(self, why: str) -> None:
        if not self._stderr.closed:
            self._stderr.flush()
        tail = self.stderr_path.read_text(errors="replace")[-3000:]
        pytest.fail(f"{why}; its stderr:\n{tail}")


# ----- the checks --------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the till promised so far, and what the database held at the last check."""

    reported: dict[str, Reported] = field(default_factory=dict)
    seen: dict[str, str] = field(default_factory=dict)  # sale id -> receipt no
    rounds: Counter[str] = field(default_factory=Counter)
    committed_unreported: int = 0
    killed_in_backup: int = 0


def crash_snapshot(data_dir: Path, into: Path) -> Path:
    """Copy the database and its WAL as the crash left them (not the -shm: SQLite must recover
    the WAL from its own checksums). Checking a copy leaves the real file for the next start of
    the till, which has to open exactly what the crash left."""
    if into.exists():
        shutil.rmtree(into)
    into.mkdir()
    for suffix in ("", "-wal"):
        source = data_dir / f"till.sqlite3{suffix}"
        if source.exists():
            shutil.copyfile(source, into / source.name)
    return into / "till.sqlite3"


def check_database(path: Path, ledger: Ledger, context: str) -> dict[str, str]:
    """All invariants of a till database after a crash; returns sale id -> receipt no."""
    from asiria_desktop.domain.sale import CompletedSale, parse_receipt_no

    problems: list[str] = []
    conn = sqlite3.connect(path)
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            pytest.fail(f"{context}: integrity_check says {integrity[:10]}")
        dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            problems.append(f"dangling foreign keys: {dangling[:5]}")
        sales = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT id, receipt_no, total_cents, change_cents, data FROM sales"
            )
        }
        lines: dict[str, list[int]] = defaultdict(list)
        for sale_id, total in conn.execute("SELECT sale_id, total_cents FROM sale_lines"):
            lines[sale_id].append(total)
        payments: dict[str, list[int]] = defaultdict(list)
        for sale_id, amount in conn.execute("SELECT sale_id, amount_cents FROM sale_payments"):
            payments[sale_id].append(amount)
        stock = Counter(
            ref for (ref,) in conn.execute("SELECT ref_id FROM stock_movements WHERE reason='sale'")
        )
        outbox = conn.execute("SELECT seq, type, payload FROM outbox ORDER BY seq").fetchall()
        sequences = dict(conn.execute("SELECT name, value FROM sequences"))
    finally:
        conn.close()

    events: dict[str, list[dict[str, object]]] = defaultdict(list)
    for _seq, type_, payload in outbox:
        if type_ == "sale.completed":
            body = json.loads(payload)
            events[str(body["id"])].append(body)
    for event_sale in events.keys() - sales.keys():
        problems.append(f"outbox sale.completed {event_sale} has no sale")

    for sale_id, (receipt_no, total, change, data) in sales.items():
        where = f"sale {receipt_no} ({sale_id})"
        if not lines[sale_id]:
            problems.append(f"{where} has no lines")
        if sum(lines[sale_id]) != total:
            problems.append(f"{where}: lines add up to {sum(lines[sale_id])}, total is {total}")
        if not payments[sale_id] or sum(payments[sale_id]) - change != total:
            problems.append(f"{where}: payments {payments[sale_id]} - change {change} != {total}")
        if stock[sale_id] != len(lines[sale_id]):
            problems.append(f"{where}: {stock[sale_id]} stock movements for {len(lines[sale_id])}")
        record = CompletedSale.from_record(json.loads(data))
        if (record.id, record.receipt_no, len(record.lines), len(record.payments)) != (
            sale_id,
            receipt_no,
            len(lines[sale_id]),
            len(payments[sale_id]),
        ):
            problems.append(f"{where}: its stored record does not match its rows")
        if len(events[sale_id]) != 1:
            problems.append(f"{where} has {len(events[sale_id])} sale.completed events")
        else:
            body = events[sale_id][0]
            if (body["receipt_no"], body["total_cents"], len(body["lines"])) != (  # type: ignore[arg-type]
                receipt_no,
                total,
                len(lines[sale_id]),
            ):
                problems.append(f"{where}: its outbox event does not match the sale")

    for sale_id, promised in ledger.reported.items():
        if sale_id not in sales:
            problems.append(f"reported sale {promised.receipt_no} ({sale_id}) is LOST")
            continue
        receipt_no, total = sales[sale_id][0], sales[sale_id][1]
        if (receipt_no, total, len(lines[sale_id]), len(payments[sale_id])) != (
            promised.receipt_no,
            promised.total_cents,
            promised.lines,
            promised.payments,
        ):
            problems.append(f"reported sale {promised.receipt_no} differs from what was stored")
    for sale_id, receipt_no in ledger.seen.items():
        if sales.get(sale_id, (None,))[0] != receipt_no:
            problems.append(f"sale {receipt_no} ({sale_id}), on disk before, is gone or changed")

    receipt_seqs = sorted(parse_receipt_no(row[0])[2] for row in sales.values())
    if receipt_seqs != list(range(1, len(sales) + 1)):
        problems.append(f"receipt numbers are not 1..{len(sales)}: {receipt_seqs[-10:]}")
    if sequences.get("receipt", 0) != len(sales):
        problems.append(f"receipt counter {sequences.get('receipt')} but {len(sales)} sales")
    outbox_seqs = [row[0] for row in outbox]
    if outbox_seqs != list(range(1, len(outbox) + 1)):
        problems.append(f"outbox seq is not 1..{len(outbox)}: {outbox_seqs[-10:]}")
    if sequences.get("outbox", 0) != len(outbox):
        problems.append(f"outbox counter {sequences.get('outbox')} but {len(outbox)} events")

    if problems:
        pytest.fail(f"{context}:\n  " + "\n  ".join(problems[:30]))
    return {sale_id: row[0] for sale_id, row in sales.items()}


def check_backups(data_dir: Path, context: str) -> None:
    """A backup file (``till-<date>.sqlite3``) is always a whole, good database: the till
    writes a ``.partial`` file and renames it only when the copy is complete."""
    check = data_dir.parent / "check-backup"
    for backup in sorted((data_dir / "backups").glob("till-*.sqlite3")):
        if check.exists():
            shutil.rmtree(check)
        check.mkdir()
        copy = check / backup.name
        shutil.copyfile(backup, copy)
        conn = sqlite3.connect(copy)
        try:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            tables = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE name='sales'"
            ).fetchone()
        finally:
            conn.close()
        if result != ["ok"] or tables != (1,):
            pytest.fail(f"{context}: backup {backup.name} is not a good database: {result[:5]}")


def record_round(ledger: Ledger, worker: Worker, data_dir: Path, context: str) -> dict[str, str]:
    for sale in worker.sales():
        ledger.reported[sale.sale_id] = sale
    ledger.killed_in_backup += any((data_dir / "backups").glob("*.partial"))
    check_backups(data_dir, context)
    on_disk = check_database(crash_snapshot(data_dir, data_dir.parent / "check"), ledger, context)
    ledger.committed_unreported += len(on_disk.keys() - ledger.reported.keys() - ledger.seen.keys())
    ledger.seen = on_disk
    return on_disk


# ----- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    """A till data dir seeded with the demo store, closed again (the children open it)."""
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import load_config
    from asiria_desktop.demo import seed_demo

    path = tmp_path / "till"
    config = load_config(data_dir=path, config_file=tmp_path / "none.toml", environ={})
    till = build_till(config)
    try:
        seed_demo(till)
    finally:
        till.close()
    yield path


def reopen_and_sell(data_dir: Path, expected_receipt: str) -> None:
    """The till starts on what the crashes left, and the next sale takes the next number."""
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import load_config
    from asiria_desktop.demo import demo_ean13

    config = load_config(data_dir=data_dir, config_file=data_dir / "none.toml", environ={})
    till = build_till(replace(config, scan_debounce_ms=0))
    try:
        sale = till.services.sale
        till.services.auth.login("1111")
        if sale.leftover_sale() is not None:
            sale.restore_leftover()  # the sale the last kill cut off is finished with this one
        assert sale.scan(demo_ean13(7)).added
        due = sale.view().balance_due_cents
        if due:
            sale.add_payment("cash", due)
        assert sale.complete().receipt_no == expected_receipt
    finally:
        till.close()


# ----- the tests ---------------------------------------------------------------------------------


def test_sales_survive_sigkill_at_random_moments(data_dir: Path) -> None:
    seed = int(os.environ.get("ASIRIA_CRASH_SEED", random.randrange(1 << 30)))
    print(f"crash test seed {seed} (ASIRIA_CRASH_SEED={seed} replays the same choices)")
    rng = random.Random(seed)
    ledger = Ledger()
    started = time.monotonic()
    startup_s = 1.0  # refined from the first runs: how long the child takes to be READY
    kinds = ("early", "paced", "burst", "paced", "burst")
    done = 0
    for round_no in range(ROUNDS):
        if round_no >= 5 and time.monotonic() - started > TIME_BUDGET_S:
            break
        kind = kinds[round_no % len(kinds)]
        worker_seed = rng.randrange(1 << 30)
        if kind == "paced":  # a (fast) cashier: a pause between sales
            worker = Worker(data_dir, worker_seed, "--pause-ms", "40")
            worker.wait_for(lambda w=worker: w.ready, "READY")
            startup_s = 0.5 * startup_s + 0.5 * (time.monotonic() - worker.started)
            time.sleep(rng.uniform(0, 0.4))
        elif kind == "burst":  # sales back to back: most of the time is spent committing
            worker = Worker(data_dir, worker_seed)
            wanted = rng.randint(1, 25)
            worker.wait_for(lambda w=worker, n=wanted: len(w.sales()) >= n, f"{wanted} sales")
            time.sleep(rng.uniform(0, 0.008))
        else:  # anywhere from the first import to the first sales: opening, migrating, login
            if ledger.rounds[kind] % 2 == 0:  # as on the first start of a day: backup first
                shutil.rmtree(data_dir / "backups", ignore_errors=True)
            worker = Worker(data_dir, worker_seed, "--pause-ms", "5")
            time.sleep(rng.uniform(0, startup_s * 1.2))
        worker.kill()
        worker.check_killed()
        ledger.rounds[kind] += 1
        context = f"round {round_no} ({kind}, seed {seed}, worker seed {worker_seed})"
        record_round(ledger, worker, data_dir, context)
        done += 1

    reopen_and_sell(data_dir, f"S01-T01-{len(ledger.seen) + 1:06d}")
    check_database(
        crash_snapshot(data_dir, data_dir.parent / "check"), ledger, "after the final restart"
    )
    elapsed = time.monotonic() - started
    print(
        f"{done} kills in {elapsed:.1f} s {dict(ledger.rounds)}: {len(ledger.reported)} sales "
        f"reported, {len(ledger.seen)} on disk, {ledger.committed_unreported} committed but "
        f"killed before being reported, {ledger.killed_in_backup} rounds left a half-made backup "
        "(.partial)"
    )
    assert done >= min(ROUNDS, 5)
    assert ledger.reported, "no sale was completed in any round: the test tested nothing"


def test_kill_inside_the_commit_loses_only_the_unreported_sale(data_dir: Path) -> None:
    """Deterministic crash points: the child kills itself as SQLite starts the COMMIT of sale 3
    (its rows written, not committed), then, in a second run, right after the commit of the
    next sale returned but before it was reported."""
    ledger = Ledger()

    worker = Worker(data_dir, 11, "--kill-at-commit", "3")
    worker.finish()
    worker.check_killed()
    on_disk = record_round(ledger, worker, data_dir, "killed at the COMMIT of sale 3")
    assert [s.receipt_no for s in worker.sales()] == ["S01-T01-000001", "S01-T01-000002"]
    assert sorted(on_disk.values()) == ["S01-T01-000001", "S01-T01-000002"]  # sale 3: no trace

    worker = Worker(data_dir, 12, "--kill-after-commit", "2")
    worker.finish()
    worker.check_killed()
    on_disk = record_round(ledger, worker, data_dir, "killed just after the commit of sale 2")
    # The number of the sale that died in its commit is given to the next sale: no gap.
    assert [s.receipt_no for s in worker.sales()] == ["S01-T01-000003"]
    assert sorted(on_disk.values()) == [f"S01-T01-{n:06d}" for n in range(1, 5)]
    assert ledger.committed_unreported == 1  # saved and complete, though never reported

    reopen_and_sell(data_dir, "S01-T01-000005")
    check_database(crash_snapshot(data_dir, data_dir.parent / "check"), ledger, "after restart")


def test_kill_while_making_the_daily_backup(data_dir: Path) -> None:
    """The first start of a day copies the database; dying half-way leaves only a ``.partial``
    file, never a backup that looks good but is not, and the next start makes a good one."""
    ledger = Ledger()
    backups = data_dir / "backups"
    shutil.rmtree(backups)
    worker = Worker(data_dir, 21, "--kill-in-backup")
    worker.finish()
    worker.check_killed()
    assert not worker.lines  # it died while opening the till
    assert list(backups.glob("*.partial")), "the backup was not interrupted"
    assert not list(backups.glob("till-*.sqlite3"))
    record_round(ledger, worker, data_dir, "killed in the daily backup")

    reopen_and_sell(data_dir, "S01-T01-000001")
    assert len(list(backups.glob("till-*.sqlite3"))) == 1
    assert not list(backups.glob("*.partial"))
    check_backups(data_dir, "after the next start")
    check_database(crash_snapshot(data_dir, data_dir.parent / "check"), ledger, "after restart")
