"""The device side of the services: the customer display fed by the sale (never in its way),
the device settings screen behind a manager approval, and drawer openings on record."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from asiria_desktop.domain.errors import ApprovalRequired
from asiria_desktop.domain.permissions import Action
from asiria_desktop.hardware.simulated import SimulatedDrawer, SimulatedPrinter
from asiria_desktop.ports.devices import DeviceStatus
from asiria_desktop.services.devices.display_feed import DisplayFeed
from asiria_desktop.services.sale.sale_session import SaleSession

from .support import CASHIER_PIN, COKE, MANAGER_PIN, SODA_300, audit, outbox, user_id


class RecordingDisplay:
    def __init__(self, fail: bool = False) -> None:
        self.shown: list[tuple[Any, ...]] = []
        self.fail = fail

    def show_item(self, name: str, price_cents: int, total_cents: int) -> None:
        if self.fail:
            raise OSError("display unplugged")
        self.shown.append(("item", name, price_cents, total_cents))

    def show_total(self, total_cents: int, change_cents: int = 0) -> None:
        if self.fail:
            raise OSError("display unplugged")
        self.shown.append(("total", total_cents, change_cents))

    def show_welcome(self, shop_name: str) -> None:
        self.shown.append(("welcome", shop_name))

    def status(self) -> DeviceStatus:
        return DeviceStatus(not self.fail, "display unplugged" if self.fail else "ready")


def session_with(till: Any, display: Any) -> SaleSession:
    return SaleSession(
        till.context,
        till.services.catalog,
        SimulatedPrinter(),
        SimulatedDrawer(),
        display=display,
    )


def test_the_customer_sees_each_item_the_total_and_the_change(make_till: Any) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    display = RecordingDisplay()
    sale = session_with(till, display)
    sale.scan(COKE)
    sale.scan(SODA_300)
    sale.add_payment("cash", 20000)
    result = sale.complete()
    assert display.shown == [
        ("item", "Coca-Cola 500ml", 8000, 8000),
        ("item", "Jambo Soda 300ml", 6000, 14000),
        ("total", 14000, 6000),  # at payment
        ("total", 14000, 6000),  # at completion
    ]
    assert result.change_cents == 6000


def test_a_broken_display_never_disturbs_the_sale(make_till: Any) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    sale = session_with(till, RecordingDisplay(fail=True))
    assert sale.scan(COKE).added
    sale.add_payment("cash", 8000)
    assert sale.complete().receipt_no == "S01-T01-000001"


def test_the_display_feed_never_makes_the_scan_wait_and_sends_the_latest() -> None:
    release = threading.Event()

    class SlowDisplay(RecordingDisplay):
        def show_item(self, name: str, price_cents: int, total_cents: int) -> None:
            release.wait(5)  # a display whose serial port hangs
            super().show_item(name, price_cents, total_cents)

    slow = SlowDisplay()
    feed = DisplayFeed(slow)
    started = time.monotonic()
    for n in range(5):
        feed.show_item(f"item {n}", n, n)
    assert time.monotonic() - started < 0.5  # posting never blocks
    release.set()
    assert feed.wait_until_idle(5)
    assert slow.shown[-1] == ("item", "item 4", 4, 4)
    assert len(slow.shown) <= 2  # the first (already sending) and the newest, nothing between
    feed.stop()


def test_the_display_feed_survives_a_failing_display() -> None:
    feed = DisplayFeed(RecordingDisplay(fail=True))
    feed.show_total(100)
    assert feed.wait_until_idle(5)
    assert not feed.status().ok
    feed.stop()


def test_device_settings_need_a_manager(make_till: Any) -> None:
    till = make_till()
    till.services.auth.login(CASHIER_PIN)
    admin = till.services.devices
    with pytest.raises(ApprovalRequired) as asked:
        admin.open_settings()
    approval = till.services.auth.approve(MANAGER_PIN, asked.value.action)
    assert asked.value.action == Action.DEVICE_SETTINGS
    setup = admin.open_settings(approval)
    assert setup.load()["printer"]["kind"] == "simulated"
    assert audit(till)[-1][:3] == (
        "device_settings_opened",
        user_id(till, "Amina"),
        user_id(till, "Wanjiru"),
    )

    # The simulated drawer opens nothing: no event. A real drawer: a drawer.opened no-sale.
    sections = setup.load()
    assert setup.test_drawer(sections).ok
    assert [e for e in outbox(till) if e["type"] == "drawer.opened"] == []
    sections["drawer"] = {**sections["drawer"], "kind": "serial", "serial_port": "loop://"}
    assert setup.test_drawer(sections).ok
    (event,) = [e for e in outbox(till) if e["type"] == "drawer.opened"]
    assert event["payload"]["reason"] == "no_sale"
    assert event["payload"]["approved_by"] == user_id(till, "Wanjiru")
