"""Stock writes: every change is a movement; crossing the low-stock line notifies the store."""

from __future__ import annotations

from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone
from uuid6 import uuid7

from cloud_api.accounts.models import Store, User
from cloud_api.catalog.models import Product
from cloud_api.core.bounds import STOCK_LEVEL_MAX_MILLI
from cloud_api.core.bulk import insert_rows
from cloud_api.core.errors import ApplicationError
from cloud_api.inventory.models import StockLevel, StockMovement
from cloud_api.notifications.services import notification_notify_store
from cloud_api.sync.services import changes_record

MOVEMENT_FIELDS = (
    "uuid",
    "created_at",
    "updated_at",
    "store",
    "product",
    "delta_milli",
    "reason",
    "reference",
    "note",
    "created_by",
)


def _add_to_levels(*, store: Store, deltas: dict[int, int]) -> dict[int, StockLevel]:
    """Add deltas to the level rows in one upsert; returns the rows after, locked.

    An upsert rather than read-then-write: with read-then-write, two sales that both create a
    product's first level row deadlock (each holds a shared lock from the duplicate-key check
    and wants an exclusive one). Rows are written in product order so that sales touching the
    same products queue up instead of deadlocking.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (store.pk, product_id, _held(delta), now) for product_id, delta in sorted(deltas.items())
    ]
    table = StockLevel._meta.db_table
    placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    # The level is held within +-STOCK_LEVEL_MAX_MILLI, the old one clamped before the add:
    # a level pushed to the edge (or one written before this rule) never makes the 64-bit
    # sum overflow, which would refuse every later sale of the product in the store.
    limit = STOCK_LEVEL_MAX_MILLI
    if connection.vendor == "mysql":
        held = f"LEAST(GREATEST(on_hand_milli, {-limit}), {limit})"
        added = f"LEAST(GREATEST({held} + VALUES(on_hand_milli), {-limit}), {limit})"
        conflict = (
            f"ON DUPLICATE KEY UPDATE on_hand_milli = {added}, updated_at = VALUES(updated_at)"
        )
    else:  # SQLite, for the demo
        held = f"MIN(MAX(on_hand_milli, {-limit}), {limit})"
        added = f"MIN(MAX({held} + excluded.on_hand_milli, {-limit}), {limit})"
        conflict = (
            # Not injectable: built from a constant; values go as parameters.
            "ON CONFLICT (store_id, product_id) DO UPDATE SET"  # nosec B608
            f" on_hand_milli = {added}, updated_at = excluded.updated_at"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            # Not injectable: the model's table name, "%s" placeholders and the constant
            # clause above; every value goes as a parameter.
            f"INSERT INTO {table} (store_id, product_id, on_hand_milli, updated_at)"  # nosec B608
            f" VALUES {placeholders} {conflict}",
            [value for row in rows for value in row],
        )
    levels = StockLevel.objects.filter(store=store, product_id__in=list(deltas))
    return {level.product_id: level for level in levels}


def _held(milli: int) -> int:
    return max(-STOCK_LEVEL_MAX_MILLI, min(STOCK_LEVEL_MAX_MILLI, milli))


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
    return stock_movements_record_many(
        store=store,
        items=[(product, delta, reference) for product, delta in deltas],
        reason=reason,
        note=note,
        created_by=created_by,
    )


@transaction.atomic(savepoint=False)
def stock_movements_record_many(
    *,
    store: Store,
    items: list[tuple[Product, int, UUID | None]],
    reason: str,
    note: str = "",
    created_by: User | None = None,
    notify_oversell: bool = False,
    returning: bool = True,
) -> list[StockMovement]:
    """Movements of many records at once (a pushed batch of sales), each ``(product, delta,
    reference)``: one upsert for all the level rows, one insert for the movements, one change
    per product for the tills' pull. ``returning=False`` skips building model objects (the
    push's hot path) and returns nothing."""
    if not items:
        return []
    if any(product.organisation_id != store.organisation_id for product, _, _ in items):
        raise ApplicationError("A product belongs to another organisation.")
    totals: dict[int, int] = {}
    for product, delta, _ in items:
        totals[product.pk] = totals.get(product.pk, 0) + delta
    levels = _add_to_levels(store=store, deltas=totals)
    _levels_changed(store, {product.uuid for product, _, _ in items})
    movements: list[StockMovement] = []
    if returning:
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
            for product, delta, reference in items
        )
    else:
        now, by = timezone.now(), created_by.pk if created_by else None
        insert_rows(
            StockMovement,
            MOVEMENT_FIELDS,
            (
                (uuid7(), now, now, store.pk, product.pk, delta, reason, reference, note, by)
                for product, delta, reference in items
            ),
        )
    products = {product.pk: product for product, _, _ in items}
    for product_id, level in levels.items():
        threshold = level.low_stock_threshold_milli
        before = level.on_hand_milli - totals[product_id]
        if threshold is not None and before > threshold >= level.on_hand_milli:
            _notify_low_stock(store, products[product_id], level.on_hand_milli, threshold)
        if notify_oversell and before >= 0 > level.on_hand_milli:
            _notify_oversell(store, products[product_id], level.on_hand_milli)
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


def _notify_oversell(store: Store, product: Product, on_hand: int) -> None:
    """Sold more than the books say we had: the sale stands (the shelf is the truth), but
    the count is wrong somewhere and a manager should look."""
    notification_notify_store(
        store=store,
        kind="oversell",
        message=(
            f"Oversold at {store.name}: {product.name} is at {_display_qty(on_hand)} "
            "after a till's sales; please count it."
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
    level = _add_to_levels(store=store, deltas={product.pk: 0})[product.pk]
    level.low_stock_threshold_milli = threshold_milli
    level.save(update_fields=["low_stock_threshold_milli", "updated_at"])
    _levels_changed(store, {product.uuid})
    return level


def _levels_changed(store: Store, product_uuids: set) -> None:
    changes_record(
        organisation_id=store.organisation_id,
        entity="stock_level",
        entity_ids=sorted(product_uuids),
        store_id=store.pk,
    )
