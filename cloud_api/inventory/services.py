"""Stock writes: every change is a movement; crossing the low-stock line notifies the store."""

from __future__ import annotations

from uuid import UUID

from django.db import IntegrityError, transaction

from cloud_api.accounts.models import Store, User
from cloud_api.catalog.models import Product
from cloud_api.core.errors import ApplicationError
from cloud_api.inventory.models import StockLevel, StockMovement
from cloud_api.notifications.services import notification_notify_store


def _locked_level(*, store: Store, product: Product) -> StockLevel:
    """The level row, locked for this transaction (created on first use)."""
    level = StockLevel.objects.select_for_update().filter(store=store, product=product).first()
    if level is not None:
        return level
    try:
        with transaction.atomic():  # savepoint: a racing insert must not poison the caller
            return StockLevel.objects.create(store=store, product=product)
    except IntegrityError:
        return StockLevel.objects.select_for_update().get(store=store, product=product)


@transaction.atomic
def stock_movement_record(
    *,
    store: Store,
    product: Product,
    delta_milli: int,
    reason: str,
    reference: UUID | None = None,
    note: str = "",
    created_by: User | None = None,
) -> StockMovement:
    """Apply a delta. A sale is never refused for lack of stock: the shelf is the truth."""
    if product.organisation_id != store.organisation_id:
        raise ApplicationError("This product belongs to another organisation.")
    level = _locked_level(store=store, product=product)
    before = level.on_hand_milli
    level.on_hand_milli = before + delta_milli
    level.save(update_fields=["on_hand_milli", "updated_at"])
    movement = StockMovement.objects.create(
        store=store,
        product=product,
        delta_milli=delta_milli,
        reason=reason,
        reference=reference,
        note=note,
        created_by=created_by,
    )
    threshold = level.low_stock_threshold_milli
    if threshold is not None and before > threshold >= level.on_hand_milli:
        notification_notify_store(
            store=store,
            kind="low_stock",
            message=(
                f"Low stock at {store.name}: {product.name} is down to "
                f"{_display_qty(level.on_hand_milli)} (threshold {_display_qty(threshold)})."
            ),
            data={"product_id": str(product.uuid), "store_id": str(store.uuid)},
        )
    return movement


def _display_qty(milli: int) -> str:
    whole, rest = divmod(abs(milli), 1000)
    sign = "-" if milli < 0 else ""
    return f"{sign}{whole}" if rest == 0 else f"{sign}{whole}.{rest:03d}".rstrip("0")


@transaction.atomic
def stock_threshold_set(
    *, store: Store, product: Product, threshold_milli: int | None
) -> StockLevel:
    level = _locked_level(store=store, product=product)
    level.low_stock_threshold_milli = threshold_milli
    level.save(update_fields=["low_stock_threshold_milli", "updated_at"])
    return level
