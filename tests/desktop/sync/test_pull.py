"""Pulling the catalog: pages with their cursor in one transaction, progress, and pulled
products and cashiers that work on the till at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from asiria_desktop.config import SyncSettings
from asiria_desktop.local_db import sync_repos
from asiria_desktop.services.signin.pins import hash_pin

from .catalog_data import ean13, product, product_id, seed_catalog
from .fake_cloud import FakeCloud
from .support import rows, sell

PAGE = {"sync": SyncSettings(page_size=100)}


@pytest.fixture
def small_pages(sync_till: Any, cloud: FakeCloud) -> Any:
    till = sync_till(config=PAGE)
    till.services.sync.enroll(cloud.url, cloud.new_code(), "Till 1")
    return till


def cursor(till: Any) -> str:
    found = rows(till, "SELECT value FROM sync_state WHERE key = 'pull.cursor'")
    return found[0][0] if found else "0"


def test_a_first_pull_is_paged_with_progress_and_the_cursor_saved(
    small_pages: Any, cloud: FakeCloud
) -> None:
    seed_catalog(cloud, 1234, pin_hash=hash_pin("4321"))
    seen: list[tuple[int, int | None]] = []
    report = small_pages.services.sync.sync_now(lambda p: seen.append((p.applied, p.total)))
    assert report.ok and report.pulled == len(cloud.state.changes) == 1239
    assert len(seen) == 13  # pages of 100
    assert [a for a, _ in seen] == sorted(a for a, _ in seen)
    assert all(total == 1239 for _, total in seen) and seen[-1][0] == 1239
    assert cursor(small_pages) == "1239"
    count = rows(small_pages, "SELECT count(*) FROM products WHERE id LIKE '0193c000%'")
    assert count == [(1234,)]
    assert rows(small_pages, "SELECT on_hand_milli, low_stock_threshold_milli FROM stock_levels")
    assert rows(small_pages, "SELECT code, rate_bp FROM tax_classes") == [("standard", 1600)]


def test_a_pulled_product_is_scannable_and_searchable_at_once(
    enrolled: Any, cloud: FakeCloud
) -> None:
    seed_catalog(cloud, 3)
    cloud.add_change("product", product(90, name="Mandazi Premium Pack", barcode="96385074"))
    cloud.add_change("product", product(91, name="Imported Crisps", barcode="036000291452"))
    assert enrolled.services.sync.sync_now().ok

    catalog = enrolled.services.catalog
    lookup = catalog.lookup(ean13(2))
    assert lookup.found and lookup.product.name == "Cloud item 000002"
    assert catalog.lookup("96385074").product.name == "Mandazi Premium Pack"  # EAN-8
    assert catalog.lookup("036000291452").product.name == "Imported Crisps"  # UPC-A
    assert [p.name for p in catalog.search("mand prem")] == ["Mandazi Premium Pack"]
    result = sell(enrolled, ean13(2))
    assert result.total_cents == 1002


def test_a_pulled_cashier_logs_in_with_the_pin_offline(enrolled: Any, cloud: FakeCloud) -> None:
    seed_catalog(cloud, 1, pin_hash=hash_pin("4321"))
    assert enrolled.services.sync.sync_now().ok
    cloud.stop()  # offline from here on
    session = enrolled.services.auth.login("4321")
    assert (session.name, session.role) == ("Njeri", "cashier")


def test_later_pulls_are_incremental_and_cheap_when_nothing_changed(
    enrolled: Any, cloud: FakeCloud
) -> None:
    seed_catalog(cloud, 20)
    assert enrolled.services.sync.sync_now().ok
    cloud.state.requests.clear()
    report = enrolled.services.sync.sync_now()
    assert report.ok and report.pulled == 0
    assert [r for r in cloud.state.requests if r[1].endswith("/pull/")] == [
        ("GET", "/api/v1/sync/pull/")
    ]

    cloud.add_change("product", product(5, price_cents=9999, name="Cloud item renamed"))
    cloud.add_change("product", {"id": product_id(6)}, op="delete")
    report = enrolled.services.sync.sync_now()
    assert report.ok and report.pulled == 2
    catalog = enrolled.services.catalog
    assert catalog.lookup(ean13(5)).product.price_cents == 9999
    assert catalog.search("renamed")[0].name == "Cloud item renamed"
    assert not catalog.lookup(ean13(6)).found  # deleted: hidden, kept for past sales


def test_a_failure_in_the_middle_of_a_page_keeps_data_and_cursor_together(
    small_pages: Any, cloud: FakeCloud, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_catalog(cloud, 150, pin_hash=hash_pin("4321"))  # page 2 has products then the user
    original = sync_repos._APPLY["user"]

    def broken(session: Any, changes: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setitem(sync_repos._APPLY, "user", broken)
    report = small_pages.services.sync.sync_now()
    assert not report.ok and report.outcome == "error" and "disk full" in report.message
    assert cursor(small_pages) == "100"  # page 1 only
    assert rows(small_pages, "SELECT count(*) FROM products WHERE id LIKE '0193c000%'") == [(98,)]
    assert not small_pages.services.catalog.lookup(ean13(120)).found

    monkeypatch.setitem(sync_repos._APPLY, "user", original)
    assert small_pages.services.sync.sync_now().ok
    assert cursor(small_pages) == str(len(cloud.state.changes))
    assert small_pages.services.catalog.lookup(ean13(120)).found


def test_a_dropped_connection_between_pages_resumes_at_the_cursor(
    small_pages: Any, cloud: FakeCloud
) -> None:
    seed_catalog(cloud, 250)
    cloud.fail("status", status=502, path="/api/v1/sync/pull/", times=1)
    assert not small_pages.services.sync.sync_now().ok
    assert cursor(small_pages) == "0"
    cloud.state.failures.clear()
    # Page 1 arrives, then the link drops on page 2.
    cloud.state.requests.clear()
    original_pull = cloud.pull
    calls = {"n": 0}

    def flaky(query: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            cloud.fail("drop_before", path="/api/v1/sync/pull/")
        return original_pull(query)

    cloud.pull = flaky  # type: ignore[method-assign]
    assert not small_pages.services.sync.sync_now().ok
    assert cursor(small_pages) in {"100", "200"}
    cloud.pull = original_pull  # type: ignore[method-assign]
    assert small_pages.services.sync.sync_now().ok
    assert cursor(small_pages) == str(len(cloud.state.changes))
    count = rows(small_pages, "SELECT count(*) FROM products WHERE id LIKE '0193c000%'")
    assert count == [(250,)]


KILL_WORKER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import keyring
    from keyring.backends import fail
    keyring.set_keyring(fail.Keyring())
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import SyncSettings, TillConfig
    from asiria_desktop.local_db import sync_repos

    def die(session, changes):
        session.flush()
        os.kill(os.getpid(), signal.SIGKILL)  # a power cut in the middle of a page

    sync_repos._APPLY["user"] = die
    till = build_till(TillConfig(data_dir=Path(sys.argv[1]), sync=SyncSettings(page_size=100)))
    till.services.sync.sync_now()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_till_killed_in_the_middle_of_a_page_keeps_data_and_cursor_together(
    sync_till: Any, cloud: FakeCloud, tmp_path: Path
) -> None:
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())  # the secret goes to the file the worker can read
    till = sync_till(config=PAGE)
    till.services.sync.enroll(cloud.url, cloud.new_code(), "Till 1")
    seed_catalog(cloud, 150, pin_hash=hash_pin("4321"))
    till.close()
    done = subprocess.run(
        [sys.executable, "-c", KILL_WORKER, str(till.config.data_dir)],
        capture_output=True,
        timeout=120,
        env={**os.environ, "ASIRIA_CONFIG": str(tmp_path / "none.toml")},
    )
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]
    again = sync_till(seed=False, config=PAGE)
    assert cursor(again) == "100"
    assert rows(again, "SELECT count(*) FROM products WHERE id LIKE '0193c000%'") == [(98,)]
    assert again.services.sync.sync_now().ok
    assert rows(again, "SELECT count(*) FROM products WHERE id LIKE '0193c000%'") == [(150,)]
    assert again.services.auth.login("4321").name == "Njeri"
