"""Make the user guide's picture of the "paid later" strip: a real till (demo data) with a
scripted cloud, a prompt paid after its dialog closed, found by the next sync.

Run: PYTHONPATH=. xvfb-run -a -s "-screen 0 1366x768x24" \
     .venv/bin/python tests/desktop/ui/paid_later_screenshot.py
(starts openbox itself; the picture is taken with ImageMagick's ``import -window root``).
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import seed_demo
from asiria_desktop.local_db.mpesa_repos import SqlMpesaPromptStore
from asiria_desktop.services.sale.mpesa import MpesaService
from asiria_desktop.services.sale.mpesa_watch import PaidLaterWatch, mpesa_receipts
from asiria_desktop.ui.app import MainWindow
from tests.desktop.ui.mpesa_fake import FakeMpesaGateway
from tests.desktop.ui.mpesa_screenshots import shoot, wait_for


def main(out: Path) -> None:
    wm = subprocess.Popen(["openbox"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = QApplication.instance() or QApplication([])
    gateway = FakeMpesaGateway(result_code=None)  # the customer did not answer in time
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            till = build_till(TillConfig(data_dir=Path(data_dir)))
            seed_demo(till)
            store = SqlMpesaPromptStore(till.database.engine)
            mpesa = MpesaService(till.context, gateway, store)
            sale = till.services.sale
            watch = PaidLaterWatch(mpesa, lambda: mpesa_receipts(sale.view()))
            services = dataclasses.replace(till.services, mpesa=mpesa, mpesa_watch=watch)
            services.auth.login("1111")
            services.shifts.open(None, 500_000)
            for name, qty in (("Baraka Sugar 2kg", 2), ("Kilima Soap twin", 1)):
                product = services.catalog.search(name, limit=1)[0]
                sale.add_product(product.id, qty=qty)
            window = MainWindow(services)
            window.resize(1366, 768)
            window.show()
            window._logged_in(services.auth.current)
            wait_for(lambda: window.runner.idle)

            sent = mpesa.send_prompt("0712 345 678", 125_000)
            gateway.pay_later(sent.attempt_id)  # the customer paid after the dialog closed
            watch.check()  # what the next sync does
            strip = window.sale_screen.paid_later
            wait_for(strip.isVisible)
            shoot(out)
            window.close()
            till.close()
    finally:
        wm.terminate()
        wm.wait()
    del app


if __name__ == "__main__":
    os.environ["QT_QPA_PLATFORM"] = "xcb"  # a real X window, never offscreen
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/img/mpesa-paid-later.png"))
