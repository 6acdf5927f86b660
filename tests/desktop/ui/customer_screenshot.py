"""A real till window (demo data, a few items in the cart) left running for a person or
xdotool to drive, for docs/img/customer-dialog.png.

Run under Xvfb + openbox: ``DISPLAY=:43 .venv/bin/python tests/desktop/ui/customer_screenshot.py``
then press F12 (payment), F7 (customer), type the phone, Enter, the name, tick the boxes, and
``import -window root docs/img/customer-dialog.png``. The window closes after ten minutes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import seed_demo
from asiria_desktop.ui.app import MainWindow


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as data_dir:
        till = build_till(TillConfig(data_dir=Path(data_dir)))
        seed_demo(till)
        services = till.services
        services.auth.login("1111")
        services.shifts.open(None, 500_000)
        for name, qty in (("Savanna Milk 500", 2), ("Jambo White bread 400", 1)):
            product = services.catalog.search(name, limit=1)[0]
            services.sale.add_product(product.id, qty=qty)
        window = MainWindow(services)
        window.resize(1366, 768)
        window.show()
        window._logged_in(services.auth.current)
        print("READY", flush=True)
        QTimer.singleShot(600_000, app.quit)
        app.exec()
        window.close()
        till.close()


if __name__ == "__main__":
    main()
