"""Background operations report back on the main thread, and errors become plain words."""

from __future__ import annotations

import threading
from typing import Any

from asiria_desktop.domain.errors import PaymentError
from asiria_desktop.ui.common.background import BackgroundRunner
from asiria_desktop.ui.common.banner import MessageBanner
from asiria_desktop.ui.common.messages import UNEXPECTED, plain_message


def test_results_and_errors_arrive_on_the_main_thread(qtbot: Any) -> None:
    failures: list[BaseException] = []
    runner = BackgroundRunner(failures.append)
    main = threading.get_ident()
    seen: list[tuple[str, int, int]] = []

    def work() -> int:
        return threading.get_ident()

    runner.run(work, lambda worker: seen.append(("ok", worker, threading.get_ident())))
    runner.run(lambda: 1 / 0)
    qtbot.waitUntil(lambda: runner.idle and len(seen) == 1 and len(failures) == 1)
    (_, worker, callback) = seen[0]
    assert worker != main and callback == main
    assert isinstance(failures[0], ZeroDivisionError)
    runner.shutdown()


def test_serial_work_keeps_the_order_it_was_asked_in(qtbot: Any) -> None:
    runner = BackgroundRunner(lambda exc: None)
    done: list[int] = []
    for number in range(20):
        runner.run(lambda n=number: n, done.append)
    qtbot.waitUntil(lambda: len(done) == 20)
    assert done == list(range(20))
    runner.shutdown()


def test_plain_messages_never_show_a_traceback(caplog: Any) -> None:
    assert plain_message(PaymentError("Card payment can't be more than due.")) == (
        "Card payment can't be more than due."
    )
    assert plain_message(KeyError("sale_lines.id")) == UNEXPECTED
    assert "sale_lines.id" not in UNEXPECTED
    assert "Unexpected error" in caplog.text  # the details go to the log


def test_banner_offers_an_action(qtbot: Any) -> None:
    banner = MessageBanner()
    qtbot.addWidget(banner)
    clicked: list[bool] = []
    banner.show_message(
        "Barcode 1 not found.", "warning", action=("Search", lambda: clicked.append(True))
    )
    assert banner.text == "Barcode 1 not found."
    banner.action_button.click()
    assert clicked == [True]
    assert not banner.isVisible()


def test_emitting_many_signals_keeps_the_interpreter_alive() -> None:
    """PySide6 6.12.0's emit() drops a reference to True on every call, and Python 3.11 aborts
    after a few hundred signals; a till would crash mid-shift. The project pins a PySide6 without
    the bug: this fails loudly if an upgrade brings it back (run in a child, since it aborts)."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        """
        from PySide6.QtCore import QCoreApplication, QObject, Signal
        class Source(QObject):
            fired = Signal(object)
        app = QCoreApplication([])
        source = Source()
        received = []
        source.fired.connect(received.append)
        for number in range(5000):
            source.fired.emit(number)
        print(len(received))
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert child.returncode == 0, f"the interpreter died emitting signals: {child.stderr[-500:]}"
    assert child.stdout.strip() == "5000"
