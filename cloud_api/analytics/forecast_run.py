"""Compute a store's demand forecasts and cache them in DemandForecastDay."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.utils import timezone

from cloud_api.accounts.models import Store
from cloud_api.analytics.forecast_methods import DemandForecast, demand_forecast
from cloud_api.analytics.forecast_series import (
    DAYS_AHEAD,
    StoreSeries,
    holiday_factor,
    store_series,
)
from cloud_api.analytics.models import DemandForecastDay

HORIZON_DAYS = 14
# Products with no sale in this many days get no forecast (they are not stocked any more).
ACTIVE_WITHIN_DAYS = 56
INTERVAL = (0.1, 0.9)
METHOD = "weekday-level-nb"


def production_forecast(
    series: StoreSeries, product_index: int, history_days: int, horizon: int
) -> DemandForecast:
    """The forecast for ``horizon`` days after the first ``history_days`` days of the series,
    public holidays ahead scaled by the store's own holiday ratio."""
    if horizon > DAYS_AHEAD:
        raise ValueError(f"forecasts reach at most {DAYS_AHEAD} days ahead")
    past_holiday = series.holiday[:history_days]
    ahead_holiday = series.holiday[history_days : history_days + horizon]
    factor = np.where(
        ahead_holiday, holiday_factor(series.store_units[:history_days], past_holiday), 1.0
    )
    return demand_forecast(
        series.units[product_index, :history_days],
        series.store_units[:history_days],
        series.trading[:history_days],
        horizon,
        future_factor=factor,
    )


def _milli(units: float) -> int:
    return round(units * 1000)


def store_forecasts_refresh(*, store: Store, today: date | None = None) -> int:
    """Forecast every recently sold product of the store for today and the next days, from
    the sales up to yesterday; replaces the store's cached rows. Returns the products done."""
    if today is None:
        today = timezone.localdate(timezone=ZoneInfo(store.organisation.time_zone))
    yesterday = today - timedelta(days=1)
    series = store_series(store, last_day=yesterday)
    computed_at = timezone.now()
    rows: list[DemandForecastDay] = []
    done = 0
    if series is not None:
        recent = series.units[:, max(0, series.days - ACTIVE_WITHIN_DAYS) :].sum(axis=1) > 0
        for index in np.flatnonzero(recent):
            forecast = production_forecast(series, int(index), series.days, HORIZON_DAYS)
            lower = forecast.quantile(INTERVAL[0])
            upper = forecast.quantile(INTERVAL[1])
            done += 1
            for ahead in range(HORIZON_DAYS):
                rows.append(
                    DemandForecastDay(
                        organisation_id=store.organisation_id,
                        store=store,
                        product_id=series.product_ids[index],
                        date=today + timedelta(days=ahead),
                        mean_milli=_milli(forecast.mean[ahead]),
                        median_milli=_milli(forecast.median[ahead]),
                        lower_milli=_milli(lower[ahead]),
                        upper_milli=_milli(upper[ahead]),
                        dispersion=forecast.dispersion,
                        method=METHOD,
                        computed_at=computed_at,
                    )
                )
    with transaction.atomic():
        DemandForecastDay.objects.filter(store=store).delete()
        DemandForecastDay.objects.bulk_create(rows, batch_size=2000)
    return done
