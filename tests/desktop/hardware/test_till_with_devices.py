"""The whole till (real services and database) with the real device adapters: a cash sale prints
on a network printer and kicks its drawer; with the printer off the sale still completes, and
the receipt comes out when the printer is back; a reprint prints a copy."""

from __future__ import annotations

from typing import Any

import pytest

from asiria_desktop.hardware.factory import build_devices
from asiria_desktop.hardware.settings import DeviceSettings, DrawerSettings, PrinterSettings

from .support import wait_for

# The printer here is a simulated ESC/POS printer listening on 127.0.0.1 (TCP).
pytestmark = pytest.mark.enable_socket

COKE = "5449000000996"  # a demo product, KES 80.00
CASHIER_PIN = "1111"
DRAWER_KICK = b"\x1bp\x00\x32\x32"


@pytest.fixture
def devices(tmp_path, network_printer):
    settings = DeviceSettings(
        printer=PrinterSettings(
            kind="network", host="127.0.0.1", port=network_printer.port, status_timeout_s=0.3
        ),
        drawer=DrawerSettings(kind="printer"),
    )
    built = build_devices(settings, data_dir=tmp_path / "till")
    built.printer.retry_delays_s = (0.05, 0.1)
    yield built
    built.close()


@pytest.fixture
def till(make_till: Any, devices: Any) -> Any:
    till = make_till(printer=devices.printer, drawer=devices.drawer)
    till.services.auth.login(CASHIER_PIN)
    return till


def sell_for_cash(till: Any) -> Any:
    sale = till.services.sale
    assert sale.scan(COKE).added
    sale.add_payment("cash", 10000)
    return sale.complete()


def test_a_cash_sale_prints_its_receipt_and_opens_the_drawer(till, devices, network_printer):
    network_printer.switch_on()
    result = sell_for_cash(till)
    assert result.opened_drawer and result.change_cents == 2000
    wait_for(lambda: result.receipt_no.encode() in network_printer.printed(), "the receipt")
    printed = network_printer.printed()
    assert DRAWER_KICK in printed
    assert b"Change" in printed and b"20.00" in printed


def test_the_printer_off_never_blocks_a_sale_and_the_receipt_follows(
    till, devices, network_printer
):

    result = sell_for_cash(till)  # printer off: the receipt waits in the queue
    assert result.receipt_no == "S01-T01-000001"
    wait_for(lambda: not devices.printer.status().ok, "the printer-off status")
    assert "1 receipt waiting" in devices.printer.status().message

    network_printer.switch_on()
    devices.printer.retry_now()
    wait_for(lambda: b"1P0S01-T01-000001" in network_printer.printed(), "the late receipt")
    assert devices.printer.status().message == "Printer ready"


def test_reprint_prints_a_copy(till, devices, network_printer):
    network_printer.switch_on()
    result = sell_for_cash(till)
    message = till.services.receipts.reprint(result.receipt_no)
    assert "reprinted" in message
    wait_for(lambda: b"SALE - COPY" in network_printer.printed(), "the copy")
    assert network_printer.printed().count(b"1P0" + result.receipt_no.encode()) == 2


# -- bootstrap reads the till's device settings file -------------------------------------------


def write_device_settings(data_dir: Any, settings: Any) -> None:
    from asiria_desktop.hardware.settings import device_settings_path, save_device_settings

    save_device_settings(device_settings_path(data_dir, "T01"), settings)


def test_build_till_uses_the_device_settings_file(make_till, tmp_path, network_printer):
    from asiria_desktop.hardware.print_queue import PrintQueue

    write_device_settings(
        tmp_path / "till",
        DeviceSettings(
            printer=PrinterSettings(
                kind="network",
                host="127.0.0.1",
                port=network_printer.port,
                paper_mm=58,
                status_timeout_s=0.3,
            ),
            drawer=DrawerSettings(kind="printer"),
        ),
    )
    till = make_till()
    assert isinstance(till.printer, PrintQueue)
    assert till.context.settings.receipt_width == 32  # 58 mm paper
    till.printer.retry_delays_s = (0.05, 0.1)
    till.services.auth.login(CASHIER_PIN)

    result = sell_for_cash(till)  # the printer is off: the sale is done all the same
    assert result.receipt_no == "S01-T01-000001"
    assert max(len(line) for line in result.receipt_text.splitlines()) <= 32
    wait_for(lambda: not till.services.status.snapshot().printer_ok, "the printer problem")
    snapshot = till.services.status.snapshot()
    assert snapshot.printer_waiting == 1 and "waiting" in snapshot.printer_text

    network_printer.switch_on()
    assert "Trying again" in till.services.status.retry_printing()
    wait_for(lambda: result.receipt_no.encode() in network_printer.printed(), "the receipt")
    wait_for(lambda: till.services.status.snapshot().printer_ok, "the printer ready")
    assert not result.opened_drawer and "Open it by key" in result.message  # printer was off


def test_discarding_waiting_receipts_names_them_for_a_reprint(make_till, tmp_path):
    write_device_settings(
        tmp_path / "till",
        DeviceSettings(printer=PrinterSettings(kind="network", host="127.0.0.1", port=9)),
    )
    till = make_till()
    till.printer.retry_delays_s = (30.0,)
    till.services.auth.login(CASHIER_PIN)
    result = sell_for_cash(till)
    # Once the first try failed the queue pauses; a job being printed is never discarded.
    wait_for(lambda: not till.services.status.snapshot().printer_ok, "the failed first try")
    message = till.services.status.discard_printing()
    assert result.receipt_no in message and "reprinted" in message
    assert till.services.status.snapshot().printer_waiting == 0


def test_training_mode_ignores_the_file_and_prints_to_receipts_txt(make_till, tmp_path):
    from asiria_desktop.hardware.simulated import SimulatedPrinter

    write_device_settings(
        tmp_path / "till",
        DeviceSettings(printer=PrinterSettings(kind="network", host="127.0.0.1", port=9)),
    )
    till = make_till(config={"training": True})
    assert isinstance(till.printer, SimulatedPrinter)
    till.services.auth.login(CASHIER_PIN)
    result = sell_for_cash(till)
    # The simulated printer is synchronous: the file is complete when the sale returns.
    assert result.receipt_no in till.config.receipts_path.read_text(encoding="utf-8")
    assert till.drawer.openings == 1
    assert till.services.status.check_printer().ok
