"""Server-rendered head-office pages: overview, sales (the drill-down), one sale, the reports
with their CSV / XLSX / PDF exports (jobs of the reporting app, written by a worker), and the
streamed CSV of a sales list. Thin: the figures come from ``selectors``, ``status_selectors``
and ``reporting.selectors`` (its ``catalogue``, ``scope`` and ``export_jobs``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_POST

from cloud_api.accounts.models import Organisation
from cloud_api.core.principal import Principal
from cloud_api.dashboard import exports, selectors, status_selectors
from cloud_api.dashboard.access import dashboard_view
from cloud_api.dashboard.analytics_views import insights_panel
from cloud_api.dashboard.forms import DashboardLoginForm
from cloud_api.dashboard.pages import PageContext, page_status
from cloud_api.dashboard.rows import DrillChoice
from cloud_api.dashboard.templatetags.dashboard_format import report_cell
from cloud_api.payments.models import PaymentMethod
from cloud_api.reporting import services as report_services
from cloud_api.reporting.selectors import catalogue as report_catalogue
from cloud_api.reporting.selectors import export_jobs as report_exports
from cloud_api.reporting.selectors import scope as report_scope
from cloud_api.reporting.tables import Column

PAGE_SIZE = 50
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class LoginView(auth_views.LoginView):
    template_name = "dashboard/login.html"
    authentication_form = DashboardLoginForm
    redirect_authenticated_user = True
    next_page = reverse_lazy("dashboard:overview")  # type: ignore[assignment]  # lazy str


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("dashboard:login")  # type: ignore[assignment]  # lazy str


@require_GET
@dashboard_view
def overview(request: HttpRequest, principal: Principal) -> HttpResponse:
    page = PageContext(request, principal)
    sales_filter = selectors.SalesFilter(span=page.span, store=page.store)
    trend = selectors.sales_trend(principal=principal, span=page.span, store=page.store)
    products = selectors.top_products(principal=principal, sales_filter=sales_filter)
    payments = selectors.payment_mix(principal=principal, sales_filter=sales_filter)
    stores = selectors.store_comparison(principal=principal, sales_filter=sales_filter)
    heat = selectors.hour_weekday_heat(principal=principal, sales_filter=sales_filter)
    charts = {
        "currency": page.organisation.currency,
        "trend": {
            "labels": [day["date"].strftime("%a %d %b") for day in trend["days"]],
            "cents": [day["total_cents"] for day in trend["days"]],
            "links": [
                page.link("dashboard:sales", date_from=day["date"], date_to=day["date"])
                for day in trend["days"]
            ],
        },
        "products": {
            "labels": [row["name"] for row in products],
            "cents": [row["total_cents"] for row in products],
            "links": [page.link("dashboard:sales", product=row["product_id"]) for row in products],
        },
        "payments": {
            "labels": [row["label"] for row in payments],
            "cents": [row["amount_cents"] for row in payments],
            "links": [page.link("dashboard:sales", method=row["method"]) for row in payments],
        },
        "stores": {
            "labels": [row["name"] for row in stores],
            "cents": [row["total_cents"] for row in stores],
            "links": [
                f"{reverse('dashboard:sales')}?"
                + urlencode({**page.params(), "store": str(row["store_id"])})
                for row in stores
            ],
        },
    }
    heat_rows = [
        {
            "weekday": WEEKDAYS[day],
            "cells": [
                {
                    "hour": hour,
                    "cents": heat["cells"][day][hour],
                    "count": heat["counts"][day][hour],
                    "link": page.link("dashboard:sales", weekday=day + 1, hour=hour),
                }
                for hour in heat["hours"]
            ],
        }
        for day in range(7)
    ]
    context = {
        **page.context(),
        "section": "overview",
        "kpis": selectors.kpis(principal=principal, today=page.today, store=page.store),
        "summary": trend["summary"],
        "charts": charts,
        "products": products,
        "payments": payments,
        "store_rows": stores,
        "heat": heat,
        "heat_rows": heat_rows,
        "stock_alerts": status_selectors.stock_alerts(
            principal=principal, today=page.today, store=page.store
        ),
        "terminals": status_selectors.terminal_health(principal=principal, store=page.store),
        "notifications": status_selectors.recent_notifications(principal=principal),
        "unread": status_selectors.unread_count(principal=principal),
        "sales_link": page.link("dashboard:sales"),
        "export_days_link": page.link("dashboard:export-days"),
        "export_start_link": page.link("dashboard:export-start"),
        "reports_link": page.link("dashboard:reports"),
        "analytics_link": page.link("dashboard:analytics"),
        **insights_panel(principal, page),
    }
    return render(request, "dashboard/overview.html", context, status=page_status(page))


def _drill_filter(
    request: HttpRequest, page: PageContext
) -> tuple[selectors.SalesFilter, DrillChoice]:
    """The chart a person came from: a product, a tender, a weekday and hour."""
    product = _uuid(request.GET.get("product"))
    method = request.GET.get("method")
    if method not in PaymentMethod.values:
        method = None
    weekday = _int(request.GET.get("weekday"), 1, 7)
    hour = _int(request.GET.get("hour"), 0, 23)
    extra = DrillChoice(product=product, method=method, weekday=weekday, hour=hour)
    sales_filter = selectors.SalesFilter(
        span=page.span,
        store=page.store,
        product_uuid=product,
        method=method,
        weekday=weekday,
        hour=hour,
    )
    return sales_filter, extra


def _uuid(raw: str | None) -> UUID | None:
    try:
        return UUID(raw) if raw else None
    except ValueError:
        return None


def _int(raw: str | None, lowest: int, highest: int) -> int | None:
    if raw is None or not raw.isdigit():
        return None
    value = int(raw)
    return value if lowest <= value <= highest else None


def _drill_labels(principal: Principal, extra: DrillChoice) -> list[str]:
    from cloud_api.catalog.models import Product

    labels = []
    if extra["product"] is not None:
        name = (
            Product.objects.filter(organisation_id=principal.organisation_id, uuid=extra["product"])
            .values_list("name", flat=True)
            .first()
        )
        labels.append(f"with {name or 'an unknown product'}")
    if extra["method"] is not None:
        labels.append(f"paid by {PaymentMethod(extra['method']).label}")
    if extra["weekday"] is not None:
        labels.append(f"on {WEEKDAYS[extra['weekday'] - 1]}s")
    if extra["hour"] is not None:
        labels.append(f"between {extra['hour']:02d}:00 and {extra['hour']:02d}:59")
    return labels


@require_GET
@dashboard_view
def sales(request: HttpRequest, principal: Principal) -> HttpResponse:
    page = PageContext(request, principal)
    sales_filter, extra = _drill_filter(request, page)
    rows = selectors.sale_list(principal=principal, sales_filter=sales_filter)
    paginator = Paginator(rows.prefetch_related("payments"), PAGE_SIZE)
    sales_page = paginator.get_page(_int(request.GET.get("page"), 1, 10**6) or 1)
    context = {
        **page.context(),
        "section": "sales",
        "page": sales_page,
        "totals": selectors.sale_totals(rows),
        "drill": _drill_labels(principal, extra),
        "drill_params": {key: value for key, value in extra.items() if value is not None},
        "export_link": page.link("dashboard:export-sales", **extra),
        "page_link": page.link("dashboard:sales", **extra) + "&page=",
        "clear_link": page.link("dashboard:sales"),
    }
    return render(request, "dashboard/sales.html", context, status=page_status(page))


@require_GET
@dashboard_view
def sale_detail(request: HttpRequest, principal: Principal, sale_id: UUID) -> HttpResponse:
    sale = selectors.sale_get(principal=principal, sale_uuid=sale_id)
    if sale is None:
        raise Http404("No such sale.")
    organisation = Organisation.objects.get(pk=principal.organisation_id)
    return render(
        request,
        "dashboard/sale_detail.html",
        {
            "sale": sale,
            "organisation": organisation,
            "currency": sale.currency,
            "section": "sales",
            "back": request.GET.get("back", "") if _safe_back(request.GET.get("back")) else "",
        },
    )


def _safe_back(back: str | None) -> bool:
    return back is not None and back.startswith(reverse("dashboard:sales")) and "//" not in back


@require_GET
@dashboard_view
def export_sales(request: HttpRequest, principal: Principal) -> HttpResponseBase:
    page = PageContext(request, principal)
    if not page.valid:
        return render(request, "dashboard/refused.html", {"problem": page.errors}, status=400)
    sales_filter, _ = _drill_filter(request, page)
    rows = selectors.sale_list(principal=principal, sales_filter=sales_filter)
    return _csv(
        exports.sales_rows(rows, page.organisation.time_zone),
        f"sales-{page.span.date_from}-{page.span.date_to}.csv",
    )


@require_GET
@dashboard_view
def export_days(request: HttpRequest, principal: Principal) -> HttpResponseBase:
    page = PageContext(request, principal)
    if not page.valid:
        return render(request, "dashboard/refused.html", {"problem": page.errors}, status=400)
    trend = selectors.sales_trend(principal=principal, span=page.span, store=page.store)
    return _csv(
        exports.day_rows(trend), f"sales-by-day-{page.span.date_from}-{page.span.date_to}.csv"
    )


def _csv(rows: Iterable[list[str]], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        exports.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


EXPORT_FORMATS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "pdf": "PDF"}
DEFAULT_REPORT = "sales-by-day"


def _report_name(value: str | None) -> str | None:
    name = value or DEFAULT_REPORT
    return name if name in report_catalogue.REPORTS else None


@require_GET
@dashboard_view
def reports(request: HttpRequest, principal: Principal) -> HttpResponse:
    """One report of the period on screen (the API's figures), with its export buttons."""
    page = PageContext(request, principal)
    name = _report_name(request.GET.get("report"))
    if name is None:
        return render(
            request, "dashboard/refused.html", {"problem": ["There is no such report."]}, status=400
        )
    table = report_catalogue.report_run(
        name,
        report_scope.report_filter(
            principal=principal,
            date_from=page.span.date_from,
            date_to=page.span.date_to,
            store=page.store,
        ),
    )
    context = {
        **page.context(),
        "section": "reports",
        "report": name,
        "table": table,
        "columns": [
            (column.label, column.kind not in ("text", "date")) for column in table.columns
        ],
        "rows": [_report_line(table.columns, row) for row in table.rows],
        "totals": _report_line(table.columns, table.totals),
        "reports": report_catalogue.REPORT_TITLES,
        "formats": EXPORT_FORMATS,
        "drill_params": {"report": name},
        "query_base": urlencode(page.params()) + "&",
    }
    return render(request, "dashboard/reports.html", context, status=page_status(page))


def _report_line(columns: Sequence[Column], values: dict[str, Any]) -> list[tuple[str, bool]]:
    return [
        (report_cell(values.get(c.key), c.kind), c.kind not in ("text", "date")) for c in columns
    ]


@require_POST
@dashboard_view
def export_start(request: HttpRequest, principal: Principal) -> HttpResponse:
    """Queue an export of a report (the filters of the page it came from); a worker writes it
    and the status page follows its progress."""
    page = PageContext(request, principal)  # reads store and dates from the query string
    name = _report_name(request.POST.get("report"))
    file_format = request.POST.get("format", "")
    if not page.valid or name is None or file_format not in EXPORT_FORMATS:
        problem = page.errors or ["Choose a report and a format (CSV, XLSX or PDF)."]
        return render(request, "dashboard/refused.html", {"problem": problem}, status=400)
    job = report_services.export_start(
        principal=principal,
        report=name,
        file_format=file_format,
        date_from=page.span.date_from,
        date_to=page.span.date_to,
        store=page.store,
    )
    return redirect("dashboard:export", job_id=job.uuid)


@require_GET
@dashboard_view
def export_status(request: HttpRequest, principal: Principal, job_id: UUID) -> HttpResponse:
    """An export's progress; the page refreshes itself until the file is ready."""
    job = report_exports.export_get(principal=principal, job_uuid=job_id)
    if job is None:
        raise Http404("No such export.")
    organisation = Organisation.objects.get(pk=principal.organisation_id)
    context = {
        "job": job,
        "organisation": organisation,
        "section": "reports",
        "title": report_catalogue.REPORT_TITLES.get(job.report, job.report),
        "format_label": EXPORT_FORMATS.get(job.file_format, job.file_format),
        "working": job.status in ("queued", "running"),
    }
    return render(request, "dashboard/export.html", context)


@require_GET
@dashboard_view
def export_download(request: HttpRequest, principal: Principal, job_id: UUID) -> HttpResponse:
    job = report_exports.export_get(principal=principal, job_uuid=job_id)
    if job is None:
        raise Http404("No such export.")
    found = report_exports.export_file(job)
    if found is None:
        return redirect("dashboard:export", job_id=job.uuid)
    content, content_type, filename = found
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
