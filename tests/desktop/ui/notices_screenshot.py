"""A real till window (demo data) with store notices pulled as the cloud words them, the
manager signed in and the notices panel open, left running for ``import -window root``
(docs/img/notices-panel.png).

Run under Xvfb + openbox (times as a Nairobi till shows them):
``TZ=Africa/Nairobi DISPLAY=:43 .venv/bin/python tests/desktop/ui/notices_screenshot.py``;
it prints READY once the panel shows its notices. The window closes after ten minutes.
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import seed_demo
from asiria_desktop.domain.barcodes import VariableMeasureLayout
from asiria_desktop.local_db.sync_repos import SqlSyncStore
from asiria_desktop.ports.cloud import Change
from asiria_desktop.sync.mapping import to_catalog_changes
from asiria_desktop.ui.app import MainWindow

STORE = "AsiriaPOS Demo Store"

# (kind, message, created_at, read by the owner at head office) as the cloud words them.
NOTICES = [
    ("daily_summary", f"{STORE}, Sun 06 Dec: 41 sales, KES 12,400 taken, KES 350 refunded, "
     "1 voided.", "2026-12-06T19:00:00+03:00", True),
    ("low_stock", f"Low stock at {STORE}: Sugar 2kg is down to 3 (threshold 5).",
     "2026-12-07T09:12:00+03:00", False),
    ("mpesa_unverified", "Receipt T01-000231: M-Pesa code QK7H2L9XYZ was not found at "
     "Safaricom; check the customer's message before the goods leave.",
     "2026-12-07T10:40:00+03:00", False),
    ("oversell", f"Oversold at {STORE}: Jambo White bread 400 is at -2 after a till's sales; "
     "please count it.", "2026-12-07T11:05:00+03:00", False),
    ("terminal_silent", f"Till Counter 2 (T02) at {STORE} has not been in touch since 07 Dec "
     "08:30. Check that it is on and online; its sales reach head office only when it syncs.",
     "2026-12-07T12:00:00+03:00", False),
]  # fmt: skip


def pull_notices(till: Any) -> None:
    conn = sqlite3.connect(str(till.config.database_path))
    owner = conn.execute("SELECT id FROM users WHERE name = 'Owner'").fetchone()[0]
    conn.close()
    changes = [
        Change(
            seq=n,
            entity="notice",
            op="upsert",
            data={
                "id": f"0193a0c0-0000-7000-8000-{n:012d}",
                "kind": kind,
                "message": message,
                "created_at": at,
                "audience": "managers",
                "read_by": [owner] if read else [],
            },
        )
        for n, (kind, message, at, read) in enumerate(NOTICES, start=1)
    ]
    store = SqlSyncStore(till.database.engine)
    store.apply_page(to_catalog_changes(changes, VariableMeasureLayout()), str(len(changes)))


def main() -> None:
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as data_dir:
        till = build_till(TillConfig(data_dir=Path(data_dir)))
        seed_demo(till)
        pull_notices(till)
        services = till.services
        services.auth.login("9999")  # Wanjiru, the manager
        window = MainWindow(services)
        window.showMaximized()
        window._logged_in(services.auth.current)
        window.notices_button.refresh()
        QTest.qWait(500)
        dialog = window.show_notices()
        assert dialog is not None
        dialog.resize(900, 560)
        for _ in range(100):
            if dialog.list_widget.count():
                break
            QTest.qWait(50)
        print("READY", window.notices_button.text(), dialog.summary.text(), flush=True)
        QTimer.singleShot(600_000, app.quit)
        app.exec()
        window.close()
        till.close()


if __name__ == "__main__":
    main()
