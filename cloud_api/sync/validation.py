"""Checking pushed events against the contract, fast enough for 500-event batches.

The envelope and the ``sale.completed`` payload are checked with the shared contract itself
(``contract/sync-v1.schema.json``, the same file as ``tests/contract/``), the other payloads
with the cloud's ``contract/events-v1.schema.json`` (docs/events.md as a schema). Both through
jsonschema-rs: a compiled Rust validator checks a sale in microseconds, where a DRF
serializer takes a millisecond, which alone would cap a push below the 1,000 sales/s target.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import jsonschema_rs

from cloud_api.core.bounds import FIRST_YEAR, LAST_YEAR
from cloud_api.sales.payloads import SalePayload

CONTRACT = Path(__file__).resolve().parent / "contract"
PAYLOAD_DEFINITIONS = {
    "sale.completed": "Rounding",  # the rest of the sale is checked with the envelope
    "sale.voided": "SaleVoided",
    "refund.created": "RefundCreated",
    "shift.opened": "ShiftOpened",
    "shift.closed": "ShiftClosed",
    "cash.moved": "CashMoved",
    "drawer.opened": "DrawerOpened",
    "stock.adjusted": "StockAdjusted",
    "goods.received": "GoodsReceived",
    "audit.recorded": "AuditRecorded",
    "notice.read": "NoticeRead",
}
EVENT_TYPES = tuple(PAYLOAD_DEFINITIONS)


@cache
def _definitions() -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    for name in ("sync-v1.schema.json", "events-v1.schema.json"):
        definitions.update(json.loads((CONTRACT / name).read_text(encoding="utf-8"))["$defs"])
    return definitions


@cache
def _validator(definition: str) -> Any:
    schema = {"$defs": _definitions(), "$ref": f"#/$defs/{definition}"}
    return jsonschema_rs.Draft202012Validator(schema, validate_formats=True)


def _errors(validator: Any, instance: Any, prefix: str) -> str | None:
    if validator.is_valid(instance):
        return None
    messages = []
    for error in list(validator.iter_errors(instance))[:3]:
        path = "/".join(str(part) for part in error.instance_path)
        message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
        messages.append(f"{prefix}{path}: {message}" if path or prefix else message)
    return "; ".join(messages)


def event_problem(event: Any) -> str | None:
    """Why this event breaks the contract (a short message for the till's manager), or None."""
    problem = _errors(_validator("Event"), event, "")
    if problem is not None:
        return problem
    return _errors(_validator(PAYLOAD_DEFINITIONS[event["type"]]), event["payload"], "payload/")


def parse_time(value: str) -> datetime:
    """An RFC 3339 time the schema accepted; ValueError when Python or MariaDB cannot hold it."""
    moment = datetime.fromisoformat(value.upper().replace(" ", "T"))
    if moment.tzinfo is None or not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"time {value} is out of range")
    return moment


def sale_from_wire(payload: dict[str, Any]) -> SalePayload:
    """A checked ``sale.completed`` payload with UUIDs and datetimes, the shape the sales
    services take (what ``SaleIn`` gives the REST path)."""
    sale = {
        **payload,
        "id": UUID(payload["id"]),
        "cashier_id": UUID(payload["cashier_id"]),
        "shift_id": UUID(payload["shift_id"]) if payload.get("shift_id") else None,
        "completed_at": parse_time(payload["completed_at"]),
        "rounding_cents": payload.get("rounding_cents") or 0,
        "lines": [
            {
                **line,
                "id": UUID(line["id"]),
                "product_id": UUID(line["product_id"]),
                "barcode": line.get("barcode"),
            }
            for line in payload["lines"]
        ],
        "payments": [
            {**payment, "id": UUID(payment["id"]), "reference": payment.get("reference")}
            for payment in payload["payments"]
        ],
    }
    return cast(SalePayload, sale)  # the contract's schema checked every field's type
