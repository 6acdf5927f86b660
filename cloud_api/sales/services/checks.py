"""What a sale must pass before it is stored: its fingerprint (a retry or a different sale under
the same id), its amounts, cashier, products and ids, and its tax against the tax classes.

Pure given what was looked up, so a batch of pushed sales is checked with one query per kind."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from cloud_api.accounts.models import Organisation, Store, User
from cloud_api.catalog.models import Product
from cloud_api.core.errors import ApplicationError, ConflictError
from cloud_api.payments.models import Payment
from cloud_api.sales.models import Sale, SaleLine
from cloud_api.sales.money import Problems, sale_money_problems
from cloud_api.sales.payloads import PaymentPayload, SaleLinePayload, SalePayload
from cloud_api.sales.tax import sale_tax_inconsistencies, sale_tax_problems


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, UUID):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def payload_digest(payload: Mapping[str, Any]) -> str:
    """Fingerprint of a sale, so a retry is told apart from a different sale reusing an id.
    Times count as UTC instants, ids as text (converted as met, not by copying the payload)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=_json_default)
    return hashlib.sha256(text.encode()).hexdigest()


def stored_twin(sale_uuid: UUID, digest: str, store: Store) -> Sale | None:
    """The stored copy of this very sale (a retry), or None; a different sale under the same
    id is a conflict."""
    existing = Sale.objects.filter(uuid=sale_uuid).first()
    if existing is None:
        return None
    if existing.payload_sha256 == digest and existing.store_id == store.pk:
        return existing
    raise ConflictError(
        "A different sale with this id already exists.", fields={"id": ["Already used."]}
    )


def ids_repeat_within(lines: list[SaleLinePayload], payments: list[PaymentPayload]) -> bool:
    """Whether a line id or a payment id appears twice in one sale."""
    line_ids = [line["id"] for line in lines]
    payment_ids = [payment["id"] for payment in payments]
    return len(set(line_ids)) != len(line_ids) or len(set(payment_ids)) != len(payment_ids)


def check_ids_unused_elsewhere(
    lines: list[SaleLinePayload], payments: list[PaymentPayload]
) -> None:
    """A conflict when another stored sale already uses one of these line or payment ids."""
    if SaleLine.objects.filter(uuid__in=[line["id"] for line in lines]).exists():
        raise ConflictError(
            "A line id of this sale is already used by another sale.",
            fields={"lines": ["Line id already used."]},
        )
    if Payment.objects.filter(uuid__in=[payment["id"] for payment in payments]).exists():
        raise ConflictError(
            "A payment id of this sale is already used by another sale.",
            fields={"payments": ["Payment id already used."]},
        )


def sale_problem(
    *,
    organisation: Organisation,
    payload: SalePayload,
    cashiers: dict[UUID, User],
    products: dict[UUID, Product],
) -> ApplicationError | None:
    """Why this sale cannot be stored (amounts, currency, unknown cashier or product, a tax
    inconsistent in itself), or None. A tax that differs from the products' current tax
    classes is ``sale_tax_mismatch``'s finding: the caller decides what it means.

    Pure given the looked-up cashiers and products (with their tax classes), so a batch checks
    many sales with one query per kind."""
    lines, payments = payload["lines"], payload["payments"]
    inclusive = [
        products[line["product_id"]].tax_class.prices_include_tax
        if line["product_id"] in products
        else None
        for line in lines
    ]
    problems = sale_money_problems(
        sale=payload, lines=lines, payments=payments, inclusive=inclusive
    )
    if problems:
        first = next(iter(problems.values()))[0]
        return ApplicationError(f"The sale's amounts do not add up: {first}", fields=problems)
    if payload["currency"] != organisation.currency:
        return ApplicationError(
            f"This organisation sells in {organisation.currency}.",
            fields={"currency": [f"Expected {organisation.currency}."]},
        )
    if payload["cashier_id"] not in cashiers:
        return ApplicationError("Unknown cashier.", fields={"cashier_id": ["Unknown cashier."]})
    unknown = [str(line["product_id"]) for line in lines if line["product_id"] not in products]
    if unknown:
        return ApplicationError(
            f"Unknown product {unknown[0]}.", fields={"lines": [f"Unknown product {unknown[0]}."]}
        )
    if ids_repeat_within(lines, payments):
        return ApplicationError("Line and payment ids must be unique within the sale.")
    inconsistent = sale_tax_inconsistencies(
        sale=payload,
        lines=lines,
        tax_classes=[products[line["product_id"]].tax_class for line in lines],
    )
    if inconsistent:
        first = next(iter(inconsistent.values()))[0]
        return ApplicationError(f"The sale's tax is inconsistent: {first}", fields=inconsistent)
    return None


def sale_tax_mismatch(*, payload: SalePayload, products: dict[UUID, Product]) -> Problems:
    """Where the sale's tax differs from what its products' current tax classes make (empty
    when it does not). ``products`` holds every product of the sale, with its tax class."""
    lines = payload["lines"]
    return sale_tax_problems(
        lines=lines, tax_classes=[products[line["product_id"]].tax_class for line in lines]
    )


def tax_mismatch_error(problems: Problems) -> ApplicationError:
    first = next(iter(problems.values()))[0]
    return ApplicationError(
        f"The sale's tax does not follow its products' tax classes: {first}", fields=problems
    )
