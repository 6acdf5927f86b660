"""A fake fprintd for tests: ``python fake_fprintd.py BUS_ADDRESS`` serves it on that bus.

It exports ``net.reactivated.Fprint`` with the real object paths, interfaces, method and signal
names (Manager.GetDefaultDevice; Device.Claim, Release, ListEnrolledFingers,
DeleteEnrolledFingers2, VerifyStart/Stop, EnrollStart/Stop; signals VerifyStatus, EnrollStatus)
and fprintd's error names. Prints are kept per claimed user name, as fprintd does.

What the next touch is comes from a test-only interface, ``org.asiria.FakeFprint.SetTouch(s)``:
an account name (that account's enrolled finger), "stranger" (a finger nobody enrolled), "" (no
touch at all), prefixed with "retry:" to send one "verify-retry-scan" first. ``Calls()`` lists
the Device methods called, in order. ``SetReader(b)`` unplugs or plugs the reader.
"""

from __future__ import annotations

import sys

from jeepney import DBusAddress, HeaderFields, MessageType, new_error, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

DEVICE_PATH = "/net/reactivated/Fprint/Device/0"
DEVICE = "net.reactivated.Fprint.Device"
ERROR = "net.reactivated.Fprint.Error."


class FakeFprintd:
    def __init__(self, conn) -> None:  # type: ignore[no-untyped-def]
        self.conn = conn
        self.prints: dict[str, set[str]] = {}
        self.claimed_by: str | None = None  # the unique bus name of the claimer
        self.user = ""
        self.touch = "stranger"
        self.reader = True
        self.calls: list[str] = []
        self.emitter = DBusAddress(DEVICE_PATH, interface=DEVICE)

    def serve(self) -> None:
        while True:
            msg = self.conn.receive()
            if msg.header.message_type != MessageType.method_call:
                continue
            fields = msg.header.fields
            member = fields[HeaderFields.member]
            path = fields[HeaderFields.path]
            after = []
            try:
                if path == "/org/asiria/FakeFprint":
                    reply = self.control(msg, member)
                elif path == "/net/reactivated/Fprint/Manager" and member == "GetDefaultDevice":
                    if not self.reader:
                        raise Refused("NoSuchDevice", "No devices available")
                    reply = new_method_return(msg, "o", (DEVICE_PATH,))
                elif path == DEVICE_PATH:
                    self.calls.append(member)
                    reply, after = self.device(msg, member, fields[HeaderFields.sender])
                else:
                    raise Refused("Internal", f"unknown {path} {member}")
            except Refused as exc:
                reply = new_error(msg, ERROR + exc.name, "s", (exc.text,))
            self.conn.send(reply)
            for result, done in after:
                self.conn.send(new_signal(self.emitter, after_signal(result), "sb", (result, done)))

    def control(self, msg, member):  # type: ignore[no-untyped-def]
        if member == "SetTouch":
            self.touch = msg.body[0]
            return new_method_return(msg)
        if member == "SetReader":
            self.reader = bool(msg.body[0])
            return new_method_return(msg)
        if member == "Calls":
            return new_method_return(msg, "as", (self.calls,))
        if member == "Prints":
            return new_method_return(msg, "as", (sorted(self.prints),))
        raise Refused("Internal", member)

    def device(self, msg, member, sender):  # type: ignore[no-untyped-def]
        ok = new_method_return(msg)
        if member == "Claim":
            if self.claimed_by is not None:
                raise Refused("AlreadyInUse", "Device was already claimed")
            self.claimed_by, self.user = sender, msg.body[0]
            return ok, []
        if self.claimed_by != sender:
            raise Refused("ClaimDevice", "Device was not claimed before use")
        if member == "Release":
            self.claimed_by = None
            return ok, []
        if member == "ListEnrolledFingers":
            fingers = sorted(self.prints.get(msg.body[0], ()))
            if not fingers:
                raise Refused("NoEnrolledPrints", "Failed to discover prints")
            return new_method_return(msg, "as", (fingers,)), []
        if member == "DeleteEnrolledFingers2":
            self.prints.pop(self.user, None)
            return ok, []
        if member == "EnrollStart":
            self.prints.setdefault(self.user, set()).add(msg.body[0])
            stages = [("enroll-stage-passed", False)] * 2
            return ok, [*stages, ("enroll-completed", True)]
        if member == "VerifyStart":
            touch = self.touch
            statuses = []
            if touch.startswith("retry:"):
                statuses.append(("verify-retry-scan", False))
                touch = touch.removeprefix("retry:")
            if touch == "":
                return ok, statuses  # nobody touches: no verdict ever comes
            match = touch == self.user and self.user in self.prints
            statuses.append(("verify-match" if match else "verify-no-match", True))
            return ok, statuses
        if member in ("VerifyStop", "EnrollStop"):
            return ok, []
        raise Refused("Internal", member)


class Refused(Exception):
    def __init__(self, name: str, text: str) -> None:
        super().__init__(text)
        self.name, self.text = name, text


def after_signal(result: str) -> str:
    return "VerifyStatus" if result.startswith("verify-") else "EnrollStatus"


def main() -> None:
    conn = open_dbus_connection(bus=sys.argv[1])
    conn.send_and_get_reply(message_bus.RequestName("net.reactivated.Fprint"))
    conn.send_and_get_reply(message_bus.RequestName("org.asiria.FakeFprint"))
    print("ready", flush=True)
    FakeFprintd(conn).serve()


if __name__ == "__main__":
    main()
