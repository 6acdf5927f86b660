"""Daily demand forecasts for one product in one store, and the baselines they are judged by.

Pure functions over numpy arrays (no Django), so they are tested and benchmarked alone.

A series is the units sold per calendar day, oldest first; ``trading`` marks the days that tell
something about normal demand (the store sold anything, and it was not a public holiday). Days
outside it are left out of every fit: a shop shut on Christmas Day says nothing about Mondays.

The production forecast (``demand_forecast``) is built for small shops, where most products sell
a few units a day or fewer:

* a weekday pattern: the product's own weekday means, recent weeks weighing more, pulled towards
  the whole store's weekday pattern in proportion to how little the product has sold (a product
  with a handful of sales has no pattern of its own worth trusting);
* a level: an exponentially weighted mean of the de-seasonalised sales, whose memory (half-life
  of 1, 2, 4 or 8 weeks) is chosen per product by how well each forecast the last two weeks;
* a negative-binomial predictive distribution around that mean, whose over-dispersion is
  measured on the product's own rolling-origin forecast errors. The point forecast is its
  median (the value that minimises the absolute error that MASE counts; for slow sellers it is
  below the mean) and the prediction interval its quantiles.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import exp, log

import numpy as np
from numpy.typing import NDArray

SEASON = 7
LEVEL_HALF_LIVES = (7.0, 14.0, 28.0, 56.0)
PATTERN_HALF_LIFE = 56.0
# Units a product must have sold for its own weekday pattern to count as much as the store's.
PATTERN_PRIOR_UNITS = 50.0
LEVEL_CHOICE_DAYS = 14
DISPERSION_ORIGINS = 4
# Above this size the negative binomial is as good as a Poisson.
POISSON_SIZE = 1e6

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class DemandForecast:
    """Units per day ahead: the mean, the median (the point forecast) and a size parameter
    ``dispersion`` of the negative binomial they come from (variance = mean + mean^2 / size)."""

    mean: FloatArray
    median: FloatArray
    dispersion: float
    level_half_life: float

    def quantile(self, q: float) -> FloatArray:
        return np.array([nb_quantile(mu, self.dispersion, q) for mu in self.mean])


# --- baselines ------------------------------------------------------------------------------


def seasonal_naive(history: FloatArray, horizon: int) -> FloatArray:
    """The same weekday last week."""
    if len(history) < SEASON:
        return np.full(horizon, float(history.mean()) if len(history) else 0.0)
    last_week = history[-SEASON:]
    return np.array([last_week[i % SEASON] for i in range(horizon)], dtype=float)


_HW_ALPHAS = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7)
_HW_BETAS = (0.0, 0.01, 0.05, 0.1)
_HW_GAMMAS = (0.05, 0.1, 0.2, 0.3, 0.5)


def holt_winters(history: FloatArray, horizon: int) -> FloatArray:
    """Additive Holt-Winters (level, trend, weekly season), smoothing constants chosen on a grid
    by the in-sample one-step squared error: the textbook baseline."""
    y = np.asarray(history, dtype=float)
    if len(y) < 2 * SEASON:
        return seasonal_naive(y, horizon)
    best: tuple[float, float, float, list[float]] | None = None
    first = y[:SEASON].mean()
    for alpha in _HW_ALPHAS:
        for beta in _HW_BETAS:
            for gamma in _HW_GAMMAS:
                level, trend = first, 0.0
                season = list(y[:SEASON] - first)
                sse = 0.0
                for i in range(SEASON, len(y)):
                    past = season[i - SEASON]
                    error = y[i] - (level + trend + past)
                    sse += error * error
                    new_level = alpha * (y[i] - past) + (1 - alpha) * (level + trend)
                    trend = beta * (new_level - level) + (1 - beta) * trend
                    season.append(gamma * (y[i] - new_level) + (1 - gamma) * past)
                    level = new_level
                if best is None or sse < best[0]:
                    best = (sse, level, trend, season)
    assert best is not None
    _, level, trend, season = best
    n = len(season)
    return np.array(
        [level + (i + 1) * trend + season[n - SEASON + (i % SEASON)] for i in range(horizon)]
    )


# --- the production forecast ----------------------------------------------------------------


def _weighted_weekday_pattern(series: FloatArray, trading: BoolArray, start: int) -> FloatArray:
    """Mean per weekday (recent weeks weighing more), scaled to average 1. ``start`` is the
    weekday index of series[0] in the caller's numbering."""
    n = len(series)
    weights = 0.5 ** ((n - 1 - np.arange(n)) / PATTERN_HALF_LIFE) * trading
    weekday = (np.arange(n) + start) % SEASON
    sums = np.bincount(weekday, weights=series * weights, minlength=SEASON)
    mass = np.bincount(weekday, weights=weights, minlength=SEASON)
    means = np.where(mass > 0, sums / np.maximum(mass, 1e-12), 0.0)
    average = means.mean()
    return means / average if average > 0 else np.ones(SEASON)


def _mean_forecast(
    y: FloatArray, store: FloatArray, trading: BoolArray, horizon: int, half_life: float | None
) -> tuple[FloatArray, float]:
    """The mean per day ahead and the level half-life used (chosen when ``half_life`` is None)."""
    n = len(y)
    if n == 0 or not trading[:n].any():
        return np.zeros(horizon), LEVEL_HALF_LIVES[0]
    open_days = trading[:n]
    own = _weighted_weekday_pattern(y, open_days, 0)
    shop = _weighted_weekday_pattern(store, open_days, 0)
    units = float(y[open_days].sum())
    trust = units / (units + PATTERN_PRIOR_UNITS)
    pattern = trust * own + (1 - trust) * shop
    pattern = pattern / pattern.mean() if pattern.mean() > 0 else np.ones(SEASON)
    weekday = np.arange(n) % SEASON
    deseasonalised = np.where(open_days, y / np.maximum(pattern[weekday], 1e-6), 0.0)

    def level_at(end: int, hl: float) -> float:
        w = 0.5 ** ((end - 1 - np.arange(end)) / hl) * open_days[:end]
        total = w.sum()
        return float((deseasonalised[:end] * w).sum() / total) if total > 0 else 0.0

    if half_life is None:
        half_life = LEVEL_HALF_LIVES[1]
        cut = n - LEVEL_CHOICE_DAYS
        if cut >= 2 * SEASON and open_days[:cut].any():
            errors = []
            for hl in LEVEL_HALF_LIVES:
                fitted = level_at(cut, hl) * pattern[np.arange(cut, n) % SEASON]
                errors.append(float(np.abs(y[cut:] - fitted)[open_days[cut:]].sum()))
            half_life = LEVEL_HALF_LIVES[int(np.argmin(errors))]
    level = level_at(n, half_life)
    ahead = pattern[np.arange(n, n + horizon) % SEASON] * level
    return ahead, half_life


def _dispersion(y: FloatArray, store: FloatArray, trading: BoolArray) -> float:
    """Negative-binomial size from the forecast errors at several weekly origins (method of
    moments: E[(y - mu)^2 - mu] = mu^2 / size)."""
    actual: list[float] = []
    means: list[float] = []
    n = len(y)
    for k in range(1, DISPERSION_ORIGINS + 1):
        cut = n - SEASON * k
        if cut < 3 * SEASON:
            break
        mu, _ = _mean_forecast(y[:cut], store[:cut], trading[:cut], SEASON, None)
        days = trading[cut : cut + SEASON]
        actual.extend(y[cut : cut + SEASON][days])
        means.extend(np.maximum(mu[days], 1e-6))
    if not actual:
        return POISSON_SIZE
    a, m = np.array(actual), np.array(means)
    excess = float(np.mean((a - m) ** 2 - m))
    if excess <= 1e-9:
        return POISSON_SIZE
    return float(min(np.mean(m**2) / excess, POISSON_SIZE))


def demand_forecast(
    history: FloatArray,
    store_history: FloatArray,
    trading: BoolArray,
    horizon: int,
    *,
    future_factor: FloatArray | None = None,
) -> DemandForecast:
    """Forecast ``horizon`` days after ``history``. ``store_history`` is the whole store's units
    per day over the same days; ``trading`` covers the history (see the module docstring).
    ``future_factor`` scales each day ahead (public holidays: the store's usual holiday ratio).
    The weekday of history[0] anchors the pattern, so callers keep whole calendars."""
    y = np.asarray(history, dtype=float)
    store = np.asarray(store_history, dtype=float)
    mask = np.asarray(trading, dtype=bool)
    mean, half_life = _mean_forecast(y, store, mask, horizon, None)
    if future_factor is not None:
        mean = mean * future_factor
    size = _dispersion(y, store, mask)
    median = np.array([nb_quantile(mu, size, 0.5) for mu in mean])
    return DemandForecast(mean=mean, median=median, dispersion=size, level_half_life=half_life)


# --- distributions and scores ---------------------------------------------------------------


def nb_quantile(mean: float, size: float, q: float) -> float:
    """The smallest whole k with P(X <= k) >= q, X negative binomial (mean, size)."""
    if mean <= 0:
        return 0.0
    poisson = size >= POISSON_SIZE
    p = 0.0 if poisson else size / (size + mean)
    p_zero_log = -mean if poisson else size * log(p)

    def step(k: int) -> float:
        # log P(X = k) - log P(X = k - 1), so the loop needs no factorials.
        if poisson:
            return log(mean) - log(k)
        return log(k - 1 + size) - log(k) + log(1 - p)

    log_pk = p_zero_log
    cumulative = exp(log_pk)
    k = 0
    limit = int(mean * 20 + 1000)
    while cumulative < q and k < limit:
        k += 1
        log_pk += step(k)
        cumulative += exp(log_pk)
    return float(k)


def nb_sum_quantile(means: FloatArray, size: float, q: float) -> float:
    """A quantile of the total over several days, matching a negative binomial to the sum's
    mean and variance (the days' errors taken as independent)."""
    total = float(np.sum(means))
    if total <= 0:
        return 0.0
    variance = total + float(np.sum(np.asarray(means) ** 2)) / size
    excess = variance - total
    combined = POISSON_SIZE if excess <= 1e-9 else min(total**2 / excess, POISSON_SIZE)
    return nb_quantile(total, combined, q)


def mase(actual: FloatArray, forecast: FloatArray, training: FloatArray) -> float | None:
    """Mean absolute error scaled by the training part's mean absolute 7-day difference; None
    when that scale is zero (a series that never changed)."""
    train = np.asarray(training, dtype=float)
    if len(train) <= SEASON:
        return None
    scale = float(np.mean(np.abs(train[SEASON:] - train[:-SEASON])))
    if scale == 0:
        return None
    return float(np.mean(np.abs(np.asarray(actual) - np.asarray(forecast)))) / scale


__all__ = [
    "DemandForecast",
    "demand_forecast",
    "holt_winters",
    "mase",
    "nb_quantile",
    "nb_sum_quantile",
    "seasonal_naive",
]
