"""Rolling-origin backtest of the production forecast against seasonal naive and Holt-Winters.

Fold k (1..folds) forecasts ``horizon`` days from an origin k-1 weeks before the last window,
which ends on ``end``; each method sees only the days before its origin. MASE per product-fold
is scaled by that fold's training part (mean absolute 7-day difference).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from cloud_api.analytics.forecast_methods import SEASON, holt_winters, mase, seasonal_naive
from cloud_api.analytics.forecast_run import production_forecast
from cloud_api.analytics.forecast_series import StoreSeries

METHODS = ("forecast", "seasonal_naive", "holt_winters")
MIN_TRAINING_WEEKS = 4


@dataclass
class ProductScore:
    product_id: int
    units: float
    mase: dict[str, list[float]] = field(default_factory=lambda: {m: [] for m in METHODS})

    def mean(self, method: str) -> float:
        return float(np.mean(self.mase[method])) if self.mase[method] else float("nan")


@dataclass
class BacktestResult:
    end: date
    horizon: int
    folds: int
    products: list[ProductScore]

    def overall(self, method: str) -> float:
        scores = [s for p in self.products for s in p.mase[method]]
        return float(np.mean(scores)) if scores else float("nan")

    def ratio(self, method: str) -> float:
        base = self.overall("seasonal_naive")
        return self.overall(method) / base if base > 0 else float("nan")


def backtest(
    series: StoreSeries, *, end: date, horizon: int, folds: int, min_units: float
) -> BacktestResult:
    last = series.index_of(end)
    if last < 0 or last >= series.days:
        raise ValueError(f"{end} is outside the store's sales ({series.first_day} onwards).")
    totals = series.units[:, : last + 1].sum(axis=1)
    chosen = [int(i) for i in np.argsort(-totals, kind="stable") if totals[i] >= min_units]
    origins = [last + 1 - horizon - SEASON * k for k in range(folds)]
    if min(origins) < SEASON * MIN_TRAINING_WEEKS:
        raise ValueError(
            f"Too little history before {end} for {folds} folds of {horizon} days: "
            f"the first needs {MIN_TRAINING_WEEKS} weeks before it."
        )
    products = []
    for index in chosen:
        score = ProductScore(series.product_ids[index], float(totals[index]))
        for origin in origins:
            training = series.units[index, :origin]
            actual = series.units[index, origin : origin + horizon]
            forecasts = {
                "forecast": production_forecast(series, index, origin, horizon).median,
                "seasonal_naive": seasonal_naive(training, horizon),
                "holt_winters": holt_winters(training, horizon),
            }
            for method, values in forecasts.items():
                value = mase(actual, values, training)
                if value is not None:
                    score.mase[method].append(value)
        products.append(score)
    return BacktestResult(end, horizon, folds, products)
