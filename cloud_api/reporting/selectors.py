"""Reports. Sales carry their store-local ``business_date`` and an ``items_count``, so the
daily summary is answered from one covering index (``sale_summary_cover``) without reading
sale lines or converting time zones at query time."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Sum

from cloud_api.accounts.models import Store
from cloud_api.core.principal import Principal
from cloud_api.sales.models import Refund, Sale, SaleStatus


def sales_summary(
    *, principal: Principal, date_from: date, date_to: date, store: Store | None = None
) -> dict[str, Any]:
    sales = Sale.objects.filter(
        organisation_id=principal.organisation_id,
        business_date__gte=date_from,
        business_date__lte=date_to,
        status=SaleStatus.COMPLETED,
    )
    refunds = Refund.objects.filter(
        sale__organisation_id=principal.organisation_id,
        business_date__gte=date_from,
        business_date__lte=date_to,
    )
    voids = Sale.objects.filter(
        organisation_id=principal.organisation_id,
        business_date__gte=date_from,
        business_date__lte=date_to,
        status=SaleStatus.VOIDED,
    )
    sales, refunds, voids = (principal.scope_stores(qs) for qs in (sales, refunds, voids))
    if store is not None:
        sales, refunds, voids = (qs.filter(store=store) for qs in (sales, refunds, voids))

    # One pass over the covering index, grouped by day; the totals are the days' sums.
    by_day = list(
        sales.values("business_date")
        .annotate(
            sales_count=Count("id"),
            items_count=Sum("items_count"),
            total_cents=Sum("total_cents"),
            tax_cents=Sum("tax_cents"),
        )
        .order_by("business_date")
    )
    refunds_cents = refunds.aggregate(total=Sum("amount_cents"))["total"] or 0
    total = sum(row["total_cents"] or 0 for row in by_day)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "store_id": store.uuid if store is not None else None,
        "sales_count": sum(row["sales_count"] for row in by_day),
        "items_count": sum(row["items_count"] or 0 for row in by_day),
        "total_cents": total,
        "tax_cents": sum(row["tax_cents"] or 0 for row in by_day),
        "refunds_cents": refunds_cents,
        "net_cents": total - refunds_cents,
        "voided_count": voids.count(),
        "by_day": [
            {
                "date": row["business_date"],
                "sales_count": row["sales_count"],
                "items_count": row["items_count"] or 0,
                "total_cents": row["total_cents"] or 0,
                "tax_cents": row["tax_cents"] or 0,
            }
            for row in by_day
        ],
    }
