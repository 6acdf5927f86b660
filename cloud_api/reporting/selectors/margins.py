"""Reports over the per-product sums: sales by product and by category, gross margin per
store, VAT per band."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.db.models import Sum

from cloud_api.catalog.models import Product
from cloud_api.reporting.selectors.products import PRODUCT_SUMS, by_product_sums, product_sums
from cloud_api.reporting.selectors.scope import ReportFilter, refunds_in, store_names
from cloud_api.reporting.tables import Column, ReportTable, percent
from cloud_api.sales.models import RefundLine

MARGIN_COLUMNS = [
    Column("discount_cents", "Discounts", "money"),
    Column("tax_cents", "VAT", "money"),
    Column("total_cents", "Sales total", "money"),
    Column("net_ex_tax_cents", "Sales without VAT", "money"),
    Column("cost_cents", "Cost", "money"),
    Column("margin_cents", "Gross margin", "money"),
    Column("margin_percent", "Margin %", "percent"),
    Column("uncosted_total_cents", "Sales with no cost price", "money"),
]
MARGIN_SUMS = (
    "discount_cents",
    "tax_cents",
    "total_cents",
    "net_ex_tax_cents",
    "cost_cents",
    "margin_cents",
    "uncosted_total_cents",
)

# What a margin row stands for: a category (its id; None for none), a store, a VAT band's code.
GroupId = UUID | int | str | None


def _with_margin(row: dict[str, Any]) -> dict[str, Any]:
    """Margin on the lines that had a cost price: their sales without VAT less their cost."""
    row["net_ex_tax_cents"] = row["total_cents"] - row["tax_cents"]
    costed_net = row["net_ex_tax_cents"] - (row["uncosted_total_cents"] - row["uncosted_tax_cents"])
    row["margin_cents"] = costed_net - row["cost_cents"]
    row["margin_percent"] = percent(row["margin_cents"], costed_net)
    return row


def _margin_table(
    f: ReportFilter,
    *,
    report: str,
    title: str,
    label: str,
    groups: dict[GroupId, dict[str, Any]],
    extra: list[Column] | None = None,
) -> ReportTable:
    table = ReportTable(
        report=report,
        title=title,
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[Column("name", label, "text"), *(extra or []), *MARGIN_COLUMNS],
    )
    table.rows = sorted(
        (_with_margin(row) for row in groups.values()), key=lambda row: -row["total_cents"]
    )
    table.sum_totals(*MARGIN_SUMS, label_key="name")
    table.totals["margin_percent"] = percent(
        table.totals["margin_cents"],
        table.totals["margin_cents"] + table.totals["cost_cents"],
    )
    return table


def sales_by_product(f: ReportFilter) -> ReportTable:
    """Quantity, sales and gross margin per product (cost as it was when each sale arrived)."""
    sums = by_product_sums(f)
    products = {p.pk: p for p in Product.objects.filter(pk__in=sums.keys())}
    groups: dict[GroupId, dict[str, Any]] = {
        pk: {"id": products[pk].uuid, "name": products[pk].name, **values}
        for pk, values in sums.items()
    }
    table = _margin_table(
        f,
        report="sales-by-product",
        title="Sales by product",
        label="Product",
        groups=groups,
        extra=[Column("qty_milli", "Quantity", "qty_milli")],
    )
    table.sum_totals("qty_milli")
    return table


def _group_products(
    f: ReportFilter, key: Callable[[Product], tuple[GroupId, str]]
) -> dict[GroupId, dict[str, Any]]:
    sums = by_product_sums(f)
    groups: dict[GroupId, dict[str, Any]] = {}
    products = Product.objects.filter(pk__in=sums.keys()).select_related("category", "tax_class")
    for product in products:
        group_id, name = key(product)
        row = groups.setdefault(
            group_id, {"id": group_id, "name": name, **dict.fromkeys(PRODUCT_SUMS, 0)}
        )
        for field, value in sums[product.pk].items():
            row[field] += value
    return groups


def sales_by_category(f: ReportFilter) -> ReportTable:
    """Sales and gross margin per category (products with none under "No category")."""
    groups = _group_products(
        f,
        lambda p: (p.category.uuid, p.category.name) if p.category else (None, "No category"),
    )
    return _margin_table(
        f, report="sales-by-category", title="Sales by category", label="Category", groups=groups
    )


def gross_margin(f: ReportFilter) -> ReportTable:
    """Gross margin per store: sales without VAT less the cost at the time of each sale."""
    stores = store_names(f)
    groups: dict[GroupId, dict[str, Any]] = {}
    for store_id, sums in product_sums(f, "store_id").items():
        groups[store_id] = {"id": store_id, "name": stores.get(store_id, ""), **sums}
    return _margin_table(
        f, report="gross-margin", title="Gross margin by store", label="Store", groups=groups
    )


def vat(f: ReportFilter) -> ReportTable:
    """VAT per band (the products' tax classes): charged on sales, given back in refunds."""
    groups = _group_products(
        f,
        lambda p: (
            p.tax_class.code,
            f"{p.tax_class.name} ({p.tax_class.rate_basis_points / 100:g}%)",
        ),
    )
    refunded: dict[GroupId, dict[str, int]] = defaultdict(lambda: {"amount": 0, "tax": 0})
    for row in (
        RefundLine.objects.filter(refund__in=refunds_in(f))
        .values(
            "sale_line__product__tax_class__code",
            "sale_line__product__tax_class__name",
            "sale_line__product__tax_class__rate_basis_points",
        )
        .annotate(amount=Sum("amount_cents"), tax=Sum("tax_cents"))
    ):
        code = row["sale_line__product__tax_class__code"]
        refunded[code]["amount"] += int(row["amount"])
        refunded[code]["tax"] += int(row["tax"])
        rate = row["sale_line__product__tax_class__rate_basis_points"]
        groups.setdefault(
            code,
            {
                "id": code,
                "name": f"{row['sale_line__product__tax_class__name']} ({rate / 100:g}%)",
                **dict.fromkeys(PRODUCT_SUMS, 0),
            },
        )
    table = ReportTable(
        report="vat",
        title="VAT by band",
        date_from=f.date_from,
        date_to=f.date_to,
        columns=[
            Column("name", "VAT band", "text"),
            Column("total_cents", "Sales with VAT", "money"),
            Column("net_ex_tax_cents", "Sales without VAT", "money"),
            Column("tax_cents", "VAT on sales", "money"),
            Column("refunds_tax_cents", "VAT refunded", "money"),
            Column("net_tax_cents", "VAT due", "money"),
        ],
    )
    for band, group in sorted(groups.items(), key=lambda item: str(item[0])):
        back = refunded.get(band, {"amount": 0, "tax": 0})
        table.rows.append(
            {
                "id": band,
                "name": group["name"],
                "total_cents": group["total_cents"],
                "net_ex_tax_cents": group["total_cents"] - group["tax_cents"],
                "tax_cents": group["tax_cents"],
                "refunds_tax_cents": back["tax"],
                "net_tax_cents": group["tax_cents"] - back["tax"],
            }
        )
    table.sum_totals(
        "total_cents",
        "net_ex_tax_cents",
        "tax_cents",
        "refunds_tax_cents",
        "net_tax_cents",
        label_key="name",
    )
    return table
