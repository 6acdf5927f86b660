"""Sale writes, one module per use case: record a sale (``record``), void it (``void``), refund
it (``refund``), and the checks a sale passes first (``checks``). Other apps use these names."""

from cloud_api.sales.dates import local_date
from cloud_api.sales.selectors import catalog_prices_at
from cloud_api.sales.services.checks import (
    payload_digest,
    sale_problem,
    sale_tax_mismatch,
    tax_mismatch_error,
)
from cloud_api.sales.services.record import (
    BuiltSale,
    sale_build,
    sale_record,
    sales_write,
)
from cloud_api.sales.services.refund import refund_create
from cloud_api.sales.services.void import sale_void

__all__ = [
    "BuiltSale",
    "catalog_prices_at",
    "local_date",
    "payload_digest",
    "refund_create",
    "sale_build",
    "sale_problem",
    "sale_record",
    "sale_tax_mismatch",
    "sale_void",
    "sales_write",
    "tax_mismatch_error",
]
