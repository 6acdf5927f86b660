"""Stock writes: every change is a movement; crossing the low-stock line notifies the store."""

from __future__ import annotations

from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from cloud_api.accounts.models import Store, User
from cloud_api.catalog.models import Product
from cloud_api.core.errors import ApplicationError
from cloud_api.inventory.models import StockLevel, StockMovement
from cloud_api.notifications.services import notification_notify_store


def _locked_levels(*, store: Store, product_ids: list[int]) -> dict[int, StockLevel]:
    """The level rows of these products, locked for this transaction (created on first use).

    Rows are locked in id order, so two sales touching the same products cannot deadlock.
    """
    wanted = sorted(set(product_ids))
    existing = {
        level.product_id
        for level in StockLevel.objects.filter(store=store, product_id__in=wanted).only(
            "product_id"
        )
    }
    for product_id in wanted:
        if product_id in existing:
            continue
        try:
            with transaction.atomic():  # savepoint: a racing insert must not poison the caller
                StockLevel.objects.create(store=store, product_id=product_id)
        except IntegrityError:
            pass  # another transaction created it first; the lock below waits for it
    levels = StockLevel.objects.select_for_update().filter(store=store, product_id__in=wanted)
    return {level.product_id: level for level in levels.order_by("id")}


@transaction.atomic(savepoint=False)
def stock_movements_record(
    *,
    store: Store,
    deltas: list[tuple[Product, int]],
    reason: str,
    reference: UUID | None = None,
    note: str = "",
    created_by: User | None = None,
) -> list[StockMovement]:
    """Apply several deltas at once (a sale's lines). A sale is never refused for lack of
    stock: the shelf is the truth, and a negative level only shows the oversell."""
    if any(product.organisation_id != store.organisation_id for product, _ in deltas):
        raise ApplicationError("A product belongs to another organisation.")
    levels = _locked_levels(store=store, product_ids=[product.pk for product, _ in deltas])
    before = {product_id: level.on_hand_milli for product_id, level in levels.items()}
    for product, delta in deltas:
        levels[product.pk].on_hand_milli += delta
    now = timezone.now()
    for level in levels.values():
        level.updated_at = now
    StockLevel.objects.bulk_update(levels.values(), ["on_hand_milli", "updated_at"])
    movements = StockMovement.objects.bulk_create(
        StockMovement(
            store=store,
            product=product,
            delta_milli=delta,
            reason=reason,
            reference=reference,
            note=note,
            created_by=created_by,
        )
        for product, delta in deltas
    )
    products = {product.pk: product for product, _ in deltas}
    for product_id, level in levels.items():
        threshold = level.low_stock_threshold_milli
        if threshold is not None and before[product_id] > threshold >= level.on_hand_milli:
            _notify_low_stock(store, products[product_id], level.on_hand_milli, threshold)
    return movements


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
    """Apply one delta (an adjustment, one received line)."""
    return stock_movements_record(
        store=store,
        deltas=[(product, delta_milli)],
        reason=reason,
        reference=reference,
        note=note,
        created_by=created_by,
    )[0]


def _notify_low_stock(store: Store, product: Product, on_hand: int, threshold: int) -> None:
    notification_notify_store(
        store=store,
        kind="low_stock",
        message=(
            f"Low stock at {store.name}: {product.name} is down to "
            f"{_display_qty(on_hand)} (threshold {_display_qty(threshold)})."
        ),
        data={"product_id": str(product.uuid), "store_id": str(store.uuid)},
    )


def _display_qty(milli: int) -> str:
    whole, rest = divmod(abs(milli), 1000)
    sign = "-" if milli < 0 else ""
    return f"{sign}{whole}" if rest == 0 else f"{sign}{whole}.{rest:03d}".rstrip("0")


@transaction.atomic
def stock_threshold_set(
    *, store: Store, product: Product, threshold_milli: int | None
) -> StockLevel:
    level = _locked_levels(store=store, product_ids=[product.pk])[product.pk]
    level.low_stock_threshold_milli = threshold_milli
    level.save(update_fields=["low_stock_threshold_milli", "updated_at"])
    return level
