"""Make docs/img/sale-screen.png: a real till (demo data) with a few lines in the cart.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/desktop/ui/screenshot.py [out.png]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import seed_demo
from asiria_desktop.ui.app import MainWindow


def wait_for(condition: object, timeout_ms: int = 10_000) -> None:
    waited = 0
    while not condition() and waited < timeout_ms:  # type: ignore[operator]
        QTest.qWait(20)
        waited += 20


def main(out: str) -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as data_dir:
        till = build_till(TillConfig(data_dir=Path(data_dir)))
        info = seed_demo(till)
        services = till.services
        services.auth.login("1111")
        services.shifts.open(None, 500_000)
        # One earlier sale, so the receipt pane shows a real receipt.
        services.sale.scan(info.sample_barcodes[0])
        services.sale.add_payment("cash", 100_000)
        previous = services.sale.complete()
        for name, qty in (
            ("Savanna Milk 500", 2),
            ("Jambo White bread 400", 1),
            ("Baraka Sugar 2kg", 1),
            ("Kilima Soap twin", 3),
        ):
            product = services.catalog.search(name, limit=1)[0]
            services.sale.add_product(product.id, qty=qty)
        window = MainWindow(services)
        window.resize(1366, 768)
        window.show()
        window._logged_in(services.auth.current)
        window.sale_screen.preview.show_receipt(previous.receipt_no, previous.receipt_text)
        wait_for(lambda: window.runner.idle and window.sale_screen.grid.product_buttons)
        QTest.qWait(200)
        window.grab().save(out)
        window.close()
        till.close()
    del app


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/img/sale-screen.png")
