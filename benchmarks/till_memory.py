"""Resident memory of a till in use: 100,000-product catalog, main window up, after some work.

A fresh child process (so that building the catalog does not count) starts the till as the
entry point does (till built, Qt ``MainWindow`` offscreen, cashier logged in, sale screen
ready), then scans 50 products, runs 100 type-ahead searches through the search box's service
and completes a sale, and reads ``VmRSS`` (resident now) and ``VmHWM`` (peak resident) from
``/proc/self/status``.

Target: RSS <= 250 MB. Run: ``python benchmarks/till_memory.py``.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def child(data_dir: Path, barcodes: list[str]) -> None:
    import _till_catalog as tc

    marks: dict[str, float] = {}
    till, app, window = tc.start_ui(data_dir, marks)
    ready_mb = tc.vm_status_mb("VmRSS")
    rng = random.Random(5)
    session = till.services.sale
    for n, code in enumerate(barcodes[:50]):
        window.sale_screen.scan(code)  # as the scanner does: the UI runs it in the background
        if n % 10 == 9:
            app.processEvents()
    for text in tc.search_queries(rng, 100):
        till.services.catalog.search(text, 20)
    while not window.runner.idle:
        app.processEvents()
    lines = len(session.view().lines)
    if lines == 0:
        raise SystemExit("the scans through the sale screen added nothing to the cart")
    session.add_payment("cash", session.view().balance_due_cents)
    session.complete()
    app.processEvents()
    figures = {
        "ready_rss_mb": ready_mb,
        "rss_mb": tc.vm_status_mb("VmRSS"),
        "hwm_mb": tc.vm_status_mb("VmHWM"),
        "lines": lines,
    }
    print("FIGURES " + json.dumps(figures), flush=True)
    window.close()
    till.close()


def main() -> None:
    import _till_catalog as tc
    from _bench import emit

    tc.print_machine()
    with tc.catalog_dir() as catalog:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", str(catalog.data_dir), *catalog.barcodes[:50]],
            capture_output=True,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            check=False,
        )
    found = [line for line in proc.stdout.splitlines() if line.startswith("FIGURES ")]
    if proc.returncode != 0 or not found:
        raise SystemExit(f"the child failed (code {proc.returncode}):\n{proc.stderr}")
    figures = json.loads(found[0][8:])
    print(
        f"till process: {figures['ready_rss_mb']:.1f} MB resident with the sale screen ready; "
        f"after 50 scans, 100 searches and a sale: {figures['rss_mb']:.1f} MB "
        f"(peak {figures['hwm_mb']:.1f} MB); {figures['lines']} lines were in the cart"
    )
    emit("till.memory.rss_mb", figures["rss_mb"], "MB")
    emit("till.memory.peak_mb", figures["hwm_mb"], "MB")
    print("target: till.memory.rss_mb <= 250 MB")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), sys.argv[3:])
    else:
        main()
