"""Pulled changes (wire ``data``, docs/design/sync.md "Pull") -> records the till stores.

Barcodes are stored normalised (``domain.barcodes.normalise_barcode``: 13-digit GTIN, or a
scale item's base code) so a scan finds a pulled product exactly as it finds a local one.
"""

from __future__ import annotations

import logging
from typing import Any

from asiria_desktop.domain.barcodes import VariableMeasureLayout, normalise_barcode
from asiria_desktop.domain.customer import normalise_phone
from asiria_desktop.domain.errors import DomainError, InvalidBarcode
from asiria_desktop.domain.times import parse_rfc3339
from asiria_desktop.ports.cloud import Change
from asiria_desktop.ports.notices import NoticeRecord
from asiria_desktop.ports.records import (
    CategoryRecord,
    CustomerRecord,
    ProductRecord,
    UserRecord,
)
from asiria_desktop.ports.sync_store import (
    BasketCompanion,
    BasketHintRecord,
    CatalogChange,
    Record,
    StockLevelRecord,
    StoreRecord,
    TaxClassRecord,
)

log = logging.getLogger(__name__)

ENTITIES = (
    "tax_class",
    "category",
    "product",
    "user",
    "store",
    "stock_level",
    "basket_hint",
    "notice",
    "customer",
)
MAX_COMPANIONS = 10  # the cloud sends 3; a longer list is cut, not trusted


class BadChange(ValueError):
    """A change whose data the till cannot use (missing or wrongly typed fields)."""


def _text(data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key, default)
    return default if value is None else str(value)


def _barcode(value: Any, layout: VariableMeasureLayout) -> str | None:
    if value is None or not str(value).strip():
        return None
    try:
        return normalise_barcode(str(value), layout)
    except InvalidBarcode:
        return str(value).strip()  # a shop's own code (Code 128...): stored as typed


def _record(change: Change, layout: VariableMeasureLayout) -> Record:
    d = change.data
    entity = change.entity
    if entity == "product":
        return ProductRecord(
            id=str(d["id"]),
            name=str(d["name"]),
            price_cents=int(d["price_cents"]),
            tax_class=_text(d, "tax_class", "standard"),
            barcode=_barcode(d.get("barcode"), layout),
            sku=d.get("sku") or None,
            sold_by_weight=bool(d.get("sold_by_weight", False)),
            category_id=d.get("category_id") or None,
            active=bool(d.get("active", True)),
        )
    if entity == "category":
        return CategoryRecord(str(d["id"]), str(d["name"]), 0, d.get("parent_id") or None)
    if entity == "user":
        return UserRecord(
            id=str(d["id"]),
            name=str(d["name"]),
            role=str(d["role"]),
            pin_hash=_text(d, "pin_hash"),  # "" = no PIN yet: cannot log in on a till
            active=bool(d.get("active", True)),
        )
    if entity == "tax_class":
        return TaxClassRecord(
            str(d["id"]),
            str(d["code"]),
            _text(d, "name"),
            int(d["rate_bp"]),
            bool(d.get("inclusive", True)),
        )
    if entity == "store":
        return StoreRecord(
            id=str(d["id"]),
            code=_text(d, "code"),
            name=_text(d, "name"),
            address=_text(d, "address"),
            tax_pin=_text(d, "tax_pin"),
            phone=_text(d, "phone"),
            receipt_footer=_text(d, "receipt_footer"),
            currency=_text(d, "currency", "KES"),
            time_zone=_text(d, "time_zone"),
        )
    if entity == "stock_level":
        threshold = d.get("low_stock_threshold_milli")
        return StockLevelRecord(
            str(d.get("product_id") or d["id"]),
            int(d["on_hand_milli"]),
            None if threshold is None else int(threshold),
        )
    if entity == "basket_hint":
        return BasketHintRecord(
            str(d.get("product_id") or d["id"]),
            tuple(
                BasketCompanion(
                    str(c["product_id"]),
                    str(c["name"])[:200],
                    min(max(int(c["confidence_bp"]), 0), 10_000),
                    max(int(c["lift_milli"]), 0),
                )
                for c in list(d.get("with") or [])[:MAX_COMPANIONS]
            ),
        )
    if entity == "notice":
        read_by = d.get("read_by") or []
        if not isinstance(read_by, list):
            raise BadChange("read_by is not a list")
        return NoticeRecord(
            id=str(d["id"]),
            kind=_text(d, "kind", "info")[:32],
            message=str(d["message"])[:500],
            created_at=str(d["created_at"]),
            audience=_text(d, "audience", "managers"),
            read_by=tuple(str(user) for user in read_by),
        )
    if entity == "customer":
        try:
            phone = normalise_phone(str(d["phone"]))
        except DomainError as exc:
            raise BadChange(f"phone {d['phone']!r}: {exc.message}") from exc
        return CustomerRecord(
            id=str(d["id"]),
            phone=phone,
            name=_text(d, "name")[:120],
            whatsapp_consent=d.get("whatsapp_consent") is True,
            updated_at=parse_rfc3339(str(d["updated_at"])),
        )
    raise BadChange(f"unknown entity {entity!r}")


def to_catalog_changes(changes: list[Change], layout: VariableMeasureLayout) -> list[CatalogChange]:
    """Unknown entities (a newer server) and unusable rows are skipped with a log line: one
    bad row must not stop a till from ever pulling again."""
    out: list[CatalogChange] = []
    for change in changes:
        if change.entity not in ENTITIES:
            log.info("ignoring pulled change of unknown entity %r", change.entity)
            continue
        try:
            entity_id = str(change.data["id"])
            if change.op == "delete":
                out.append(CatalogChange(change.entity, entity_id, None))
            elif change.op == "upsert":
                record = _record(change, layout)
                key = (
                    record.product_id
                    if isinstance(record, StockLevelRecord | BasketHintRecord)
                    else entity_id
                )
                out.append(CatalogChange(change.entity, key, record))
            else:
                log.warning("ignoring pulled change %s with op %r", change.seq, change.op)
        except (KeyError, TypeError, ValueError) as exc:
            log.warning(
                "ignoring unusable pulled change %s (%s): %s", change.seq, change.entity, exc
            )
    return out
