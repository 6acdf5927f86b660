"""Report selectors: each returns a ``ReportTable`` (typed columns, rows, totals) or, for the
fixed v1 summary, its dict. Dates are the store's local calendar dates (``business_date``).

Sales figures come from the daily aggregates (``models.py``), kept in the transaction that
writes each sale, so a year of a hundred stores is thousands of rows; refunds, stock, purchases
and shifts are read from their own tables (rare rows, or current state). Every selector takes a
``ReportFilter`` made by ``report_filter``, which applies the principal's store scope.

``scope`` (the filter and the querysets reports start from), ``summary`` (the v1 summary),
``sales`` (by period, store, till, cashier, tender; refunds, voids, discounts), ``products``
(per-product sums from months and days), ``margins`` (product, category, margin, VAT),
``operations`` (stock, purchases, shifts), ``catalogue`` (every report by name),
``export_jobs`` (the export jobs a principal may see).
"""
