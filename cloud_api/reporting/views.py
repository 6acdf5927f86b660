from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar
from uuid import UUID

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cloud_api.accounts.models import Store
from cloud_api.accounts.selectors import store_list
from cloud_api.core.errors import ConflictError
from cloud_api.core.principal import HEAD_OFFICE, MANAGER, OWNER
from cloud_api.core.views import PrincipalMixin, resolve
from cloud_api.reporting import serializers
from cloud_api.reporting.models import ExportJob
from cloud_api.reporting.routers import report_reads
from cloud_api.reporting.selectors import catalogue, export_jobs, scope
from cloud_api.reporting.selectors.summary import sales_summary
from cloud_api.reporting.services import export_start

REPORT_READERS = {OWNER, MANAGER, HEAD_OFFICE}


class _StoreQueryMixin(PrincipalMixin):
    def _store(self, store_id: UUID | None) -> Store | None:
        store = resolve(store_list(principal=self.principal), store_id, "store_id", "store")
        assert store is None or isinstance(store, Store)
        return store


class SalesSummaryView(_StoreQueryMixin, APIView):
    """Totals and a day-by-day breakdown; dates are the store's local calendar dates.

    Voided sales are left out (and counted in ``voided_count``); refunds are reported on the
    day they were given and subtracted in ``net_cents``.
    """

    roles = {"read": REPORT_READERS}

    @extend_schema(
        parameters=[serializers.SalesSummaryQuery], responses=serializers.SalesSummaryOut
    )
    def get(self, request: Request) -> Response:
        query = serializers.SalesSummaryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        store = self._store(query.validated_data["store_id"])
        with report_reads():
            summary = sales_summary(
                principal=self.principal,
                date_from=query.validated_data["date_from"],
                date_to=query.validated_data["date_to"],
                store=store,
            )
        return Response(serializers.SalesSummaryOut(summary).data)


class ReportView(_StoreQueryMixin, APIView):
    """One report as columns (key, label, kind), rows and a totals row. Money is in integer
    cents, quantities in thousandths; dates are the store's local calendar dates. A manager
    sees their own store only."""

    roles = {"read": REPORT_READERS}
    report_name: ClassVar[str] = ""

    @extend_schema(parameters=[serializers.SalesSummaryQuery], responses=serializers.ReportOut)
    def get(self, request: Request) -> Response:
        query = serializers.SalesSummaryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        f = scope.report_filter(
            principal=self.principal,
            date_from=query.validated_data["date_from"],
            date_to=query.validated_data["date_to"],
            store=self._store(query.validated_data["store_id"]),
        )
        with report_reads():
            table = catalogue.report_run(self.report_name, f)
        return Response(serializers.ReportOut(table).data)


def report_view(name: str) -> Callable[..., HttpResponseBase]:
    """The view of the report called ``name`` (its own class, so the schema names it)."""
    summary = (catalogue.REPORTS[name].__doc__ or "").split("\n")[0]
    view: type[ReportView] = type(
        "Report" + "".join(part.title() for part in name.split("-")) + "View",
        (ReportView,),
        {"report_name": name, "__doc__": f"{summary}\n\n{ReportView.__doc__}"},
    )
    return view.as_view()


class _ExportMixin(PrincipalMixin):
    def _job(self, job_id: UUID) -> ExportJob:
        # Only the person who asked for an export (or an owner) sees it.
        job = export_jobs.export_get(principal=self.principal, job_uuid=job_id)
        if job is None:
            raise NotFound("No such export.")
        return job


class ExportListView(_StoreQueryMixin, APIView):
    """Start an export (CSV, XLSX or PDF) of a report; a background worker writes the file.
    Poll the job for ``status`` and ``progress_percent``; when done, fetch ``download_url``."""

    roles = {"read": REPORT_READERS, "write": REPORT_READERS}

    @extend_schema(request=serializers.ExportStart, responses={202: serializers.ExportJobOut})
    def post(self, request: Request) -> Response:
        body = serializers.ExportStart(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        job = export_start(
            principal=self.principal,
            report=data["report"],
            file_format=data["format"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            store=self._store(data["store_id"]),
        )
        job.refresh_from_db()  # a worker running eagerly (demo) has finished it already
        return Response(serializers.ExportJobOut(job).data, status=202)


class ExportDetailView(_ExportMixin, APIView):
    """An export job: its status, progress and (when done) where to download the file."""

    roles = {"read": REPORT_READERS}

    @extend_schema(responses=serializers.ExportJobOut)
    def get(self, request: Request, id: UUID) -> Response:
        return Response(serializers.ExportJobOut(self._job(id)).data)


class ExportDownloadView(_ExportMixin, APIView):
    """The file an export job wrote."""

    roles = {"read": REPORT_READERS}

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            409: OpenApiResponse(description="The export is not ready."),
        }
    )
    def get(self, request: Request, id: UUID) -> HttpResponse:
        found = export_jobs.export_file(self._job(id))
        if found is None:
            raise ConflictError("This export is not ready yet: poll it until its status is done.")
        content, content_type, filename = found
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
