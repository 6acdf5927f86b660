"""The device settings screen behind a manager's approval.

``open_settings(approval)`` checks the approval and hands the screen the DeviceSetup port,
wrapped so that what the screen does is on record: saving is audited, and the "Open drawer" test
is a drawer opening like any other: a ``drawer.opened`` (``no_sale``) event with the approving
manager, committed before the drawer is kicked (the rule of ``ShiftService.no_sale``).
"""

from __future__ import annotations

from asiria_desktop.domain.errors import DomainError
from asiria_desktop.domain.events import DrawerReason, EventType, drawer_opened_payload
from asiria_desktop.domain.permissions import Action
from asiria_desktop.ports.device_setup import (
    DeviceSetup,
    FoundDevices,
    SectionsIn,
    SettingsSections,
)
from asiria_desktop.ports.devices import DeviceStatus
from asiria_desktop.services.context import TillContext, storage_errors
from asiria_desktop.services.results import Approval
from asiria_desktop.services.signin.approvals import authorize

Sections = SectionsIn


class DeviceAdmin:
    def __init__(self, ctx: TillContext, setup: DeviceSetup | None) -> None:
        self._ctx = ctx
        self._setup = setup

    @property
    def available(self) -> bool:
        return self._setup is not None

    def open_settings(self, approval: Approval | None = None) -> DeviceSetup:
        """The device settings of this till, for the settings screen (a manager's job)."""
        approver = authorize(self._ctx, Action.DEVICE_SETTINGS, approval)
        cashier = self._ctx.require_cashier()
        if self._setup is None:
            raise DomainError("This till has no device settings screen.")
        with storage_errors("The device settings were not opened"), self._ctx.uow() as uow:
            uow.audit.record(
                "device_settings_opened", cashier.user_id, approver, {}, self._ctx.clock.now()
            )
            uow.commit()
        return AuditedDeviceSetup(self._setup, self._ctx, cashier.user_id, approver)


class AuditedDeviceSetup:
    """Implements the DeviceSetup port in front of the hardware one, on the record."""

    def __init__(
        self, setup: DeviceSetup, ctx: TillContext, cashier_id: str, approver_id: str | None
    ) -> None:
        self._setup = setup
        self._ctx = ctx
        self._cashier_id = cashier_id
        self._approver_id = approver_id

    def load(self) -> SettingsSections:
        return self._setup.load()

    def save(self, sections: Sections) -> None:
        self._setup.save(sections)
        with storage_errors("The change was saved but not logged"), self._ctx.uow() as uow:
            uow.audit.record(
                "device_settings_saved",
                self._cashier_id,
                self._approver_id,
                {name: dict(values) for name, values in sections.items()},
                self._ctx.clock.now(),
            )
            uow.commit()

    def discover(self) -> FoundDevices:
        return self._setup.discover()

    def test_print(self, sections: Sections) -> DeviceStatus:
        return self._setup.test_print(sections)

    def test_drawer(self, sections: Sections) -> DeviceStatus:
        if not _real_drawer(sections):  # a simulated drawer opens nothing: nothing to record
            return self._setup.test_drawer(sections)
        now = self._ctx.clock.now()
        with storage_errors("The drawer opening was not recorded"), self._ctx.uow() as uow:
            shift = uow.shifts.open_for_terminal()
            payload = drawer_opened_payload(
                self._ctx.ids(),
                DrawerReason.NO_SALE,
                self._cashier_id,
                now,
                self._approver_id,
                shift.id if shift is not None else None,
            )
            uow.outbox.append(str(EventType.DRAWER_OPENED), payload, now)
            uow.audit.record(
                str(Action.NO_SALE),
                self._cashier_id,
                self._approver_id,
                {"reason": "drawer test (device settings)"},
                now,
            )
            uow.commit()
        self._ctx.events_committed()
        return self._setup.test_drawer(sections)

    def test_scan(self, sections: Sections, timeout_s: float) -> DeviceStatus:
        return self._setup.test_scan(sections, timeout_s)


def _real_drawer(sections: Sections) -> bool:
    drawer = str(sections.get("drawer", {}).get("kind", "printer"))
    printer = str(sections.get("printer", {}).get("kind", "simulated"))
    if drawer == "printer":
        return printer not in ("simulated", "none")
    return drawer not in ("simulated", "none")
