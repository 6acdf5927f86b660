"""Daily units sold per product in one store, as arrays the forecast methods take.

Reads completed sales (till sales and imported history alike) by the store's business date.
Public holidays come from the `holidays` package for the organisation's ``holiday_country``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays
import numpy as np
from django.db.models import BigIntegerField, F, Sum
from django.db.models.functions import Coalesce

from cloud_api.accounts.models import Store
from cloud_api.analytics.forecast_methods import BoolArray, FloatArray
from cloud_api.sales.models import SaleLine, SaleStatus

# A holiday's effect on sales is measured over the same weekday in this many weeks around it.
HOLIDAY_NEIGHBOUR_WEEKS = 2
HOLIDAY_FACTOR_LIMITS = (0.0, 3.0)
# The holiday calendar runs this far past the last day, for the days forecast.
DAYS_AHEAD = 31


@dataclass(frozen=True)
class StoreSeries:
    """``units[p, d]``: units of ``product_ids[p]`` sold on ``first_day + d``; ``holiday[d]``
    covers those days and DAYS_AHEAD more."""

    first_day: date
    product_ids: list[int]
    units: FloatArray
    store_units: FloatArray
    holiday: BoolArray

    @property
    def days(self) -> int:
        return int(self.units.shape[1])

    def index_of(self, day: date) -> int:
        return (day - self.first_day).days

    @property
    def trading(self) -> BoolArray:
        """Days that show normal demand: the store sold something and it was no holiday."""
        return (self.store_units > 0) & ~self.holiday[: self.days]


def holiday_calendar(country: str, first: date, last: date) -> set[date]:
    try:
        calendar = holidays.country_holidays(country, years=range(first.year, last.year + 1))
    except NotImplementedError:
        return set()
    return {day for day in calendar if first <= day <= last}


def last_sales_day(store: Store) -> date | None:
    return (
        SaleLine.objects.filter(sale__store=store, sale__status=SaleStatus.COMPLETED)
        .order_by("-sale__business_date")
        .values_list("sale__business_date", flat=True)
        .first()
    )


def store_series(store: Store, *, last_day: date) -> StoreSeries | None:
    """Every product the store sold up to ``last_day``, one column per day from its first sale
    day (days without a sale are zeros). None when the store sold nothing."""
    totals = list(
        SaleLine.objects.filter(
            sale__store=store,
            sale__status=SaleStatus.COMPLETED,
            sale__business_date__lte=last_day,
        )
        .values("product_id", day=F("sale__business_date"))
        .annotate(
            milli=Sum(
                Coalesce(F("qty") * 1000, F("qty_milli"), output_field=BigIntegerField()),
                output_field=BigIntegerField(),
            )
        )
        .order_by()
    )
    if not totals:
        return None
    first_day = min(row["day"] for row in totals)
    product_ids = sorted({row["product_id"] for row in totals})
    column = {pid: i for i, pid in enumerate(product_ids)}
    days = (last_day - first_day).days + 1
    units = np.zeros((len(product_ids), days))
    for row in totals:
        units[column[row["product_id"]], (row["day"] - first_day).days] += row["milli"] / 1000
    country = store.organisation.holiday_country
    holiday_days = holiday_calendar(country, first_day, last_day + timedelta(days=DAYS_AHEAD))
    holiday = np.array(
        [first_day + timedelta(days=d) in holiday_days for d in range(days + DAYS_AHEAD)],
        dtype=bool,
    )
    return StoreSeries(first_day, product_ids, units, units.sum(axis=0), holiday)


def holiday_factor(store_units: FloatArray, holiday: BoolArray) -> float:
    """How the store's sales on past public holidays compare with the same weekday in the
    weeks around them (1.0 when the history holds no holiday)."""
    ratios = []
    n = len(store_units)
    for day in np.flatnonzero(holiday[:n]):
        neighbours = [
            int(day + 7 * k)
            for k in range(-HOLIDAY_NEIGHBOUR_WEEKS, HOLIDAY_NEIGHBOUR_WEEKS + 1)
            if k != 0 and 0 <= day + 7 * k < n and not holiday[day + 7 * k]
        ]
        usual = float(np.mean(store_units[neighbours])) if neighbours else 0.0
        if usual > 0:
            ratios.append(store_units[day] / usual)
    if not ratios:
        return 1.0
    low, high = HOLIDAY_FACTOR_LIMITS
    return float(np.clip(np.mean(ratios), low, high))
