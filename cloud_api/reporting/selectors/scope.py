"""What a report covers: the organisation, the days (the store's local calendar dates,
``business_date``), the stores a principal may see; and the querysets every report starts from."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal, TypeVar

from django.db.models import Manager, Model, QuerySet

from cloud_api.accounts.models import Organisation, Store
from cloud_api.core.principal import Principal
from cloud_api.reporting.models import (
    ChainDailySales,
    DailyStoreSales,
)
from cloud_api.sales.models import Refund

Period = Literal["day", "week", "month"]

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class ReportFilter:
    """Whose figures, which days (inclusive), which stores (None: every store)."""

    organisation_id: int
    date_from: date
    date_to: date
    store_ids: tuple[int, ...] | None = None


def report_filter(
    *, principal: Principal, date_from: date, date_to: date, store: Store | None = None
) -> ReportFilter:
    """The filter a principal may use: a store-bound principal sees its own store only."""
    if store is not None:
        store_ids: tuple[int, ...] | None = (store.pk,)
    elif principal.store_id is not None:
        store_ids = (principal.store_id,)
    else:
        store_ids = None
    return ReportFilter(principal.organisation_id, date_from, date_to, store_ids)


def in_days(
    queryset: QuerySet[M] | Manager[M], f: ReportFilter, store_field: str = "store_id"
) -> QuerySet[M]:
    filtered = queryset.filter(
        organisation_id=f.organisation_id,
        business_date__gte=f.date_from,
        business_date__lte=f.date_to,
    )
    if f.store_ids is not None:
        filtered = filtered.filter(**{f"{store_field}__in": f.store_ids})
    return filtered


def refunds_in(f: ReportFilter) -> QuerySet[Refund]:
    refunds = Refund.objects.filter(
        store__organisation_id=f.organisation_id,
        business_date__gte=f.date_from,
        business_date__lte=f.date_to,
    )
    if f.store_ids is not None:
        refunds = refunds.filter(store_id__in=f.store_ids)
    return refunds


def local_span(f: ReportFilter) -> tuple[datetime, datetime]:
    """The organisation's local days as an instant range [start, end)."""
    zone = zoneinfo.ZoneInfo(
        Organisation.objects.values_list("time_zone", flat=True).get(pk=f.organisation_id)
    )
    start = datetime.combine(f.date_from, time.min, tzinfo=zone)
    end = datetime.combine(f.date_to + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


def store_names(f: ReportFilter) -> dict[int, str]:
    return {
        store.pk: store.name for store in Store.objects.filter(organisation_id=f.organisation_id)
    }


def store_days(f: ReportFilter) -> QuerySet[ChainDailySales] | QuerySet[DailyStoreSales]:
    """The daily store sums of the filter's days, for reports that do not group by store, till
    or cashier: for every store the chain-wide rows (one a day), else the chosen stores' own."""
    if f.store_ids is None:
        return ChainDailySales.objects.filter(
            organisation_id=f.organisation_id,
            business_date__gte=f.date_from,
            business_date__lte=f.date_to,
        )
    return in_days(DailyStoreSales.objects, f)
