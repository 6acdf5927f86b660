from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cloud_api.reporting.models import ExportFormat, ExportJob

MAX_DAYS = 366


class SalesSummaryQuery(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    store_id = serializers.UUIDField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["date_from"] > attrs["date_to"]:
            raise serializers.ValidationError({"date_to": ["Must not be before date_from."]})
        if (attrs["date_to"] - attrs["date_from"]).days >= MAX_DAYS:
            raise serializers.ValidationError({"date_to": [f"At most {MAX_DAYS} days at once."]})
        return attrs


class DayOut(serializers.Serializer):
    date = serializers.DateField()
    sales_count = serializers.IntegerField()
    items_count = serializers.IntegerField()
    total_cents = serializers.IntegerField()
    tax_cents = serializers.IntegerField()


class SalesSummaryOut(serializers.Serializer):
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    store_id = serializers.UUIDField(allow_null=True)
    sales_count = serializers.IntegerField()
    items_count = serializers.IntegerField()
    total_cents = serializers.IntegerField()
    tax_cents = serializers.IntegerField()
    refunds_cents = serializers.IntegerField()
    net_cents = serializers.IntegerField()
    voided_count = serializers.IntegerField()
    by_day = DayOut(many=True)


class ColumnOut(serializers.Serializer):
    key = serializers.CharField()
    # A field named like Field.label (a string there): the stubs see a clash, DRF does not.
    label = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.ChoiceField(
        choices=["text", "date", "count", "money", "qty_milli", "percent"],
        help_text="money: integer cents; qty_milli: thousandths of a unit; percent: one decimal.",
    )


class ReportOut(serializers.Serializer):
    report = serializers.CharField()
    title = serializers.CharField()
    date_from = serializers.DateField(allow_null=True)
    date_to = serializers.DateField(allow_null=True)
    columns = ColumnOut(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(), help_text="One object per row, keyed by column key."
    )
    totals = serializers.DictField(help_text="The totals row, keyed by column key.")


class ExportStart(SalesSummaryQuery):
    report = serializers.CharField(max_length=32)
    format = serializers.ChoiceField(choices=ExportFormat.choices)

    def validate_report(self, value: str) -> str:
        from cloud_api.reporting.selectors.catalogue import REPORTS

        if value not in REPORTS:
            raise serializers.ValidationError(
                f"Unknown report; one of: {', '.join(sorted(REPORTS))}."
            )
        return value


class ExportJobOut(serializers.Serializer):
    id = serializers.UUIDField(source="uuid")
    report = serializers.CharField()
    format = serializers.CharField(source="file_format")
    status = serializers.CharField()
    progress_percent = serializers.IntegerField()
    error = serializers.CharField()
    filename = serializers.CharField()
    size_bytes = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != "done":
            return None
        return f"/api/v1/reports/exports/{job.uuid}/download/"
