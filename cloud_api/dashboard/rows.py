"""The shapes of the rows the dashboard's selectors hand to its pages and exports: plain dicts
(templates read them by key), typed so a misspelt key is caught before a page renders."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypedDict
from uuid import UUID

from cloud_api.accounts.models import Store, Terminal
from cloud_api.analytics.anomalies import Flag
from cloud_api.analytics.insights import Insight
from cloud_api.analytics.models import DemandForecastDay
from cloud_api.analytics.reorder import ReorderSuggestion
from cloud_api.analytics.selectors import ForecastProduct
from cloud_api.catalog.models import Product
from cloud_api.dashboard.periods import Span
from cloud_api.purchases.models import PurchaseOrderLine
from cloud_api.reporting.selectors.summary import SalesSummary


class PeriodSummary(SalesSummary):
    average_cents: int


class KpiCard(TypedDict):
    label: str
    previous_label: str
    span: Span
    current: PeriodSummary
    previous: PeriodSummary
    change_percent: int | None


class TrendDay(TypedDict):
    date: date
    total_cents: int
    sales_count: int


class SalesTrend(TypedDict):
    summary: SalesSummary
    days: list[TrendDay]


class TopProduct(TypedDict):
    product_id: UUID
    name: str
    sold_by: str
    total_cents: int
    quantity_milli: int
    sales_count: int


class TenderTotal(TypedDict):
    method: str
    label: str
    amount_cents: int


class StoreTotal(TypedDict):
    store_id: UUID
    name: str
    code: str
    total_cents: int
    sales_count: int


class HeatMap(TypedDict):
    """``cells[weekday-1][hour]`` in cents, ``counts`` likewise in sales."""

    cells: list[list[int]]
    counts: list[list[int]]
    hours: list[int]
    peak: int


class DrillChoice(TypedDict):
    """The chart a person came from: a product, a tender, a weekday and hour."""

    product: UUID | None
    method: str | None
    weekday: int | None
    hour: int | None


class StockAlert(TypedDict):
    store: Store
    product: Product
    on_hand_milli: int
    oversold_milli: int  # how far below zero on_hand_milli is (0 when it is not)
    threshold_milli: int | None
    daily_milli: int
    order_milli: int


class TillHealth(TypedDict):
    terminal: Terminal
    revoked: bool
    quiet: bool
    last_heard: datetime | None
    backlog: bool


class InsightsPanel(TypedDict):
    insights: list[Insight]
    flags: list[Flag]
    flag_days: int
    insights_as_of: datetime | None


class ForecastPanel(TypedDict):
    """One product's forecast in one store, and the products there are forecasts for."""

    store: Store | None
    products: list[ForecastProduct]
    product: Product | None
    days: list[DemandForecastDay]


class ReorderLine(TypedDict):
    s: ReorderSuggestion
    value_cents: int


class ReorderGroup(TypedDict):
    store: Store
    rows: list[ReorderLine]
    value_cents: int


class OrderLineRow(TypedDict):
    """A purchase-order line as the order page shows it, with what was typed into it."""

    line: PurchaseOrderLine
    total_cents: int
    typed: str
    removed: bool
    error: str | None
