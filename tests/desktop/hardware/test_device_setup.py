"""What the device settings screen's buttons do, against the fake network printer and loop://."""

from __future__ import annotations

import pytest

from asiria_desktop.hardware.device_setup import HardwareDeviceSetup
from asiria_desktop.hardware.settings import device_settings_path

from .support import CAUSE_PAPER_STOP, PAPER_OUT, wait_for

# The printer here is a simulated ESC/POS printer listening on 127.0.0.1 (TCP).
pytestmark = pytest.mark.enable_socket


def setup_for(tmp_path) -> HardwareDeviceSetup:
    return HardwareDeviceSetup(device_settings_path(tmp_path, "T01"), tmp_path)


def network(port: int, **printer: object) -> dict[str, dict[str, object]]:
    return {
        "printer": {"kind": "network", "host": "127.0.0.1", "port": port, **printer},
        "drawer": {"kind": "printer", "pin": 2},
    }


def test_saved_settings_load_back_for_the_same_till(tmp_path):
    setup = setup_for(tmp_path)
    assert setup.load()["printer"]["kind"] == "simulated"
    setup.save(network(9100, paper_mm=58))
    loaded = setup.load()
    assert loaded["printer"]["host"] == "127.0.0.1" and loaded["printer"]["paper_mm"] == 58
    assert (tmp_path / "devices-T01.json").exists()


def test_test_print_prints_a_page_with_the_ruler_of_the_paper_width(tmp_path, network_printer):
    network_printer.switch_on()
    status = setup_for(tmp_path).test_print(network(network_printer.port, paper_mm=58))
    assert status.ok, status.message
    wait_for(lambda: b"TEST PAGE" in network_printer.printed(), "the test page")
    assert b"12345678901234567890123456789012\n" in network_printer.printed()


def test_test_print_explains_a_printer_without_paper(tmp_path, network_printer):
    network_printer.answers = {2: CAUSE_PAPER_STOP, 4: PAPER_OUT}
    network_printer.switch_on()
    status = setup_for(tmp_path).test_print(network(network_printer.port))
    assert not status.ok and status.message == "Printer is out of paper"


def test_test_print_on_a_switched_off_printer(tmp_path, network_printer):
    status = setup_for(tmp_path).test_print(network(network_printer.port))
    assert not status.ok
    assert status.message.startswith("Printer is not connected or switched off")


def test_open_drawer_kicks_through_the_printer(tmp_path, network_printer):
    network_printer.switch_on()
    status = setup_for(tmp_path).test_drawer(network(network_printer.port))
    assert status.ok
    wait_for(lambda: network_printer.printed() == b"\x1bp\x00\x32\x32", "the drawer kick")


def test_simulated_devices_say_so(tmp_path):
    setup = setup_for(tmp_path)
    assert "simulated" in setup.test_print({"printer": {"kind": "simulated"}}).message
    assert "simulated" in setup.test_drawer({"drawer": {"kind": "simulated"}}).message


def test_scan_test_without_a_serial_scanner_points_to_the_keyboard_box(tmp_path):
    status = setup_for(tmp_path).test_scan({"scanner": {"serial_port": ""}}, timeout_s=0.1)
    assert not status.ok and "keyboard-mode" in status.message


def test_scan_test_times_out_politely(tmp_path):
    status = setup_for(tmp_path).test_scan({"scanner": {"serial_port": "loop://"}}, 0.2)
    assert not status.ok and status.message.startswith("No scan within 0.2 seconds")


def test_discovery_gives_choices_with_labels(tmp_path, monkeypatch):
    import types

    fake = types.SimpleNamespace(device="COM3", description="USB Serial", vid=None, pid=None)
    monkeypatch.setattr("serial.tools.list_ports.comports", lambda: [fake])
    found = setup_for(tmp_path).discover()
    assert [(c.value, c.label) for c in found.serial_ports] == [("COM3", "COM3 - USB Serial")]
