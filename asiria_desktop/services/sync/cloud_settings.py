"""What head office set wins over the till's own settings file: the store's details, the
standard tax rate, and the store and terminal codes enrolment gave this till.

Read once when the till starts. Documents read the store details again at each commit
(``services.store_details``), so a store renamed by a later pull is printed at once."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Protocol

from asiria_desktop.domain.tax import TaxClass, TaxRule, TaxTable
from asiria_desktop.ports.sync_store import TaxClassRecord
from asiria_desktop.ports.unit_of_work import UnitOfWorkFactory
from asiria_desktop.services.context import TillSettings
from asiria_desktop.services.devices.store_details import current_store


class PulledSettings(Protocol):
    """The part of the sync store that holds what was pulled from head office."""

    def tax_classes(self) -> list[TaxClassRecord]: ...

    def get_state(self, key: str) -> str | None: ...


def with_cloud_settings(
    settings: TillSettings, uow: UnitOfWorkFactory, pulled: PulledSettings
) -> TillSettings:
    with uow(read_only=True) as unit:
        settings = replace(settings, store=current_store(unit, settings.store))
    standard = next((t for t in pulled.tax_classes() if t.code == "standard"), None)
    if standard is not None:
        rules = dict(settings.tax_table.rules)
        for tax_class in TaxClass:
            rate = standard.rate_bp if tax_class is TaxClass.STANDARD else 0
            rules[tax_class] = TaxRule(rate, standard.inclusive)
        settings = replace(settings, tax_table=TaxTable(rules))
    raw_enrollment = pulled.get_state("enrollment")
    if raw_enrollment:
        enrollment = json.loads(raw_enrollment)
        settings = replace(
            settings,
            store_code=enrollment.get("store_code") or settings.store_code,
            terminal_code=enrollment.get("terminal_code") or settings.terminal_code,
        )
    return settings
