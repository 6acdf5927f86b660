"""The store's details printed on every document: head office's values once pulled, else the
till's own settings file."""

from __future__ import annotations

import json

from asiria_desktop.domain.receipt import StoreInfo
from asiria_desktop.ports.records import STORE_SETTINGS_KEY
from asiria_desktop.ports.unit_of_work import UnitOfWork


def store_from_cloud(raw: str | None, local: StoreInfo) -> StoreInfo:
    """``local`` with every detail head office set (a pulled ``cloud.store`` JSON) put over it."""
    if not raw:
        return local
    pulled = json.loads(raw)
    return StoreInfo(
        name=pulled.get("name") or local.name,
        address=pulled.get("address") or local.address,
        tax_pin=pulled.get("tax_pin") or local.tax_pin,
        phone=pulled.get("phone") or local.phone,
        footer=pulled.get("receipt_footer") or local.footer,
        mark=local.mark,
    )


def current_store(uow: UnitOfWork, local: StoreInfo) -> StoreInfo:
    """The details as they stand in this transaction: a pull that renamed the store is on the
    very next document, not only after a restart."""
    return store_from_cloud(uow.settings.get(STORE_SETTINGS_KEY), local)
