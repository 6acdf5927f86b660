"""Make the M-Pesa screenshots of the user guide: a real till (demo data) with a scripted cloud,
on a real X screen so the window manager's frames show as the cashier sees them.

Run: PYTHONPATH=. xvfb-run -a -s "-screen 0 1366x768x24" \
     .venv/bin/python tests/desktop/ui/mpesa_screenshots.py
(starts openbox itself; each picture is taken with ImageMagick's ``import -window root``).
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import seed_demo
from asiria_desktop.domain.money import format_amount
from asiria_desktop.local_db.mpesa_repos import SqlMpesaPromptStore
from asiria_desktop.ports.mpesa import TillNumberPayment
from asiria_desktop.services.sale.mpesa import MpesaService
from asiria_desktop.ui.app import MainWindow
from asiria_desktop.ui.payment.mpesa_claim_dialog import MpesaClaimDialog
from asiria_desktop.ui.payment.mpesa_prompt_dialog import MpesaPromptDialog
from asiria_desktop.ui.payment.payment_dialog import PaymentDialog
from tests.desktop.ui.mpesa_fake import FakeMpesaGateway


def wait_for(condition: Callable[[], object], timeout_ms: int = 10_000) -> None:
    waited = 0
    while not condition() and waited < timeout_ms:
        QTest.qWait(20)
        waited += 20
    if not condition():
        raise TimeoutError("the screen did not get there")


def shoot(out: Path) -> None:
    QTest.qWait(400)  # let the window manager draw its frames
    subprocess.run(["import", "-window", "root", str(out)], check=True)
    print(f"wrote {out}")


def main(out_dir: Path) -> None:
    wm = subprocess.Popen(["openbox"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = QApplication.instance() or QApplication([])
    gateway = FakeMpesaGateway(result_code=None)  # the customer has not answered yet
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            till = build_till(TillConfig(data_dir=Path(data_dir)))
            seed_demo(till)
            mpesa = MpesaService(
                till.context,
                gateway,
                SqlMpesaPromptStore(till.database.engine),
                wait_seconds=120,
                poll_seconds=0.5,
            )
            services = dataclasses.replace(till.services, mpesa=mpesa)
            services.auth.login("1111")
            services.shifts.open(None, 500_000)
            for name, qty in (("Baraka Sugar 2kg", 2), ("Kilima Soap twin", 3)):
                product = services.catalog.search(name, limit=1)[0]
                services.sale.add_product(product.id, qty=qty)
            window = MainWindow(services)
            window.resize(1366, 768)
            window.show()
            window._logged_in(services.auth.current)
            wait_for(lambda: window.runner.idle)
            window.sale_screen.pay()
            wait_for(lambda: window.findChild(PaymentDialog) is not None)
            pay = window.findChild(PaymentDialog)
            assert pay is not None
            pay.choose_method("mpesa")
            whole = pay._view.balance_due_cents // 100 * 100
            pay.amount_edit.setText(format_amount(whole))
            pay.phone_edit.setText("0712 345 678")

            # 1. The prompt is on the customer's phone; the till counts down.
            pay.send_prompt()
            wait_for(lambda: pay.prompt_dialog is not None and pay.prompt_dialog.waiting)
            prompt = pay.prompt_dialog
            assert isinstance(prompt, MpesaPromptDialog)
            QTest.qWait(2200)
            shoot(out_dir / "mpesa-prompt-waiting.png")

            # 2. The customer's balance is too low: plain words, try again or another tender.
            gateway.result_code, gateway.pending_polls = 1, 0
            wait_for(prompt.other_button.isVisible)
            shoot(out_dir / "mpesa-prompt-failed.png")
            prompt.reject()

            # 3. A prompt paid after its dialog closed, and one paid to the till number.
            gateway.result_code = None
            pay.send_prompt()
            wait_for(lambda: pay.prompt_dialog is not prompt and pay.prompt_dialog is not None)
            late = pay.prompt_dialog
            assert late is not None
            wait_for(lambda: late.waiting)
            late.reject()
            gateway.pay_later(gateway.started[-1].attempt_id)
            gateway.till_payments.append(
                TillNumberPayment("SKT4R7QX2M", whole, "254712345678", "JANE")
            )
            pay.claim_mpesa()
            claim = pay.claim_dialog
            assert isinstance(claim, MpesaClaimDialog)
            wait_for(lambda: claim.prompts_list.count() == 1)
            claim.phone_edit.setText("0712 345 678")
            shoot(out_dir / "mpesa-claim.png")
            claim.reject()
            pay.reject()
            wait_for(lambda: window.runner.idle)
            window.close()
            till.close()
    finally:
        wm.terminate()
        wm.wait()
    del app


if __name__ == "__main__":
    os.environ["QT_QPA_PLATFORM"] = "xcb"  # a real X window, never offscreen
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/img"))
