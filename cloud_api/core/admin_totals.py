"""A summary line above an admin list: how many rows the filters select and what their
amounts add up to, per currency (the whole filtered list, not only the page shown)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Q, Sum

from cloud_api.core.admin_display import money


class ListTotals(admin.ModelAdmin):
    """Set ``list_total`` to (cents field, lookup of the row's currency code).

    ``list_total_only`` narrows what is added up (a voided sale is listed, not counted);
    ``list_total_note`` says so on the line."""

    list_total: tuple[str, str] = ("", "")
    list_total_only: Q | None = None
    list_total_note = ""
    change_list_template = "admin/totals_change_list.html"

    def changelist_view(self, request: Any, extra_context: dict[str, Any] | None = None) -> Any:
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context is not None and "cl" in context:
            context["list_totals"] = self.totals_line(context["cl"])
        return response

    def totals_line(self, changelist: Any) -> str:
        field, currency = self.list_total
        counted = changelist.queryset.order_by()
        if self.list_total_only is not None:
            counted = counted.filter(self.list_total_only)
        sums = counted.values(currency).annotate(amount=Sum(field)).order_by(currency)
        amounts = [money(row["amount"] or 0, row[currency]) for row in sums]
        count = changelist.result_count
        meta = self.model._meta
        noun = meta.verbose_name if count == 1 else meta.verbose_name_plural
        line = f"{count:,} {noun} listed, totalling {' + '.join(amounts) or 'nothing'}"
        return f"{line} ({self.list_total_note})" if self.list_total_note else line
