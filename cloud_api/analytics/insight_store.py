"""Insights and anomaly flags worked out ahead (nightly, and a few minutes after a till's push
brings new sales) and stored per store, so the dashboard's overview reads one row per store
instead of eight weeks of sale lines. A store with nothing stored yet is worked out once, on
the request that first needs it, and stored then."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from cloud_api.accounts.models import Store
from cloud_api.analytics.anomalies import Flag, anomaly_flags
from cloud_api.analytics.insights import Insight, store_insights
from cloud_api.analytics.models import StoredInsights
from cloud_api.sales.dates import local_date

# The overview's default period is the last 30 days: its flags are stored for that window.
STORED_FLAG_DAYS = 30
STORED_INSIGHTS = 20  # per store; the overview shows the best few across its stores


@dataclass
class InsightPanel:
    insights: list[Insight]
    flags: list[Flag]
    as_of: datetime | None  # when the oldest stored figures were worked out; None: just now


def _plain(item: Insight | Flag) -> dict[str, Any]:
    """The dataclass as JSON values (UUIDs and dates as text)."""
    loaded: dict[str, Any] = json.loads(json.dumps(asdict(item), cls=DjangoJSONEncoder))
    return loaded


def _insight(row: dict[str, Any]) -> Insight:
    return Insight(**{**row, "store_id": UUID(row["store_id"])})


def _flag(row: dict[str, Any]) -> Flag:
    return Flag(
        **{
            **row,
            "store_id": UUID(row["store_id"]),
            "cashier_id": UUID(row["cashier_id"]) if row.get("cashier_id") else None,
            "date": date.fromisoformat(row["date"]) if row.get("date") else None,
        }
    )


def store_today(store: Store) -> date:
    return local_date(timezone.now(), store.organisation.time_zone)


def stored_insights_refresh(*, store: Store) -> StoredInsights:
    """Work out one store's insights and flags to its local today and keep them."""
    date_to = store_today(store)
    insights = store_insights(stores=[store], date_to=date_to, limit=STORED_INSIGHTS)
    flags = anomaly_flags(stores=[store], date_to=date_to, days=STORED_FLAG_DAYS)
    row, _ = StoredInsights.objects.update_or_create(
        store=store,
        defaults={
            "organisation_id": store.organisation_id,
            "date_to": date_to,
            "flag_days": STORED_FLAG_DAYS,
            "insights": [_plain(insight) for insight in insights],
            "flags": [_plain(flag) for flag in flags],
            "computed_at": timezone.now(),
        },
    )
    return row


def stored_insight_panel(
    *, stores: list[Store], today: date, flag_days: int, limit: int
) -> InsightPanel | None:
    """The latest insights and flags of these stores from the stored rows, or ``None`` when
    the question is not the latest one (a period ending before today, or flags over another
    number of days): those are worked out on request. Stores with no row yet are worked out
    and stored here, once."""
    if flag_days != STORED_FLAG_DAYS:
        return None
    rows = {row.store_id: row for row in StoredInsights.objects.filter(store__in=stores)}
    for store in stores:
        if store.pk not in rows:
            rows[store.pk] = stored_insights_refresh(store=store)
    kept = list(rows.values())
    if any(row.date_to > today for row in kept):
        return None  # the page asks about an earlier day than the stored figures
    insights = [_insight(item) for row in kept for item in row.insights]
    insights.sort(key=lambda insight: (-insight.score, insight.kind, insight.text))
    flags = [_flag(item) for row in kept for item in row.flags]
    flags.sort(key=lambda flag: (-flag.severity, flag.kind, flag.reason))
    as_of = min((row.computed_at for row in kept), default=None)
    return InsightPanel(insights=insights[:limit], flags=flags, as_of=as_of)
