"""What the cashier sees of the connection: a silent cloud shows as offline within seconds, the
state has its own icon and colour, the unsent count follows each push at once, messages are
whole behind "Details", the keyring note is calm, and the plurals are right."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import keyring
import pytest
from keyring.backends import fail

pytest.importorskip("PySide6")

from asiria_desktop.services.formatting import plural
from asiria_desktop.sync.engine import NOT_ANSWERING, NOT_ANSWERING_S

from .fake_cloud import FakeCloud
from .support import sell

WAIT_MS = 10_000


class StepClock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def till(sync_till: Any, cloud: FakeCloud, clock: StepClock) -> Any:
    till = sync_till(monotonic=clock)
    till.services.sync.enroll(cloud.url, cloud.new_code(), "Till 1")
    return till


@pytest.fixture
def window(qtbot: Any, till: Any) -> Iterator[Any]:
    from asiria_desktop.ui.app import MainWindow

    window = MainWindow(till.services)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    qtbot.waitUntil(lambda: window.runner.idle, timeout=WAIT_MS)
    window.close()


def test_plural() -> None:
    assert [plural(n, "event") for n in (0, 1, 2)] == ["0 events", "1 event", "2 events"]
    assert plural(1, "entry", "entries") == "1 entry" and plural(3, "entry", "entries")[2:] == (
        "entries"
    )


def test_a_cloud_that_stops_answering_shows_offline_before_the_request_times_out(
    till: Any, cloud: FakeCloud, clock: StepClock
) -> None:
    engine = till.sync_engine
    sell(till)
    cloud.push_gate = threading.Event()  # the cloud takes the push and says nothing
    running = threading.Thread(target=engine.sync_now)
    running.start()
    try:
        assert cloud.push_entered.wait(10)
        assert engine.status().online is True  # just asked: not yet a reason to worry
        clock.now += NOT_ANSWERING_S
        silent = engine.status()
        assert (silent.online, silent.error) == (False, NOT_ANSWERING)
        snapshot = till.services.status.snapshot()
        assert (snapshot.network_text, snapshot.network_state) == ("Offline", "offline")
    finally:
        cloud.push_gate.set()
        running.join(20)
    assert engine.status().online is True and engine.status().unsent_events == 0


def test_the_status_bar_follows_each_push_at_once_with_icon_and_colour(
    qtbot: Any, window: Any, till: Any, cloud: FakeCloud
) -> None:
    bar = window.status
    bar._timer.stop()  # no polling: only the sync's own news may update the bar
    qtbot.waitUntil(lambda: bar.network_label.text() == "Online", timeout=WAIT_MS)
    assert (bar.network_icon.text(), bar.network_label.property("state")) == ("●", "online")
    online_colour = bar.network_label.palette().color(bar.network_label.foregroundRole())

    sell(till)
    bar.refresh()  # what the window does after a sale
    qtbot.waitUntil(lambda: bar.unsent_label.text() == "Unsent: 1", timeout=WAIT_MS)
    till.sync_engine.sync_now()  # the push the scheduler runs right after a sale
    qtbot.waitUntil(lambda: bar.unsent_label.text() == "Unsent: 0", timeout=WAIT_MS)

    cloud.fail("status", status=503, times=10)
    sell(till)
    till.sync_engine.sync_now()
    qtbot.waitUntil(lambda: bar.network_label.text() == "Offline", timeout=WAIT_MS)
    assert bar.unsent_label.text() == "Unsent: 1"
    assert (bar.network_icon.text(), bar.network_label.property("state")) == ("✖", "offline")
    offline_colour = bar.network_label.palette().color(bar.network_label.foregroundRole())
    assert offline_colour != online_colour
    assert bar.sync_message.details_button.isVisible()


def test_a_long_message_is_whole_behind_details(qtbot: Any, window: Any) -> None:
    bar = window.status
    long = " ".join(["The cloud's certificate could not be verified."] * 6)
    bar.sync_message.set_message(long)
    qtbot.waitUntil(lambda: bar.sync_message.details_button.isVisible(), timeout=WAIT_MS)
    assert bar.sync_error_label.text() == long  # the label keeps the whole text
    shown = bar.sync_error_label.shown_text()
    assert shown.endswith("…") and long.startswith(shown[:-1])  # never cut without a mark
    bar.sync_message.details_button.click()
    qtbot.waitUntil(lambda: bar.sync_message.details_box is not None, timeout=WAIT_MS)
    assert bar.sync_message.details_box.text() == long
    bar.sync_message.details_box.close()


def test_without_a_keyring_a_calm_note_on_the_sync_screen_not_the_status_bar(
    qtbot: Any, sync_till: Any, cloud: FakeCloud
) -> None:
    from asiria_desktop.ui.app import MainWindow
    from asiria_desktop.ui.sync.sync_dialog import SyncDialog

    keyring.set_keyring(fail.Keyring())
    till = sync_till()
    till.services.sync.enroll(cloud.url, cloud.new_code(), "Kiosk till")
    secret_file = str(till.config.data_dir / "terminal-secret")
    window = MainWindow(till.services)
    qtbot.addWidget(window)
    window.show()
    bar = window.status
    qtbot.waitUntil(lambda: bar.network_label.text() == "Online", timeout=WAIT_MS)
    assert bar.sync_error_label.text() == "" and not bar.sync_message.details_button.isVisible()

    dialog = SyncDialog(window.ops, window)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.warning_note.isVisible(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.warning_label.text() != "", timeout=WAIT_MS)
    note = dialog.warning_label.text()
    assert note == "The cloud password is kept in a protected file (no system keyring)."
    assert secret_file not in note
    assert dialog.warning_label.styleSheet() == "" and dialog.warning_label.objectName() != (
        "errorText"
    )
    dialog.warning_note.details_button.click()
    qtbot.waitUntil(lambda: dialog.warning_note.details_box is not None, timeout=WAIT_MS)
    assert secret_file in dialog.warning_note.details_box.text()
    dialog.warning_note.details_box.close()
    dialog.close()
    qtbot.waitUntil(lambda: window.runner.idle, timeout=WAIT_MS)
    window.close()


def test_the_sync_screen_shows_whole_times_and_right_plurals(
    qtbot: Any, window: Any, till: Any
) -> None:
    from asiria_desktop.ui.sync.sync_dialog import SyncDialog

    sell(till)
    assert till.sync_engine.sync_now().message == "Sent 1 event, received 0 changes."
    dialog = SyncDialog(window.ops, window)
    dialog.resize(760, 620)
    dialog.show()
    table = dialog.history_table
    qtbot.waitUntil(lambda: table.rowCount() >= 1, timeout=WAIT_MS)
    finished = table.item(0, 0).text()
    needed = table.fontMetrics().horizontalAdvance(finished)
    assert table.columnWidth(0) >= needed  # the time is never cut
    assert table.item(0, 4).text() == "Sent 1 event, received 0 changes."
    dialog.close()
