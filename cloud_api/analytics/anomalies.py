"""Anomaly flags: cashiers doing something unusually often, and days far off their usual range.

Robust statistics only (median and the median absolute deviation, MAD, scaled by 1.4826 so it
reads like a standard deviation): one cashier's bad week, or one holiday, barely moves a
median, so it cannot hide itself by raising the bar it is measured against.

A cashier is flagged for a kind of event (voids, refunds, discounted sales, no-sale drawer
openings) in the window when the count is at least ``MIN_EVENTS`` and above both the usual
level of the store's other cashiers in the same window and the cashier's own usual level in
the weeks before, by more than ``Z`` robust deviations (and never by less than ``MIN_GAP``
events, so small whole numbers do not flag a cashier for 3 voids against a median of 1).
A day is flagged when its takings fall outside the same weekday's usual range over the
previous weeks. Each flag carries its numbers and says why in plain words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any
from uuid import UUID

from django.db.models import Count, Sum

from cloud_api.accounts.models import Store, User
from cloud_api.analytics.insights_text import money, plural, weekday_name
from cloud_api.sales.models import Sale, SaleStatus
from cloud_api.sync.models import TillActivity

MAD_SCALE = 1.4826
Z = 3.0
MIN_EVENTS = 3
MIN_GAP = 2.0
HISTORY_WEEKS = 8
MIN_HISTORY_DAYS = 4  # same weekdays needed before a day can be called unusual
DAY_FLOOR_SHARE = 0.25  # a day's range is never narrower than +/-25% of its usual takings

# kind -> (TillActivity kind or None for discounted sales, verb, noun)
CASHIER_KINDS: dict[str, tuple[str | None, str, str]] = {
    "voids": ("sale.voided", "voided", "sale"),
    "refunds": ("refund.created", "refunded", "sale"),
    "discounts": (None, "discounted", "sale"),
    "no_sales": ("drawer.opened", "opened the drawer with no sale", "time"),
}
# kind -> (what the store's cashiers do, what one cashier does), for the comparison half.
COMPARISON = {
    "voids": ("void", "voids"),
    "refunds": ("refund", "refunds"),
    "discounts": ("discount", "discounts"),
    "no_sales": ("do so", "does so"),
}


def robust_spread(values: Sequence[float]) -> tuple[float, float]:
    """(median, scaled MAD) of the values; (0, 0) for none."""
    if not values:
        return 0.0, 0.0
    middle = median(values)
    return middle, MAD_SCALE * median(abs(value - middle) for value in values)


def upper_limit(values: Sequence[float]) -> float:
    middle, spread = robust_spread(values)
    return middle + max(Z * spread, MIN_GAP)


@dataclass
class Flag:
    kind: str
    store_id: UUID
    store_name: str
    reason: str
    value: float
    severity: float
    cashier_id: UUID | None = None
    cashier_name: str | None = None
    date: date | None = None
    numbers: dict[str, Any] = field(default_factory=dict)


def _counts_by_cashier(
    kind: str, store: Store, date_from: date, date_to: date
) -> dict[UUID, dict[date, int]]:
    """cashier id -> business date -> events."""
    activity_kind = CASHIER_KINDS[kind][0]
    out: dict[UUID, dict[date, int]] = defaultdict(dict)
    if activity_kind is None:
        rows: Iterable[tuple[Any, date, int]] = (
            Sale.objects.filter(
                store=store,
                status=SaleStatus.COMPLETED,
                discount_cents__gt=0,
                business_date__gte=date_from,
                business_date__lte=date_to,
            )
            .values_list("cashier__uuid", "business_date")
            .annotate(n=Count("id"))
            .order_by()
        )
    else:
        rows = (
            TillActivity.objects.filter(
                store=store,
                kind=activity_kind,
                cashier_id__isnull=False,
                business_date__gte=date_from,
                business_date__lte=date_to,
            )
            .values_list("cashier_id", "business_date")
            .annotate(n=Count("id"))
            .order_by()
        )
    for cashier, day, count in rows:
        out[cashier][day] = count
    return out


def _in(days: dict[date, int], start: date, end: date) -> int:
    return sum(count for day, count in days.items() if start <= day <= end)


def cashier_flags(*, store: Store, date_to: date, days: int) -> list[Flag]:
    window_from = date_to - timedelta(days=days - 1)
    history_from = window_from - timedelta(days=days * HISTORY_WEEKS)
    names = dict(
        User.objects.filter(organisation_id=store.organisation_id).values_list("uuid", "name")
    )
    selling = set(
        Sale.objects.filter(store=store, business_date__gte=window_from, business_date__lte=date_to)
        .values_list("cashier__uuid", flat=True)
        .distinct()
    )
    period = "this week" if days == 7 else f"in the last {days} days"
    flags: list[Flag] = []
    for kind, (_, verb, noun) in CASHIER_KINDS.items():
        counts = _counts_by_cashier(kind, store, history_from, date_to)
        cashiers = selling | {c for c, d in counts.items() if _in(d, window_from, date_to)}
        now = {c: _in(counts.get(c, {}), window_from, date_to) for c in cashiers}
        for cashier, value in now.items():
            if value < MIN_EVENTS:
                continue
            peers = [count for other, count in now.items() if other != cashier]
            own = [
                _in(
                    counts.get(cashier, {}),
                    window_from - timedelta(days=days * back),
                    date_to - timedelta(days=days * back),
                )
                for back in range(1, HISTORY_WEEKS + 1)
            ]
            peer_mid, peer_spread = robust_spread(peers)
            own_mid, own_spread = robust_spread(own)
            # Both comparisons must agree when both exist: a cashier who always voids more
            # than peers (the one on the returns desk) is not flagged week after week, and a
            # store-wide bad week (a broken scanner) flags nobody.
            above_peers = len(peers) >= 2 and value > upper_limit(peers)
            above_own = any(own) and value > upper_limit(own)
            if len(peers) >= 2 and any(own):
                unusual = above_peers and above_own
            else:
                unusual = above_peers or above_own
            if not unusual:
                continue
            name = names.get(cashier, "A cashier")
            reason = f"{name} {verb} {plural(value, noun)} {period}"
            they, one = COMPARISON[kind]
            parts = []
            if len(peers) >= 2:
                usual = _amount(peer_mid, noun)
                parts.append(f"cashiers at {store.name} {they} {usual} on average")
            if any(own):
                parts.append(f"{name} usually {one} {_amount(own_mid, noun)}")
            reason += "; " + " and ".join(parts) + "."
            spread = max(peer_spread if above_peers else own_spread, 1.0)
            base = peer_mid if above_peers else own_mid
            flags.append(
                Flag(
                    kind=kind,
                    store_id=store.uuid,
                    store_name=store.name,
                    reason=reason,
                    value=value,
                    severity=round((value - base) / spread, 2),
                    cashier_id=cashier,
                    cashier_name=name,
                    numbers={
                        "count": value,
                        "peer_median": peer_mid,
                        "peers": len(peers),
                        "own_median": own_mid,
                        "weeks_of_history": sum(1 for count in own if count),
                    },
                )
            )
    return flags


def _amount(value: float, noun: str) -> str:
    """A usual level in words: "2", "1.5"; drawer openings say "times"."""
    number = f"{value:g}"
    return number if noun == "sale" else f"{number} {noun}{'' if value == 1 else 's'}"


def day_flags(*, store: Store, date_to: date, days: int) -> list[Flag]:
    currency = store.organisation.currency
    window_from = date_to - timedelta(days=days - 1)
    history_from = window_from - timedelta(weeks=HISTORY_WEEKS)
    totals = dict(
        Sale.objects.filter(
            store=store,
            status=SaleStatus.COMPLETED,
            business_date__gte=history_from,
            business_date__lte=date_to,
        )
        .values_list("business_date")
        .annotate(total=Sum("total_cents"))
        .order_by()
    )
    flags: list[Flag] = []
    day = window_from
    while day <= date_to:
        value = totals.get(day)
        history = [
            totals[earlier]
            for weeks in range(1, HISTORY_WEEKS + 1)
            if (earlier := day - timedelta(weeks=weeks)) in totals
        ]
        if value is not None and len(history) >= MIN_HISTORY_DAYS:
            middle, spread = robust_spread(history)
            width = max(Z * spread, DAY_FLOOR_SHARE * middle)
            low, high = max(0.0, middle - width), middle + width
            if not low <= value <= high:
                direction = "above" if value > high else "below"
                reason = (
                    f"{store.name} took {money(value, currency)} on {weekday_name(day)} "
                    f"{day:%d %b}, far {direction} the usual {money(round(low), currency)} to "
                    f"{money(round(high), currency)} for a {weekday_name(day)}."
                )
                flags.append(
                    Flag(
                        kind="day_sales",
                        store_id=store.uuid,
                        store_name=store.name,
                        reason=reason,
                        value=value,
                        severity=round(abs(value - middle) / max(spread, 1.0), 2),
                        date=day,
                        numbers={
                            "total_cents": value,
                            "usual_cents": round(middle),
                            "expected_low_cents": round(low),
                            "expected_high_cents": round(high),
                            "weeks_of_history": len(history),
                        },
                    )
                )
        day += timedelta(days=1)
    return flags


def anomaly_flags(*, stores: Iterable[Store], date_to: date, days: int = 7) -> list[Flag]:
    """Every flag of these stores for the ``days`` ending ``date_to``, worst first."""
    flags: list[Flag] = []
    for store in stores:
        flags += cashier_flags(store=store, date_to=date_to, days=days)
        flags += day_flags(store=store, date_to=date_to, days=days)
    flags.sort(key=lambda flag: (-flag.severity, flag.kind, flag.reason))
    return flags
