"""Every report by its URL name, with its title, and running one by name."""

from __future__ import annotations

from collections.abc import Callable

from cloud_api.reporting.selectors.margins import (
    gross_margin,
    sales_by_category,
    sales_by_product,
    vat,
)
from cloud_api.reporting.selectors.operations import (
    purchases_by_supplier,
    shift_history,
    stock_movements,
    stock_valuation,
)
from cloud_api.reporting.selectors.sales import (
    refunds_voids_discounts,
    sales_by_cashier,
    sales_by_payment_method,
    sales_by_period,
    sales_by_store,
    sales_by_terminal,
)
from cloud_api.reporting.selectors.scope import ReportFilter
from cloud_api.reporting.tables import ReportTable

REPORTS: dict[str, Callable[[ReportFilter], ReportTable]] = {
    "sales-by-day": lambda f: sales_by_period(f, "day"),
    "sales-by-week": lambda f: sales_by_period(f, "week"),
    "sales-by-month": lambda f: sales_by_period(f, "month"),
    "sales-by-store": sales_by_store,
    "sales-by-terminal": sales_by_terminal,
    "sales-by-cashier": sales_by_cashier,
    "sales-by-product": sales_by_product,
    "sales-by-category": sales_by_category,
    "sales-by-payment-method": sales_by_payment_method,
    "gross-margin": gross_margin,
    "vat": vat,
    "refunds-voids-discounts": refunds_voids_discounts,
    "stock-valuation": stock_valuation,
    "stock-movements": stock_movements,
    "purchases-by-supplier": purchases_by_supplier,
    "shifts": shift_history,
}


def report_run(name: str, f: ReportFilter) -> ReportTable:
    """Run the report called ``name`` (a key of ``REPORTS``)."""
    table = REPORTS[name](f)
    table.report = name
    return table


REPORT_TITLES: dict[str, str] = {
    "sales-by-day": "Sales by day",
    "sales-by-week": "Sales by week",
    "sales-by-month": "Sales by month",
    "sales-by-store": "Sales by store",
    "sales-by-terminal": "Sales by till",
    "sales-by-cashier": "Sales by cashier",
    "sales-by-product": "Sales by product",
    "sales-by-category": "Sales by category",
    "sales-by-payment-method": "Sales by payment method",
    "gross-margin": "Gross margin",
    "vat": "VAT",
    "refunds-voids-discounts": "Refunds, voids and discounts",
    "stock-valuation": "Stock valuation",
    "stock-movements": "Stock movements",
    "purchases-by-supplier": "Purchases by supplier",
    "shifts": "Shift (X/Z) history",
}
