"""The status bar and the manager's sync screen (pytest-qt, offscreen), and the first-run
question on a till that is not enrolled."""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QApplication

from asiria_desktop.services.results import StatusView
from asiria_desktop.ui.signin.approval_dialog import ApprovalDialog

from .fake_cloud import FakeCloud
from .support import MANAGER_PIN, sell

WAIT_MS = 10_000


@pytest.fixture
def open_window(qtbot: Any) -> Iterator[Any]:
    from asiria_desktop.ui.app import MainWindow

    windows: list[Any] = []

    def factory(till: Any) -> Any:
        window = MainWindow(till.services)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield factory
    for window in windows:
        qtbot.waitUntil(lambda w=window: w.runner.idle, timeout=WAIT_MS)
        window.close()


def _visible(kind: type[Any], qtbot: Any) -> Any:
    found: list[Any] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind)]
        found[:] = [w for w in found if w.isVisible()]
        return bool(found)

    qtbot.waitUntil(shown, timeout=WAIT_MS)
    return found[-1]


def test_the_status_bar_shows_online_unsent_last_sync_and_why_not(
    qtbot: Any, open_window: Any, enrolled: Any, cloud: FakeCloud
) -> None:
    sell(enrolled)
    window = open_window(enrolled)
    bar = window.status
    qtbot.waitUntil(lambda: bar.unsent_label.text() == "Unsent: 1", timeout=WAIT_MS)
    assert bar.network_label.text() == "Online"  # enrolment reached the cloud

    cloud.fail("status", status=503, path="/api/v1/sync/push/")
    assert not enrolled.services.sync.sync_now().ok
    bar.refresh()
    qtbot.waitUntil(lambda: bar.network_label.text() == "Offline", timeout=WAIT_MS)
    assert bar.sync_error_label.text() == "The cloud had a problem (HTTP 503)."
    assert "will be sent when the network is back" in bar.network_label.toolTip()

    assert enrolled.services.sync.sync_now().ok
    bar.refresh()
    qtbot.waitUntil(lambda: bar.unsent_label.text() == "Unsent: 0", timeout=WAIT_MS)
    assert bar.network_label.text() == "Online"
    assert bar.last_sync_label.text().startswith("Last sync ")
    assert bar.sync_error_label.text() == ""


def test_the_status_bar_says_a_revoked_till_is_disconnected(
    qtbot: Any, open_window: Any, enrolled: Any, cloud: FakeCloud
) -> None:
    (terminal,) = cloud.state.terminals.values()
    cloud.revoke(terminal.id)
    assert enrolled.services.sync.sync_now().outcome == "revoked"
    bar = open_window(enrolled).status
    qtbot.waitUntil(
        lambda: bar.network_label.text() == "Disconnected by head office", timeout=WAIT_MS
    )
    assert "Ask head office for a new enrolment code" in bar.sync_error_label.text()


def test_the_status_bar_shows_pull_progress(qtbot: Any, open_window: Any, enrolled: Any) -> None:
    bar = open_window(enrolled).status
    qtbot.waitUntil(lambda: bar.network_label.text() == "Online", timeout=WAIT_MS)
    bar._show(StatusView(True, 0, None, "", "Online", progress=(2500, 100_000)))
    assert bar.sync_progress.isVisibleTo(bar)
    assert (bar.sync_progress.value(), bar.sync_progress.maximum()) == (2500, 100_000)
    bar._show(StatusView(True, 0, None, "", "Online"))
    assert not bar.sync_progress.isVisibleTo(bar)


def test_the_sync_screen_lists_rejected_events_and_retries_them(
    qtbot: Any, open_window: Any, enrolled: Any, cloud: FakeCloud
) -> None:
    cloud.state.reject_types.add("sale.completed")
    result = sell(enrolled)
    sell(enrolled)
    assert enrolled.services.sync.sync_now().rejected == 2
    window = open_window(enrolled)
    window.status.sync_button.click()  # Amina, a cashier, is logged in: a manager's PIN
    approval = _visible(ApprovalDialog, qtbot)
    approval.pin_edit.setText(MANAGER_PIN)
    approval.approve_button.click()
    qtbot.waitUntil(lambda: window.sync_dialog is not None, timeout=WAIT_MS)
    dialog = window.sync_dialog
    qtbot.waitUntil(lambda: dialog.rejected_table.rowCount() == 2, timeout=WAIT_MS)
    first = [dialog.rejected_table.item(0, c).text() for c in range(4)]
    assert first[1] == f"Sale {result.receipt_no}"
    assert first[3] == "sale.completed is not accepted by this store"
    assert "Rejected: 2" in dialog.pending_label.text()
    assert dialog.history_table.rowCount() == 1
    assert dialog.retry_button.isEnabled()

    cloud.state.reject_types.clear()
    dialog.retry_button.click()
    qtbot.waitUntil(lambda: "will be sent again" in dialog.message_label.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.sync_button.isEnabled(), timeout=WAIT_MS)
    dialog.sync_button.click()
    qtbot.waitUntil(lambda: dialog.message_label.text().startswith("Sent 2"), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.rejected_table.rowCount() == 0, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.history_table.rowCount() == 2, timeout=WAIT_MS)
    assert dialog.history_table.item(0, 1).text() == "OK"
    assert len(cloud.state.applied) == 2
    dialog.accept()


def test_a_till_that_is_not_enrolled_offers_enrolment_once(
    qtbot: Any, open_window: Any, sync_till: Any, cloud: FakeCloud
) -> None:
    from asiria_desktop.ui.sync.enroll_dialog import EnrollDialog, FirstRunDialog

    till = sync_till()
    window = open_window(till)
    window.offer_enrolment()
    question = window.first_run_dialog
    assert isinstance(question, FirstRunDialog) and question.isVisible()
    question.enroll_button.click()
    form = window.enroll_dialog
    assert isinstance(form, EnrollDialog)
    form.server_edit.setText(cloud.url)
    form.code_edit.setText("NOTACODE")
    form.ok_button.click()
    qtbot.waitUntil(lambda: "already used" in form.error_label.text(), timeout=WAIT_MS)
    assert form.isVisible()
    form.code_edit.setText(cloud.new_code())
    form.ok_button.click()
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=WAIT_MS)
    assert "connected to the cloud" in form.result_message
    assert till.services.sync.is_enrolled()
    window.offer_enrolment()  # enrolled: no question any more
    assert window.first_run_dialog is question


def test_skipping_enrolment_sells_offline_and_is_remembered(
    qtbot: Any, open_window: Any, sync_till: Any
) -> None:
    till = sync_till()
    window = open_window(till)
    assert till.services.status.snapshot().network_text == "Offline (not enrolled)"
    window.offer_enrolment()
    window.first_run_dialog.skip_button.click()
    qtbot.waitUntil(lambda: not till.services.sync.should_offer_enrolment(), timeout=WAIT_MS)
    qtbot.waitUntil(
        lambda: window.status.network_label.text() == "Offline (not enrolled)", timeout=WAIT_MS
    )
    assert QApplication.activeModalWidget() is None
    sell(till)  # selling offline works


def test_a_manager_sends_the_tills_logs_from_the_sync_screen(
    qtbot: Any, open_window: Any, enrolled: Any, cloud: FakeCloud
) -> None:
    logs = enrolled.config.data_dir / "logs"
    logs.mkdir(exist_ok=True)
    now = datetime.now(UTC)
    lines = [
        {"timestamp": (now - timedelta(days=9)).isoformat(), "event": "too old to send"},
        {"timestamp": now.isoformat(), "event": "printer went offline: cover open"},
    ]
    (logs / "till.log").write_text("".join(json.dumps(line) + "\n" for line in lines))
    sell(enrolled)  # Amina, a cashier, stays logged in
    window = open_window(enrolled)
    window.status.sync_button.click()
    approval = _visible(ApprovalDialog, qtbot)
    approval.pin_edit.setText(MANAGER_PIN)
    approval.approve_button.click()
    qtbot.waitUntil(lambda: window.sync_dialog is not None, timeout=WAIT_MS)
    dialog = window.sync_dialog

    dialog.logs_button.click()  # sending logs is a manager's job too: the PIN again
    approval = _visible(ApprovalDialog, qtbot)
    approval.pin_edit.setText(MANAGER_PIN)
    approval.approve_button.click()
    qtbot.waitUntil(lambda: dialog.message_label.text().startswith("Sent"), timeout=WAIT_MS)
    assert "to head office" in dialog.message_label.text()
    assert dialog.logs_button.isEnabled()
    (upload,) = cloud.state.log_uploads
    assert upload["terminal"] in cloud.state.terminals.values()
    assert upload["lines"] == 1 and upload["days"] == 3
    sent = gzip.decompress(base64.b64decode(upload["content_gzip_base64"])).decode()
    assert [json.loads(line)["event"] for line in sent.splitlines()] == [
        "printer went offline: cover open"
    ]
    dialog.accept()
