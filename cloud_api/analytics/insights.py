"""Insights in plain language, computed from a store's synced sales (no canned sentences).

Every insight compares two numbers the data gives (this period against the one before, one
weekday against the average day, a pair of products against chance) and is kept only when
the difference is both large (``MIN_CHANGE``) and backed by enough sales (``MIN_UNITS``...).
They are ranked by ``score`` = |ln(ratio)| x ln(1 + volume): a big change in a product that
sells a lot comes before the same change in a slow seller, and a doubling of a bestseller
before a 10% drift. Each insight carries the numbers behind its sentence.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypedDict
from uuid import UUID

from django.db.models import Count, Sum

from cloud_api.accounts.models import Store
from cloud_api.analytics.insights_text import money, percent, quantity, weekday_name
from cloud_api.analytics.models import BasketRule
from cloud_api.catalog.models import SoldBy
from cloud_api.sales.models import Sale, SaleLine, SaleStatus

PERIOD_DAYS = 28  # four whole weeks: every weekday counted four times on each side
MIN_CHANGE = 0.15  # a product or weekday moving less than 15% is not news
MIN_UNITS = 40  # units (or kg) over both periods before a product's change is an insight
MIN_WEEKDAY_UNITS = 20
MIN_SALES = 30  # sales on each side before the average basket is compared
MIN_RULE_BASKETS = 10
BUSY_WEEKS = 8


@dataclass
class Insight:
    kind: str
    store_id: UUID
    store_name: str
    text: str
    score: float
    numbers: dict[str, Any] = field(default_factory=dict)


def _score(ratio: float, volume: float) -> float:
    return round(abs(math.log(ratio)) * math.log1p(volume), 4)


def _more_or_less(ratio: float) -> str:
    return f"{percent(ratio - 1)} {'more' if ratio > 1 else 'less'}"


class _ProductDay(TypedDict):
    product_id: int
    product__name: str
    product__sold_by: str
    sale__business_date: date
    units: int | None
    milli: int | None


def _product_days(store: Store, date_from: date, date_to: date) -> list[_ProductDay]:
    rows = (
        SaleLine.objects.filter(
            sale__store=store,
            sale__status=SaleStatus.COMPLETED,
            sale__business_date__gte=date_from,
            sale__business_date__lte=date_to,
        )
        .values("product_id", "product__name", "product__sold_by", "sale__business_date")
        .annotate(units=Sum("qty"), milli=Sum("qty_milli"))
        .order_by()
    )
    return list(rows)


def product_insights(store: Store, date_to: date) -> list[Insight]:
    this_from = date_to - timedelta(days=PERIOD_DAYS - 1)
    last_from = this_from - timedelta(days=PERIOD_DAYS)
    # product -> [last, this] thousandths, overall and per weekday
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    weekdays: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    about: dict[int, tuple[str, bool]] = {}
    for row in _product_days(store, last_from, date_to):
        milli = (row["units"] or 0) * 1000 + (row["milli"] or 0)
        side = 1 if row["sale__business_date"] >= this_from else 0
        product = row["product_id"]
        totals[product][side] += milli
        weekdays[(product, row["sale__business_date"].weekday())][side] += milli
        about[product] = (row["product__name"], row["product__sold_by"] == SoldBy.WEIGHT)
    out: list[Insight] = []
    for product, (last, this) in totals.items():
        name, by_weight = about[product]
        if last <= 0 or this <= 0 or (last + this) < MIN_UNITS * 1000:
            continue
        overall = this / last
        if abs(overall - 1) >= MIN_CHANGE:
            out.append(
                Insight(
                    kind="product_trend",
                    store_id=store.uuid,
                    store_name=store.name,
                    text=(
                        f"{name} sold {_more_or_less(overall)} at {store.name} in the last 4 "
                        f"weeks than in the 4 weeks before ({quantity(this, by_weight=by_weight)}"
                        f" against {quantity(last, by_weight=by_weight)})."
                    ),
                    score=_score(overall, (last + this) / 1000),
                    numbers={"product": name, "this_milli": this, "last_milli": last},
                )
            )
        best: Insight | None = None
        for weekday in range(7):
            w_last, w_this = weekdays.get((product, weekday), (0, 0))
            if w_last <= 0 or w_this <= 0 or (w_last + w_this) < MIN_WEEKDAY_UNITS * 1000:
                continue
            ratio = w_this / w_last
            # News only when the weekday moved apart from the product as a whole.
            if abs(ratio - 1) < MIN_CHANGE or abs(math.log(ratio / overall)) < math.log(
                1 + MIN_CHANGE
            ):
                continue
            candidate = Insight(
                kind="product_weekday",
                store_id=store.uuid,
                store_name=store.name,
                text=(
                    f"{name} sold {_more_or_less(ratio)} on {weekday_name(weekday)}s at "
                    f"{store.name} in the last 4 weeks than in the 4 weeks before "
                    f"({quantity(w_this, by_weight=by_weight)} against "
                    f"{quantity(w_last, by_weight=by_weight)})."
                ),
                score=_score(ratio, (w_last + w_this) / 1000),
                numbers={
                    "product": name,
                    "weekday": weekday_name(weekday),
                    "this_milli": w_this,
                    "last_milli": w_last,
                },
            )
            if best is None or candidate.score > best.score:
                best = candidate
        if best is not None:
            out.append(best)
    return out


def busiest_weekday(store: Store, date_to: date) -> list[Insight]:
    since = date_to - timedelta(weeks=BUSY_WEEKS) + timedelta(days=1)
    days = (
        Sale.objects.filter(
            store=store,
            status=SaleStatus.COMPLETED,
            business_date__gte=since,
            business_date__lte=date_to,
        )
        .values_list("business_date")
        .annotate(total=Sum("total_cents"))
        .order_by()
    )
    by_weekday: dict[int, list[int]] = defaultdict(list)
    for day, total in days:
        by_weekday[day.weekday()].append(total)
    if len(by_weekday) < 2 or sum(len(v) for v in by_weekday.values()) < 4 * len(by_weekday):
        return []  # fewer than four weeks of trading: no pattern yet
    averages = {weekday: sum(v) / len(v) for weekday, v in by_weekday.items()}
    typical = sum(averages.values()) / len(averages)
    top = max(averages, key=lambda weekday: averages[weekday])
    ratio = averages[top] / typical if typical else 1.0
    if ratio - 1 < MIN_CHANGE:
        return []
    currency = store.organisation.currency
    return [
        Insight(
            kind="busiest_weekday",
            store_id=store.uuid,
            store_name=store.name,
            text=(
                f"{weekday_name(top)} is the busiest day at {store.name}: "
                f"{money(averages[top], currency)} on average over the last {BUSY_WEEKS} weeks, "
                f"{percent(ratio - 1)} above an average trading day ({money(typical, currency)})."
            ),
            score=_score(ratio, len(by_weekday[top]) * 10),
            numbers={
                "weekday": weekday_name(top),
                "average_cents": round(averages[top]),
                "typical_cents": round(typical),
                "days": len(by_weekday[top]),
            },
        )
    ]


def basket_value(store: Store, date_to: date) -> list[Insight]:
    this_from = date_to - timedelta(days=PERIOD_DAYS - 1)
    last_from = this_from - timedelta(days=PERIOD_DAYS)
    sides = []
    for start, end in ((last_from, this_from - timedelta(days=1)), (this_from, date_to)):
        found = Sale.objects.filter(
            store=store,
            status=SaleStatus.COMPLETED,
            business_date__gte=start,
            business_date__lte=end,
        ).aggregate(n=Count("id"), total=Sum("total_cents"))
        sides.append((found["n"] or 0, found["total"] or 0))
    (last_n, last_total), (this_n, this_total) = sides
    if last_n < MIN_SALES or this_n < MIN_SALES or not last_total or not this_total:
        return []
    last_avg, this_avg = last_total / last_n, this_total / this_n
    ratio = this_avg / last_avg
    if abs(ratio - 1) < MIN_CHANGE / 3:  # a 5% move in the average sale is already news
        return []
    currency = store.organisation.currency
    return [
        Insight(
            kind="basket_value",
            store_id=store.uuid,
            store_name=store.name,
            text=(
                f"The average sale at {store.name} was {money(this_avg, currency)} in the last "
                f"4 weeks, {_more_or_less(ratio)} than in the 4 weeks before "
                f"({money(last_avg, currency)})."
            ),
            score=_score(ratio, this_n + last_n),
            numbers={
                "this_average_cents": round(this_avg),
                "last_average_cents": round(last_avg),
                "this_sales": this_n,
                "last_sales": last_n,
            },
        )
    ]


def bought_together(store: Store) -> list[Insight]:
    rule = (
        BasketRule.objects.filter(store=store, pair_count__gte=MIN_RULE_BASKETS)
        .select_related("antecedent", "consequent")
        .order_by("-lift", "-pair_count", "id")
        .first()
    )
    if rule is None:
        return []
    return [
        Insight(
            kind="bought_together",
            store_id=store.uuid,
            store_name=store.name,
            text=(
                f"At {store.name}, {percent(rule.confidence)} of the sales with "
                f"{rule.antecedent.name} also had {rule.consequent.name}, {rule.lift:.1f} times "
                f"its share of all sales ({rule.pair_count:,} sales had both)."
            ),
            score=_score(rule.lift, rule.pair_count),
            numbers={
                "antecedent": rule.antecedent.name,
                "consequent": rule.consequent.name,
                "confidence": round(rule.confidence, 4),
                "lift": round(rule.lift, 3),
                "pair_count": rule.pair_count,
            },
        )
    ]


def store_insights(*, stores: Iterable[Store], date_to: date, limit: int = 10) -> list[Insight]:
    out: list[Insight] = []
    for store in stores:
        out += product_insights(store, date_to)
        out += busiest_weekday(store, date_to)
        out += basket_value(store, date_to)
        out += bought_together(store)
    out.sort(key=lambda insight: (-insight.score, insight.kind, insight.text))
    return out[:limit]
