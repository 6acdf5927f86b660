"""The forecast methods alone (numpy, no database): MASE, the baselines, the negative-binomial
quantiles, and the production forecast on series with a known weekly pattern."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cloud_api.analytics.forecast_methods import (
    demand_forecast,
    holt_winters,
    mase,
    nb_quantile,
    nb_sum_quantile,
    seasonal_naive,
)

WEEK = np.array([2.0, 3.0, 3.0, 4.0, 8.0, 12.0, 1.0])


def test_mase_on_a_hand_example():
    training = np.array([1, 2, 3, 4, 5, 6, 7, 3, 2, 3, 4, 5, 6, 9], dtype=float)
    # 7-day differences: |3-1| |2-2| |3-3| |4-4| |5-5| |6-6| |9-7| -> mean 4/7
    actual = np.array([2.0, 4.0])
    forecast = np.array([3.0, 1.0])  # errors 1 and 3 -> MAE 2

    assert mase(actual, forecast, training) == pytest.approx(2 / (4 / 7))


def test_mase_is_none_when_the_training_part_never_changed():
    assert mase(np.ones(7), np.zeros(7), np.ones(21)) is None


def test_seasonal_naive_repeats_last_week():
    history = np.arange(14, dtype=float)

    assert list(seasonal_naive(history, 9)) == [7, 8, 9, 10, 11, 12, 13, 7, 8]


def test_holt_winters_recovers_a_clean_weekly_pattern():
    history = np.tile(WEEK, 12) + 5

    assert holt_winters(history, 7) == pytest.approx(WEEK + 5, abs=0.05)


@pytest.mark.parametrize("mean", [0.3, 1.0, 4.0, 25.0])
def test_nb_quantile_with_a_huge_size_is_the_poisson_median(mean):
    cumulative, k = 0.0, -1
    while cumulative < 0.5:
        k += 1
        cumulative += math.exp(-mean + k * math.log(mean) - math.lgamma(k + 1))

    assert nb_quantile(mean, 1e9, 0.5) == k


def test_over_dispersion_lowers_the_median_and_widens_the_interval():
    mean = 3.0
    assert nb_quantile(mean, 0.5, 0.5) < nb_quantile(mean, 1e9, 0.5)
    assert nb_quantile(mean, 0.5, 0.95) > nb_quantile(mean, 1e9, 0.95)


@given(
    means=st.lists(st.floats(0.0, 50.0), min_size=1, max_size=30),
    size=st.floats(0.2, 1e6),
    low=st.floats(0.5, 0.9),
)
@settings(max_examples=60, deadline=None)
def test_a_higher_service_level_never_stocks_less(means, size, low):
    values = np.array(means)
    low_level = nb_sum_quantile(values, size, low)
    high_level = nb_sum_quantile(values, size, min(low + 0.09, 0.999))

    assert 0 <= low_level <= high_level


def _weekly_demand(seed: int, weeks: int, scale: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.poisson(np.tile(WEEK * scale, weeks)).astype(float)


@pytest.mark.parametrize("scale", [0.3, 1.0, 3.0])
def test_the_production_forecast_beats_seasonal_naive_on_a_weekly_pattern(scale):
    ours, naive = [], []
    for seed in range(40):
        series = _weekly_demand(seed, 20, scale)
        training, actual = series[:-7], series[-7:]
        trading = np.ones(len(training), dtype=bool)
        forecast = demand_forecast(training, training, trading, 7)
        ours.append(mase(actual, forecast.median, training))
        naive.append(mase(actual, seasonal_naive(training, 7), training))

    assert np.mean(ours) < 0.85 * np.mean(naive)


def test_the_forecast_follows_the_weekly_shape_and_brackets_it():
    series = _weekly_demand(7, 20, 3.0)
    forecast = demand_forecast(series, series, np.ones(len(series), dtype=bool), 14)

    assert np.argmax(forecast.mean[:7]) == 5  # the busiest weekday of WEEK
    assert forecast.mean[:7] == pytest.approx(forecast.mean[7:])
    lower, upper = forecast.quantile(0.1), forecast.quantile(0.9)
    assert np.all(lower <= forecast.median) and np.all(forecast.median <= upper)
    assert np.all(upper > lower)


def test_closed_days_do_not_drag_the_forecast_down():
    series = np.tile(WEEK * 3, 10)
    closed = series.copy()
    closed[-14:-7] = 0  # the shop shut for a week
    trading = np.ones(len(series), dtype=bool)
    trading[-14:-7] = False

    open_all = demand_forecast(series, series, np.ones(len(series), dtype=bool), 7)
    with_gap = demand_forecast(closed, closed, trading, 7)

    assert with_gap.mean == pytest.approx(open_all.mean, rel=0.02)


def test_a_holiday_factor_scales_the_days_it_falls_on():
    series = np.tile(WEEK * 3, 10)
    factor = np.ones(7)
    factor[2] = 0.0
    forecast = demand_forecast(
        series, series, np.ones(len(series), dtype=bool), 7, future_factor=factor
    )

    assert forecast.mean[2] == 0 and forecast.median[2] == 0
    assert forecast.mean[3] > 0


def test_a_product_that_never_sold_forecasts_zero():
    forecast = demand_forecast(np.zeros(40), np.ones(40), np.ones(40, dtype=bool), 7)

    assert list(forecast.median) == [0.0] * 7
