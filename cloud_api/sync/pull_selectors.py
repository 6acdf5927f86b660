"""``GET /sync/pull/``: a page of the change log with each entity's current ``data``.

The change log only says "entity X changed"; the data is read from the entity's row when the
page is served (one query per entity kind per page), so a till always gets the newest state
and an entity changed ten times since its cursor comes once. Shapes: docs/design/sync.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.utils import timezone

from cloud_api.accounts.models import Organisation, Role, Store, User
from cloud_api.catalog.models import Category, Product, SoldBy, TaxClass
from cloud_api.core.principal import Principal
from cloud_api.customers.models import Customer
from cloud_api.inventory.models import StockLevel
from cloud_api.notifications.models import Notification, NotificationStatus
from cloud_api.sync.models import ChangeCounter, ChangeOp
from cloud_api.sync.selectors import ChangePage, ChangeRow, change_page

TILL_ROLES = {Role.CASHIER, Role.MANAGER, Role.OWNER}


@dataclass(frozen=True)
class PullPage:
    changes: list[dict[str, Any]]
    cursor: int
    has_more: bool
    remaining: int


def pull_page(*, principal: Principal, cursor: int, limit: int) -> PullPage:
    page = change_page(principal=principal, cursor=cursor, limit=limit)
    if not page.changes:
        return PullPage([], page.cursor, page.has_more, 0)
    found = entity_data(organisation_id=principal.organisation_id, changes=page.changes)
    out = []
    for change in page.changes:
        data = found.get((change.entity, change.entity_id, change.store_id))
        if change.op == ChangeOp.UPSERT and data is not None:
            out.append(_wire(change, "upsert", data))
        else:  # deleted, or no longer visible (a user moved to another store...)
            out.append(_wire(change, "delete", {"id": str(change.entity_id)}))
    return PullPage(out, page.cursor, page.has_more, _remaining(principal, page))


def entity_data(
    *, organisation_id: int, changes: Iterable[ChangeRow]
) -> dict[tuple[str, UUID, int | None], dict[str, Any]]:
    """The current ``data`` of the upserted entities a till may still see, keyed by (entity,
    entity_id, store_id). An upsert missing here is served as a delete (gone, or no longer
    visible), which is also how compaction recognises such a change as a tombstone."""
    found: dict[tuple[str, UUID, int | None], dict[str, Any]] = {}
    by_entity: dict[str, list[ChangeRow]] = {}
    for change in changes:
        if change.op == ChangeOp.UPSERT:
            by_entity.setdefault(change.entity, []).append(change)
    for entity, of_entity in by_entity.items():
        builder = BUILDERS.get(entity)
        if builder is not None:
            found.update(builder(organisation_id, of_entity))
    return found


def _wire(change: ChangeRow, op: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"seq": change.seq, "entity": change.entity, "op": op, "data": data}


def _remaining(principal: Principal, page: ChangePage) -> int:
    """About how many changes follow this page, for the till's progress bar: the numbers
    handed out after the cursor (one key read; a count would scan the rest of the log on
    every page). It counts other stores' and superseded changes too, so it errs high."""
    if not page.has_more:
        return 0
    last: int | None = (
        ChangeCounter.objects.filter(organisation_id=principal.organisation_id)
        .values_list("last_seq", flat=True)
        .first()
    )
    return max(0, (last or 0) - page.cursor)


Found = Iterable[tuple[tuple[str, UUID, int | None], dict[str, Any]]]


def _ids(changes: list[ChangeRow]) -> set[UUID]:
    return {change.entity_id for change in changes}


def _tax_classes(organisation_id: int, changes: list[ChangeRow]) -> Found:
    for row in TaxClass.objects.filter(organisation_id=organisation_id, uuid__in=_ids(changes)):
        yield (
            ("tax_class", row.uuid, None),
            {
                "id": str(row.uuid),
                "code": row.code,
                "name": row.name,
                "rate_bp": row.rate_basis_points,
                "inclusive": row.prices_include_tax,
            },
        )


def _categories(organisation_id: int, changes: list[ChangeRow]) -> Found:
    for uuid, name in Category.objects.filter(
        organisation_id=organisation_id, uuid__in=_ids(changes)
    ).values_list("uuid", "name"):
        yield ("category", uuid, None), {"id": str(uuid), "name": name, "parent_id": None}


def _products(organisation_id: int, changes: list[ChangeRow]) -> Found:
    # One table by its uuid index, then the few tax classes and categories by key: a join
    # lets the optimiser start from the 3 tax classes and scan every product of each.
    rows = list(
        Product.objects.filter(organisation_id=organisation_id, uuid__in=_ids(changes)).values_list(
            "uuid",
            "name",
            "barcode",
            "sku",
            "price_cents",
            "tax_class_id",
            "category_id",
            "sold_by",
            "active",
        )
    )
    tax_codes = dict(
        TaxClass.objects.filter(organisation_id=organisation_id).values_list("pk", "code")
    )
    categories = dict(
        Category.objects.filter(pk__in={row[6] for row in rows if row[6]}).values_list("pk", "uuid")
    )
    for uuid, name, barcode, sku, price, tax_class, category, sold_by, active in rows:
        yield (
            ("product", uuid, None),
            {
                "id": str(uuid),
                "name": name,
                "barcode": barcode,
                "sku": sku,
                "price_cents": price,
                "tax_class": tax_codes.get(tax_class),
                "category_id": str(categories[category]) if category in categories else None,
                "sold_by_weight": sold_by == SoldBy.WEIGHT,
                "active": active,
            },
        )


def _users(organisation_id: int, changes: list[ChangeRow]) -> Found:
    wanted = {(change.entity_id, change.store_id) for change in changes}
    for user in User.objects.filter(organisation_id=organisation_id, uuid__in=_ids(changes)):
        if (user.uuid, user.store_id) not in wanted or user.role not in TILL_ROLES:
            continue  # moved to another store, or head office: the till gets a delete
        yield (
            ("user", user.uuid, user.store_id),
            {
                "id": str(user.uuid),
                "name": user.name,
                "role": user.role,
                "pin_hash": user.pin_hash or None,
                "active": user.is_active,
            },
        )


def _stores(organisation_id: int, changes: list[ChangeRow]) -> Found:
    organisation = Organisation.objects.get(pk=organisation_id)
    for store in Store.objects.filter(organisation_id=organisation_id, uuid__in=_ids(changes)):
        yield (
            ("store", store.uuid, store.pk),
            {
                "id": str(store.uuid),
                "code": store.code,
                "name": store.name,
                "address": store.address,
                "tax_pin": store.tax_pin,
                "phone": store.phone,
                "receipt_footer": store.receipt_footer,
                "currency": organisation.currency,
                "time_zone": organisation.time_zone,
            },
        )


def _stock_levels(organisation_id: int, changes: list[ChangeRow]) -> Found:
    wanted = Q()
    for store_id in {change.store_id for change in changes}:
        products = [c.entity_id for c in changes if c.store_id == store_id]
        wanted |= Q(store_id=store_id, product__uuid__in=products)
    rows = StockLevel.objects.filter(wanted, store__organisation_id=organisation_id)
    for store_id, product, on_hand, threshold in rows.values_list(
        "store_id", "product__uuid", "on_hand_milli", "low_stock_threshold_milli"
    ):
        yield (
            ("stock_level", product, store_id),
            {
                "id": str(product),
                "product_id": str(product),
                "on_hand_milli": on_hand,
                "low_stock_threshold_milli": threshold,
            },
        )


def _basket_hints(organisation_id: int, changes: list[ChangeRow]) -> Found:
    from cloud_api.analytics.basket_services import BASKET_HINT, hint_data

    for store_id in {change.store_id for change in changes}:
        if (
            store_id is None
            or not Store.objects.filter(pk=store_id, organisation_id=organisation_id).exists()
        ):
            continue
        wanted = {change.entity_id for change in changes if change.store_id == store_id}
        for product, data in hint_data(store_id=store_id, product_uuids=wanted).items():
            yield (BASKET_HINT, product, store_id), data


# A till keeps a month of its store's notices; older ones are served as deletes, so a newly
# enrolled till does not fill up with years of daily summaries.
NOTICE_MAX_AGE = timedelta(days=30)


def _notices(organisation_id: int, changes: list[ChangeRow]) -> Found:
    """One store notice as the store's tills see it: what happened, for whom (managers and
    owners), and who of them has read it in their inbox."""
    rows = Notification.objects.filter(
        organisation_id=organisation_id,
        notice_id__in=_ids(changes),
        created_at__gte=timezone.now() - NOTICE_MAX_AGE,
    ).values_list("notice_id", "store_id", "kind", "message", "created_at", "status", "user__uuid")
    notices: dict[tuple[UUID, int], dict[str, Any]] = {}
    for notice_id, store_id, kind, message, created_at, status, user in rows.order_by("id"):
        if notice_id is None:  # the filter on notice_id keeps these out; for the type checker
            continue
        notice = notices.setdefault(
            (notice_id, store_id),
            {
                "id": str(notice_id),
                "kind": kind,
                "message": message,
                "created_at": created_at.isoformat(),
                "audience": "managers",
                "read_by": [],
            },
        )
        if status == NotificationStatus.READ:
            notice["read_by"].append(str(user))
    for (notice_id, store_id), data in notices.items():
        yield ("notice", notice_id, store_id), data


def _customers(organisation_id: int, changes: list[ChangeRow]) -> Found:
    """A customer as the tills of their store see it: found by phone at the next sale, with
    their WhatsApp consent as it stands (withdrawn by a STOP reply: no consent)."""
    wanted = {(change.entity_id, change.store_id) for change in changes}
    rows = Customer.objects.filter(organisation_id=organisation_id, uuid__in=_ids(changes))
    for uuid, store_id, phone, name, consent, opted_out_at, updated_at in rows.values_list(
        "uuid", "store_id", "phone", "name", "whatsapp_consent", "opted_out_at", "updated_at"
    ):
        if (uuid, store_id) not in wanted:
            continue  # moved to another store: this store's tills get a delete
        yield (
            ("customer", uuid, store_id),
            {
                "id": str(uuid),
                "phone": phone,
                "name": name,
                "whatsapp_consent": consent and opted_out_at is None,
                "updated_at": updated_at.isoformat(),
            },
        )


BUILDERS: dict[str, Callable[[int, list[ChangeRow]], Found]] = {
    "tax_class": _tax_classes,
    "category": _categories,
    "product": _products,
    "user": _users,
    "store": _stores,
    "stock_level": _stock_levels,
    "basket_hint": _basket_hints,
    "notice": _notices,
    "customer": _customers,
}
