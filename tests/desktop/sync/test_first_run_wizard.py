"""The first-run wizard, driven as the person installing the till would: connect to head office
(the fake cloud on 127.0.0.1) and open the device settings, a refused code, training mode,
selling offline; and what ``asiria run`` does with each choice (``first_run_cli``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from asiria_desktop.config import TillConfig
from asiria_desktop.demo import demo_ean13
from asiria_desktop.first_run_cli import (
    RUN,
    TRAINING,
    TRAINING_MARKER,
    first_run,
    training_config,
)
from asiria_desktop.services.sync.sync import SyncProblem
from asiria_desktop.ui.sync.first_run import CONNECTED, OFFLINE, FirstRunWizard

WAIT_MS = 10_000


@pytest.fixture
def wizard(qtbot: Any, sync_till: Any) -> Any:
    till = sync_till(seed=False)  # a new till: no products, no accounts yet
    shown = FirstRunWizard(till.services)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.till = till
    return shown


def connect_with(qtbot: Any, wizard: Any, server: str, code: str) -> None:
    qtbot.mouseClick(wizard.connect_choice, Qt.MouseButton.LeftButton)
    assert wizard.pages.currentWidget() is wizard.connect_page
    wizard.server_edit.setText(server)
    qtbot.keyClicks(wizard.code_edit, code)
    wizard.name_edit.setText("Till 1")
    wizard.connect_button.click()


def test_connecting_enrols_the_till_then_offers_the_device_settings(
    qtbot: Any, wizard: Any, cloud: Any
) -> None:
    connect_with(qtbot, wizard, cloud.url, cloud.new_code())
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.devices_page, timeout=WAIT_MS)
    assert "connected to the cloud as Till 1" in wizard.connected_label.text()
    assert wizard.till.services.sync.is_enrolled()

    wizard.devices_button.click()
    from asiria_desktop.ui.devices.device_settings_dialog import DeviceSettingsDialog

    qtbot.waitUntil(lambda: isinstance(wizard.device_dialog, DeviceSettingsDialog))
    qtbot.waitUntil(wizard.device_dialog.isVisible)
    wizard.device_dialog.reject()
    wizard.finish_button.click()
    assert wizard.choice == CONNECTED
    assert not wizard.isVisible()


def test_a_refused_code_is_said_plainly_and_the_form_stays(
    qtbot: Any, wizard: Any, cloud: Any
) -> None:
    connect_with(qtbot, wizard, cloud.url, "NOT-A-CODE")
    qtbot.waitUntil(lambda: wizard.connect_button.isEnabled(), timeout=WAIT_MS)
    message = wizard.connect_status.text()
    assert message and "Traceback" not in message and "HTTP" not in message
    assert wizard.pages.currentWidget() is wizard.connect_page
    assert not wizard.till.services.sync.is_enrolled()
    wizard.back_button.click()
    assert wizard.pages.currentWidget() is wizard.welcome_page


def test_an_empty_form_asks_for_the_address_and_code(qtbot: Any, wizard: Any) -> None:
    wizard.connect_choice.click()
    wizard.server_edit.setText("")
    wizard.connect_button.click()
    assert wizard.connect_status.text() == "Type the server address and the enrolment code."


def test_training_mode_is_a_choice_of_its_own(wizard: Any) -> None:
    wizard.training_choice.click()
    assert wizard.choice == TRAINING
    assert not wizard.till.services.sync.is_enrolled()


def test_selling_offline_stops_the_wizard_from_coming_back(wizard: Any) -> None:
    assert wizard.till.services.sync.should_offer_enrolment()
    wizard.offline_choice.click()
    assert wizard.choice == OFFLINE
    assert not wizard.till.services.sync.should_offer_enrolment()


# ----- what `asiria run` does with the choice -----------------------------------------------


def opener(sync_till: Any, data_dir: Path) -> Any:
    def open_till(config: TillConfig, **kwargs: Any) -> Any:
        return sync_till(seed=False, data_dir=config.data_dir, **kwargs)

    return open_till


def test_training_is_remembered_and_setup_asks_again(tmp_path: Path, sync_till: Any) -> None:
    config = TillConfig(data_dir=tmp_path / "shop")
    asked: list[str] = []

    def ask(choice: str) -> Any:
        return lambda _services: asked.append(choice) or choice

    open_till = opener(sync_till, config.data_dir)
    assert first_run(config, open_till, setup=False, ask=ask(TRAINING)) == (TRAINING, None)
    assert (config.data_dir / TRAINING_MARKER).exists()
    # The next start goes straight to training: no question, the real database untouched.
    assert first_run(config, open_till, setup=False, ask=ask("never")) == (TRAINING, None)
    assert asked == [TRAINING]

    mode, till = first_run(config, open_till, setup=True, ask=ask("offline"))
    assert mode == RUN and till is not None
    assert not (config.data_dir / TRAINING_MARKER).exists()
    assert asked == [TRAINING, "offline"]


def test_closing_the_wizard_exits_and_an_enrolled_till_never_sees_it(
    tmp_path: Path, sync_till: Any, cloud: Any
) -> None:
    config = TillConfig(data_dir=tmp_path / "shop")
    open_till = opener(sync_till, config.data_dir)
    assert first_run(config, open_till, setup=False, ask=lambda _s: "cancelled") == 0

    till = sync_till(seed=False, data_dir=config.data_dir)
    till.services.sync.enroll(cloud.url, cloud.new_code(), "Till 1")
    till.close()
    mode, reopened = first_run(config, open_till, setup=False, ask=lambda _s: pytest.fail())
    assert mode == RUN and reopened.services.sync.is_enrolled()


def test_the_training_till_keeps_its_own_folder_and_never_syncs(
    tmp_path: Path, sync_till: Any, cloud: Any
) -> None:
    from asiria_desktop.cli import demo_store

    config = training_config(TillConfig(data_dir=tmp_path / "shop"), demo_store)
    assert config.data_dir == tmp_path / "shop" / "training" and config.training
    till = sync_till(seed=True, data_dir=config.data_dir, offline_training=True)
    sync = till.services.sync
    assert not sync.should_offer_enrolment()
    with pytest.raises(SyncProblem, match="training mode"):
        sync.enroll(cloud.url, cloud.new_code(), "Till 1")
    with pytest.raises(SyncProblem, match="never sent to head office"):
        sync.sync_now()
    assert not sync.is_enrolled()


def test_every_screen_of_a_training_till_says_so(qtbot: Any, sync_till: Any) -> None:
    from asiria_desktop.domain.receipt import TRAINING_RECEIPT_MARK
    from asiria_desktop.first_run_cli import TRAINING_NOTE
    from asiria_desktop.ui.app import MainWindow, mark_training

    till = sync_till(seed=True, offline_training=True)
    window = MainWindow(till.services)
    qtbot.addWidget(window)
    banner = mark_training(window, TRAINING_NOTE)
    window.show()
    qtbot.waitExposed(window)
    assert banner.isVisible() and banner.text() == "TRAINING MODE"
    assert banner.toolTip() == TRAINING_NOTE
    assert window.windowTitle().endswith(TRAINING_NOTE)
    # A practice sale is kept, and the status bar never says it is waiting to be sent.
    till.services.auth.login("1111")
    sale = till.services.sale
    sale.scan(demo_ean13(1))
    sale.add_payment("cash", sale.view().balance_due_cents)
    sale.complete()
    # ...and its receipt, on paper and on the last-receipt pane, can't pass for a real one.
    last = till.services.receipts.last()
    assert last is not None
    assert last.text.splitlines()[0].strip() == TRAINING_RECEIPT_MARK
    assert last.text.splitlines()[-1].strip() == TRAINING_RECEIPT_MARK
    status = window.status
    status.refresh()
    qtbot.waitUntil(
        lambda: status.network_label.text() == "Training: nothing is sent", timeout=WAIT_MS
    )
    assert not status.unsent_label.isVisible()
    assert "never sent" in status.network_label.toolTip()
    qtbot.waitUntil(lambda: window.runner.idle, timeout=WAIT_MS)
    window.close()
    QApplication.processEvents()
