"""A private D-Bus bus (Debian's ``dbus-daemon``) with the fake fprintd on it, for one test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import unwrap_msg

FAKE = Path(__file__).with_name("fake_fprintd.py")
CONTROL = DBusAddress(
    "/org/asiria/FakeFprint", bus_name="org.asiria.FakeFprint", interface="org.asiria.FakeFprint"
)


@dataclass
class FakeFprintBus:
    address: str
    conn: DBusConnection

    def _call(self, method: str, signature: str | None = None, *args: object) -> tuple:
        message = new_method_call(CONTROL, method, signature, args)
        return unwrap_msg(self.conn.send_and_get_reply(message, timeout=10))

    def touch(self, who: str) -> None:
        """What the next touch of the reader is (see fake_fprintd.py)."""
        self._call("SetTouch", "s", who)

    def plug(self, present: bool) -> None:
        self._call("SetReader", "b", present)

    def calls(self) -> list[str]:
        return list(self._call("Calls")[0])

    def accounts_with_prints(self) -> list[str]:
        return list(self._call("Prints")[0])


@contextmanager
def fake_fprintd_bus() -> Iterator[FakeFprintBus]:
    daemon_path = shutil.which("dbus-daemon")
    if daemon_path is None:
        raise RuntimeError("dbus-daemon is missing: apt-get install -y dbus")
    daemon = subprocess.Popen(
        [daemon_path, "--session", "--nofork", "--print-address"],
        stdout=subprocess.PIPE,
        text=True,
    )
    service = None
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        service = subprocess.Popen(
            [sys.executable, str(FAKE), address], stdout=subprocess.PIPE, text=True
        )
        assert service.stdout is not None
        assert service.stdout.readline().strip() == "ready"
        with open_dbus_connection(bus=address) as conn:
            yield FakeFprintBus(address, conn)
    finally:
        for process in (service, daemon):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)
