"""`make demo`'s orchestration, headless: ``scripts/demo.py --no-ui`` starts the local cloud
(SQLite) with the FAKE Daraja and WhatsApp servers and a real Celery worker on Redis, seeds the
demo store, enrols and syncs the demo till; a sale made with the till's own services then
reaches the cloud, where the demo owner sees it; the low-stock notice it causes goes through
the worker to the fake Graph (listed on /demo/whatsapp/) and back to the till's notices."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
READY_TIMEOUT = 240.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> tuple[int, str, str]:
    """(status, content type, body) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=15) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def _call(url: str, body: dict[str, Any] | None = None, token: str | None = None) -> Any:
    request = urllib.request.Request(url, method="POST" if body is not None else "GET")
    request.add_header("Accept", "application/json")
    if body is not None:
        request.add_header("Content-Type", "application/json")
        request.data = json.dumps(body).encode()
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=15) as answer:
        return json.loads(answer.read())


class Demo:
    """``scripts/demo.py --no-ui`` as a child process, its output read in a thread."""

    def __init__(self, demo_dir: Path, port: int) -> None:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
        # The worker's broker: the tests' Redis database, never the demo's default one.
        env["ASIRIA_DEMO_REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
        self.process = subprocess.Popen(
            [
                *(sys.executable, str(REPO / "scripts" / "demo.py"), "--no-ui"),
                *("--demo-dir", str(demo_dir), "--port", str(port)),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=REPO,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.rstrip("\n"))

    def wait_for(self, prefix: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None and self._queue.empty():
                    break
                continue
            self.lines.append(line)
            if line.startswith(prefix):
                return line
        raise AssertionError(f"no {prefix!r} line; output:\n" + "\n".join(self.lines))

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=60)


def test_make_demo_orchestration_a_till_sale_reaches_the_cloud(tmp_path: Path) -> None:
    from asiria_demo_data import (
        ACCOUNTS,
        COCA_COLA,
        DEMO_PASSWORD,
        FANTA,
        OWNER_EMAIL,
        PRODUCTS,
        SAMPLE_SCALE_LABEL,
        WEIGHED,
    )
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig

    port = _free_port()
    cloud = f"http://127.0.0.1:{port}"
    demo = Demo(tmp_path / ".demo", port)
    try:
        ready = demo.wait_for("DEMO_READY", READY_TIMEOUT)
        # sync_exit=0 normally; on a loaded machine the first pull may time out (exit 1) and
        # the till's own sync below finishes it.
        assert f"cloud={cloud} " in ready and ready.endswith(("sync_exit=0", "sync_exit=1")), ready
        printed = "\n".join(demo.lines)
        assert f"{cloud}/api/v1/docs/" in printed and f"{cloud}/admin/" in printed
        assert OWNER_EMAIL in printed and "Amina (cashier) 1111" in printed
        # The fakes are said to be fakes, and a real worker sends the background jobs.
        assert "FAKE M-Pesa (Daraja) at http://127.0.0.1:" in printed
        assert "FAKE WhatsApp at http://127.0.0.1:" in printed
        assert f"{cloud}/demo/whatsapp/" in printed
        assert "Started a Celery worker on Redis" in printed, printed
        assert "M-Pesa pay bill 174379 (FAKE Daraja)" in printed

        # The demo runs as production does: a start page, no debug pages, styled admin.
        status, kind, page = _fetch(f"{cloud}/")
        assert status == 200 and kind.startswith("text/html"), (status, kind)
        assert 'href="/admin/"' in page and 'href="/api/v1/docs/"' in page
        status, kind, page = _fetch(f"{cloud}/no-such-page/")
        assert status == 404 and kind == "application/json", (status, kind)
        assert json.loads(page)["error"]["code"] == "not_found"
        assert "URLconf" not in page and "DEBUG" not in page
        status, kind, _ = _fetch(f"{cloud}/static/admin/css/base.css")
        assert status == 200 and kind.startswith("text/css"), (status, kind)
        status, _, page = _fetch(f"{cloud}/admin/login/")
        assert status == 200 and "/static/admin/css/base.css" in page
        status, _, page = _fetch(f"{cloud}/")
        assert "FAKE payment and WhatsApp servers" in page and 'href="/demo/whatsapp/"' in page
        status, _, page = _fetch(f"{cloud}/demo/whatsapp/")
        assert status == 200 and "FAKE WhatsApp server" in page and "No messages yet" in page

        till = build_till(TillConfig(data_dir=tmp_path / ".demo" / "till", scan_debounce_ms=0))
        try:
            assert till.services.sync.is_enrolled()
            till.services.auth.login("1111")
            sale = till.services.sale
            assert sale.scan(COCA_COLA).added
            # A scale label (KES 90.00 of tomatoes at 120.00/kg): sold as 0.750 kg.
            assert sale.scan(SAMPLE_SCALE_LABEL).added
            sale.add_payment("cash", sale.view().balance_due_cents)
            done = sale.complete()
            deadline = time.monotonic() + 90
            report = till.services.sync.sync_now()
            while not (report.ok and report.pending == 0) and time.monotonic() < deadline:
                time.sleep(1)  # a busy machine: the till retries as it would by itself
                report = till.services.sync.sync_now()
            assert report.ok and report.pending == 0, report.message
            # The sale took the Coke below its threshold: the worker sends the low-stock
            # message to the fake Graph, whose "delivered" webhook comes back to the cloud.
            deadline, page = time.monotonic() + 90, ""
            while time.monotonic() < deadline:
                _, _, page = _fetch(f"{cloud}/demo/whatsapp/")
                if page.count("Delivered") >= 2:
                    break
                time.sleep(1)
            assert "+254700000200" in page and "+254700000100" in page, page
            assert page.count("Delivered") >= 2 and "Low stock at Demo store" in page, page
            assert "sent by a Celery worker" in page
            # ... and the notice reaches the till's managers' panel at the next pull.
            report = till.services.sync.sync_now()
            till.services.auth.logout()
            till.services.auth.login("9999")  # Wanjiru, the manager
            board = till.services.notices.board()
            assert any("Coca-Cola" in line.message for line in board.lines), board
            assert board.unread >= 1
        finally:
            till.close()

        login = _call(
            f"{cloud}/api/v1/auth/token/", {"email": OWNER_EMAIL, "password": DEMO_PASSWORD}
        )
        coke = next(p for p in PRODUCTS if p.barcode == COCA_COLA)
        tomato = next(p for p in PRODUCTS if p.barcode == WEIGHED[0][3])
        amina = next(a for a in ACCOUNTS if a.pin == "1111")
        deadline, sales = time.monotonic() + 30, []
        while time.monotonic() < deadline:
            sales = _call(f"{cloud}/api/v1/sales/", token=login["access"])["results"]
            if sales:
                break
            time.sleep(0.5)
        assert len(sales) == 1, sales
        (cloud_sale,) = sales
        assert cloud_sale["id"] == done.sale_id and cloud_sale["receipt_no"] == done.receipt_no
        assert cloud_sale["total_cents"] == 8000 + 9000
        # The demo store has the same ids on the till and in the cloud.
        assert cloud_sale["cashier_id"] == amina.id
        assert [line["product_id"] for line in cloud_sale["lines"]] == [coke.id, tomato.id]
        # The label reached head office as its weight at the catalog's price per kg: no
        # false price mismatch.
        label_line = cloud_sale["lines"][1]
        assert (label_line["qty"], label_line["qty_milli"]) == (None, 750)
        assert (label_line["unit_price_cents"], label_line["total_cents"]) == (12000, 9000)
        assert cloud_sale["price_mismatch"] is False
        # The demo's thresholds: Fanta starts low, the Coke just sold crossed its threshold.
        levels = _call(f"{cloud}/api/v1/stock-levels/?page_size=200", token=login["access"])
        low = {level["product_id"] for level in levels["results"] if level["is_low"]}
        assert next(p.id for p in PRODUCTS if p.barcode == FANTA) in low
        notes = _call(f"{cloud}/api/v1/notifications/", token=login["access"])["results"]
        assert any(n["kind"] == "low_stock" and coke.name in n["message"] for n in notes), notes
    finally:
        code = demo.stop()
        print("\n".join(demo.lines))  # shown by pytest when the test fails
        log = tmp_path / ".demo" / "cloud.log"
        if log.exists():
            print("--- cloud.log (end)\n" + log.read_text(errors="replace")[-6000:])
    assert code in (0, 143), "\n".join(demo.lines)
    with pytest.raises(OSError):  # the cloud stopped with the demo
        urllib.request.urlopen(f"{cloud}/healthz", timeout=2)
