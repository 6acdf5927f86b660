"""Mining a store's synced sales into association rules, and handing the tills their hints.

The rules of a store are replaced as a whole, in one transaction; a product whose hint list
changed gets a ``basket_hint`` change in the pull log (store-scoped, keyed by the product's
id) and one that lost every rule gets a delete, so a till keeps exactly the newest hints.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from cloud_api.accounts.models import Store
from cloud_api.analytics.basket import Rule, Thresholds, association_rules
from cloud_api.analytics.models import BasketRule
from cloud_api.sales.models import Sale, SaleLine, SaleStatus
from cloud_api.sync.models import ChangeOp
from cloud_api.sync.services import changes_record

WINDOW_DAYS = 90  # a quarter: long enough for weekly habits, short enough to follow a new range
HINTS_PER_PRODUCT = 3  # what the till shows (one line) and keeps (a few, for later screens)
BASKET_HINT = "basket_hint"


@dataclass(frozen=True)
class MiningResult:
    store_id: int
    baskets: int
    rules: int
    hints_changed: int
    hints_removed: int


def store_baskets(*, store: Store, date_from: date, date_to: date) -> list[list[int]]:
    """The completed (not voided) sales of the window as lists of product keys, read in one
    ordered pass over the lines (no per-sale queries)."""
    rows = (
        SaleLine.objects.filter(
            sale__store=store,
            sale__status=SaleStatus.COMPLETED,
            sale__business_date__gte=date_from,
            sale__business_date__lte=date_to,
        )
        .order_by("sale_id")
        .values_list("sale_id", "product_id")
    )
    return [
        [product for _, product in lines]
        for _, lines in groupby(rows.iterator(chunk_size=5000), key=lambda row: row[0])
    ]


def _hints(rules: list[tuple[int, int]]) -> dict[int, tuple[int, ...]]:
    """antecedent -> its first consequents, from (antecedent, consequent) in rank order."""
    out: dict[int, list[int]] = {}
    for antecedent, consequent in rules:
        kept = out.setdefault(antecedent, [])
        if len(kept) < HINTS_PER_PRODUCT:
            kept.append(consequent)
    return {key: tuple(value) for key, value in out.items()}


def _current_hints(store: Store) -> dict[int, tuple[int, ...]]:
    ranked = BasketRule.objects.filter(store=store).order_by("antecedent_id", "-lift", "id")
    return _hints(list(ranked.values_list("antecedent_id", "consequent_id")))


@transaction.atomic
def basket_rules_compute(
    *, store: Store, date_to: date | None = None, thresholds: Thresholds | None = None
) -> MiningResult:
    """Mine the last ``WINDOW_DAYS`` of a store's sales up to ``date_to`` (default: today in
    the organisation's time zone, the calendar its sales' business dates follow)."""
    window_to = date_to or timezone.localdate(
        timezone=zoneinfo.ZoneInfo(store.organisation.time_zone)
    )
    window_from = window_to - timedelta(days=WINDOW_DAYS - 1)
    baskets = store_baskets(store=store, date_from=window_from, date_to=window_to)
    rules: list[Rule[int]] = association_rules(baskets, thresholds)
    before = _current_hints(store)
    now = timezone.now()
    BasketRule.objects.filter(store=store).delete()
    BasketRule.objects.bulk_create(
        [
            BasketRule(
                organisation_id=store.organisation_id,
                store=store,
                antecedent_id=rule.antecedent,
                consequent_id=rule.consequent,
                baskets=rule.baskets,
                pair_count=rule.pair_count,
                antecedent_count=rule.antecedent_count,
                consequent_count=rule.consequent_count,
                support=rule.support,
                confidence=rule.confidence,
                lift=rule.lift,
                window_from=window_from,
                window_to=window_to,
                computed_at=now,
            )
            for rule in rules
        ],
        batch_size=1000,
    )
    after = _hints([(rule.antecedent, rule.consequent) for rule in rules])
    changed = [key for key, hint in after.items() if before.get(key) != hint]
    removed = [key for key in before if key not in after]
    _record_hint_changes(store, changed, ChangeOp.UPSERT)
    _record_hint_changes(store, removed, ChangeOp.DELETE)
    return MiningResult(store.pk, len(baskets), len(rules), len(changed), len(removed))


def _record_hint_changes(store: Store, product_keys: list[int], op: str) -> None:
    if not product_keys:
        return
    from cloud_api.catalog.models import Product

    uuids = Product.objects.filter(pk__in=product_keys).values_list("uuid", flat=True)
    changes_record(
        organisation_id=store.organisation_id,
        entity=BASKET_HINT,
        entity_ids=list(uuids),
        op=op,
        store_id=store.pk,
    )


def basket_rules_compute_all(*, date_to: date | None = None) -> list[MiningResult]:
    """Every active store that sold something in the window (the nightly job)."""
    # One day more than the window: a store's today may already be tomorrow in UTC.
    since = (date_to or timezone.localdate()) - timedelta(days=WINDOW_DAYS)
    selling = Sale.objects.filter(business_date__gte=since).values("store_id").distinct()
    stores = Store.objects.filter(pk__in=selling)
    return [basket_rules_compute(store=store, date_to=date_to) for store in stores]


def hint_data(*, store_id: int, product_uuids: set[UUID]) -> dict[UUID, dict[str, Any]]:
    """The pull entity ``basket_hint`` of these products at this store (products without rules
    are missing: served as deletes)."""
    rows = (
        BasketRule.objects.filter(store_id=store_id, antecedent__uuid__in=product_uuids)
        .order_by("antecedent_id", "-lift", "id")
        .values_list(
            "antecedent__uuid",
            "consequent__uuid",
            "consequent__name",
            "confidence",
            "lift",
            "pair_count",
        )
    )
    out: dict[UUID, dict[str, Any]] = {}
    for antecedent, consequent, name, confidence, lift, together in rows:
        entry = out.setdefault(
            antecedent, {"id": str(antecedent), "product_id": str(antecedent), "with": []}
        )
        if len(entry["with"]) < HINTS_PER_PRODUCT:
            entry["with"].append(
                {
                    "product_id": str(consequent),
                    "name": name,
                    "confidence_bp": round(confidence * 10_000),
                    "lift_milli": round(lift * 1000),
                    "baskets": together,
                }
            )
    return out
