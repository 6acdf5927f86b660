"""``asiria --self-test [DIR]``: proves an installed till works on this machine, then exits.

It builds the till on a demo store in a scratch data folder (a new temporary folder unless DIR is
given), shows the main window offscreen, signs the demo cashier in, waits for the sale screen
and prints the versions it runs on. The shop's own data folder and settings file are never read
or written: an installer or a support call can run it on a working till.

DIR lets a benchmark measure repeated starts on the same (already seeded) folder. A folder that
holds a till database this command did not create is refused, so a mistyped path cannot seed
demo products into a shop's database.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

MARKER = ".asiria-self-test"
DEMO_CASHIER_PIN = "1111"
SALE_SCREEN_TIMEOUT_S = 60


class SelfTestError(Exception):
    """The self-test could not run; ``str()`` says why in plain words."""


def run_self_test(scratch: Path | None, out: TextIO | None = None) -> int:
    """0 when the till reached its sale screen; raises SelfTestError otherwise."""
    out = out or sys.stdout
    started = time.perf_counter()
    if scratch is None:
        with tempfile.TemporaryDirectory(prefix="asiria-self-test-") as tmp:
            return _run(Path(tmp), started, out)
    _claim(scratch)
    return _run(scratch, started, out)


def _claim(scratch: Path) -> None:
    scratch.mkdir(parents=True, exist_ok=True)
    marker = scratch / MARKER
    if (scratch / "till.sqlite3").exists() and not marker.exists():
        raise SelfTestError(
            f"{scratch} holds a till database the self-test did not create; "
            "give it an empty folder."
        )
    marker.touch()


def _run(data_dir: Path, started: float, out: TextIO) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import load_config
    from asiria_desktop.demo import seed_demo

    # Defaults only: the shop's till.toml and ASIRIA_* variables stay out of the test.
    config = load_config(data_dir, config_file=data_dir / "no-settings.toml", environ={})
    till = build_till(replace(config, training=True))  # simulated printer and drawer
    try:
        seed_demo(till)
        ready_ms = _reach_sale_screen(till, started)
        for line in _versions(data_dir):
            print(line, file=out)
        print(f"sale screen ready in {ready_ms:.0f} ms", file=out)
        print("self-test ok", file=out, flush=True)
        return 0
    finally:
        till.close()


def _reach_sale_screen(till: Any, started: float) -> float:
    from PySide6.QtWidgets import QApplication

    from asiria_desktop.ui.app import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(till.services)
    try:
        window.show()
        app.processEvents()
        window.login_screen.pin_edit.setText(DEMO_CASHIER_PIN)
        window.login_screen.submit()
        deadline = time.monotonic() + SALE_SCREEN_TIMEOUT_S
        while not (window.stack.currentWidget() is window.sale_screen and window.runner.idle):
            if time.monotonic() > deadline:
                raise SelfTestError("the sale screen did not come up within a minute")
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        return (time.perf_counter() - started) * 1000
    finally:
        window.close()


def _versions(data_dir: Path) -> list[str]:
    import PySide6
    import sqlalchemy
    from PySide6.QtCore import qVersion

    from asiria_desktop.cli import version

    return [
        f"asiria {version()}",
        f"python {platform.python_version()} ({platform.system()} {platform.machine()})",
        f"qt {qVersion()} (PySide6 {PySide6.__version__})",
        f"sqlalchemy {sqlalchemy.__version__}, sqlite {sqlite3.sqlite_version}",
        f"data folder {data_dir}",
    ]
