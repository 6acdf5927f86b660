"""The head-office dashboard's pages: who may open them, what they show, and that every
figure is the API's sales summary to the cent."""

from __future__ import annotations

import csv
import io
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import PASSWORD, jwt_client, make_org, terminal_client

NAIROBI = zoneinfo.ZoneInfo("Africa/Nairobi")
PAGES = [
    "dashboard:overview",
    "dashboard:sales",
    "dashboard:export-sales",
    "dashboard:export-days",
    "dashboard:reports",
    "dashboard:analytics",
]


def today():
    return datetime.now(NAIROBI).date()


def at(day, hour: int = 13):
    return datetime(day.year, day.month, day.day, hour, 5, tzinfo=NAIROBI)


def signed_in(client, user):
    client.force_login(user)
    return client


def sales_rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


# --- who may open it -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_is_sent_to_the_dashboards_own_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("dashboard:login") + "?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_a_cashier_is_refused_in_plain_words(org_a, client, name):
    response = signed_in(client, org_a.users["cashier"]).get(reverse(name))
    assert response.status_code == 403
    assert b"cannot open the dashboard" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_a_till_token_opens_nothing(org_a, client, name):
    till = terminal_client(org_a)
    response = till.get(reverse(name))
    assert response.status_code == 302  # no session: the sign-in page, never data
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_a_persons_jwt_is_not_a_dashboard_session(org_a):
    response = jwt_client(org_a.users["owner"]).get(reverse("dashboard:overview"))
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["owner", "head_office", "manager"])
def test_owner_head_office_and_manager_open_every_page(org_a, client, role, record_sale):
    record_sale(org_a, completed_at=at(today()))
    signed_in(client, org_a.users[role])
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name


# --- signing in ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_signing_in_and_out_through_the_dashboards_form(org_a, client):
    login = reverse("dashboard:login")
    page = client.get(login)
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content

    wrong = client.post(login, {"username": org_a.users["owner"].email, "password": "nope"})
    assert wrong.status_code == 200 and b"do not match an account" in wrong.content

    right = client.post(
        login + "?next=/dashboard/sales/",
        {"username": org_a.users["owner"].email, "password": PASSWORD, "next": "/dashboard/sales/"},
    )
    assert right.status_code == 302 and right["Location"] == "/dashboard/sales/"
    assert client.get(reverse("dashboard:overview")).status_code == 200

    out = client.post(reverse("dashboard:logout"))
    assert out.status_code == 302 and out["Location"] == login
    assert client.get(reverse("dashboard:overview")).status_code == 302


@pytest.mark.django_db
def test_the_sign_in_form_refuses_a_cashier_and_a_foreign_next(org_a, client):
    login = reverse("dashboard:login")
    cashier = client.post(login, {"username": org_a.users["cashier"].email, "password": PASSWORD})
    assert (
        cashier.status_code == 200 and b"cannot open the head-office dashboard" in cashier.content
    )
    owner = client.post(
        login,
        {
            "username": org_a.users["owner"].email,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert owner["Location"] == reverse("dashboard:overview")


@pytest.mark.django_db
def test_the_sign_in_form_checks_csrf(org_a):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("dashboard:login"),
        {"username": org_a.users["owner"].email, "password": PASSWORD},
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_the_sign_in_form_is_behind_the_failed_sign_in_guard(org_a, client):
    login = reverse("dashboard:login")
    email = org_a.users["owner"].email
    for n in range(40):
        client.post(login, {"username": email, "password": f"wrong-{n}"})
    held = client.post(login, {"username": email, "password": PASSWORD})
    assert held.status_code == 200  # the form again, not the redirect into the dashboard
    assert b"Too many failed sign-ins" in held.content


# --- figures ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_overview_agrees_with_the_sales_summary_to_the_cent(org_a, client, record_sale):
    day = today()
    record_sale(org_a, completed_at=at(day), pay=[("cash", 20000), ("mpesa", 11000)])
    record_sale(org_a, completed_at=at(day, 9))
    record_sale(org_a, completed_at=at(day - timedelta(days=3), 17))
    signed_in(client, org_a.users["owner"])

    response = client.get(reverse("dashboard:overview"))

    api = jwt_client(org_a.users["owner"]).get(
        "/api/v1/reports/sales-summary/",
        {"date_from": (day - timedelta(days=29)).isoformat(), "date_to": day.isoformat()},
    )
    summary = response.context["summary"]
    assert summary["total_cents"] == api.json()["total_cents"] > 0
    assert summary["sales_count"] == api.json()["sales_count"] == 3
    today_card = response.context["kpis"][0]
    assert today_card["label"] == "Today" and today_card["current"]["sales_count"] == 2
    charts = response.context["charts"]
    assert sum(charts["trend"]["cents"]) == api.json()["total_cents"]
    assert sum(charts["stores"]["cents"]) == api.json()["total_cents"]
    assert sum(charts["payments"]["cents"]) == api.json()["total_cents"]  # cash after change
    assert sum(sum(row) for row in response.context["heat"]["cells"]) == api.json()["total_cents"]
    shown = response.content.decode()
    assert "KES " in shown and f"{api.json()['total_cents'] // 100:,}." in shown


@pytest.mark.django_db
def test_money_is_shown_as_people_read_it(org_a, client, record_sale):
    sale = record_sale(org_a, completed_at=at(today()))
    signed_in(client, org_a.users["owner"])
    page = client.get(reverse("dashboard:sale", args=[sale.uuid])).content.decode()
    assert "KES 310.00" in page  # 2 x 80.00 + 1.250 kg x 120.00
    assert "1.250 kg" in page
    assert "31000" not in page


@pytest.mark.django_db
def test_a_manager_sees_only_their_own_store(org_a, client, record_sale):
    from cloud_api.sales.models import Sale

    record_sale(org_a, completed_at=at(today()))
    branch_sale = record_sale(org_a, completed_at=at(today()))
    Sale.objects.filter(pk=branch_sale.pk).update(store=org_a.stores[1])
    call_command("reports_rebuild", "--org", str(org_a.organisation.pk))  # raw rows changed
    signed_in(client, org_a.users["manager"])

    overview = client.get(reverse("dashboard:overview"))
    assert overview.context["summary"]["sales_count"] == 1
    assert [store.pk for store in overview.context["stores"]] == [org_a.stores[0].pk]
    assert client.get(reverse("dashboard:sale", args=[branch_sale.uuid])).status_code == 404
    other = client.get(reverse("dashboard:overview"), {"store": str(org_a.stores[1].uuid)})
    assert other.status_code == 404


@pytest.mark.django_db
def test_another_organisations_data_is_never_visible(org_a, client, record_sale):
    org_b = make_org("Beta Stores")
    theirs = record_sale(org_b, completed_at=at(today()))
    signed_in(client, org_a.users["owner"])

    overview = client.get(reverse("dashboard:overview"))
    assert overview.context["summary"]["sales_count"] == 0
    assert b"No sales in this period" in overview.content
    assert client.get(reverse("dashboard:sale", args=[theirs.uuid])).status_code == 404
    foreign_store = {"store": str(org_b.stores[0].uuid)}
    assert client.get(reverse("dashboard:sales"), foreign_store).status_code == 404
    rows = sales_rows(client.get(reverse("dashboard:export-sales")))
    assert rows == []
    assert theirs.receipt_no.encode() not in client.get(reverse("dashboard:sales")).content


# --- drill-down and exports ------------------------------------------------------------------


@pytest.mark.django_db
def test_drilling_down_by_day_product_tender_and_hour(org_a, client, record_sale):
    day = today()
    coke, tomatoes = org_a.products
    only_coke = record_sale(org_a, items=[(coke, 1, None)], completed_at=at(day, 9))
    both = record_sale(org_a, pay=[("mpesa", 31000)], completed_at=at(day - timedelta(days=1), 18))
    signed_in(client, org_a.users["owner"])
    sales = reverse("dashboard:sales")

    def receipts(**params):
        response = client.get(sales, params)
        assert response.status_code == 200
        return {sale.receipt_no for sale in response.context["page"].object_list}

    assert receipts() == {only_coke.receipt_no, both.receipt_no}
    assert receipts(date_from=day.isoformat(), date_to=day.isoformat()) == {only_coke.receipt_no}
    assert receipts(product=str(tomatoes.uuid)) == {both.receipt_no}
    assert receipts(method="mpesa") == {both.receipt_no}
    assert receipts(hour=9, weekday=day.isoweekday()) == {only_coke.receipt_no}
    assert receipts(hour=18) == {both.receipt_no}

    detail = client.get(reverse("dashboard:sale", args=[both.uuid]))
    assert b"Tomatoes (kg)" in detail.content and b"M-Pesa" in detail.content


@pytest.mark.django_db
def test_the_sales_export_holds_the_filtered_sales_in_currency_units(org_a, client, record_sale):
    day = today()
    record_sale(org_a, completed_at=at(day), pay=[("cash", 50000)])
    record_sale(org_a, completed_at=at(day), pay=[("card", 31000)])
    signed_in(client, org_a.users["owner"])

    response = client.get(reverse("dashboard:export-sales"), {"method": "card"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = sales_rows(response)
    assert [(row["Total"], row["Card"], row["Cash"]) for row in rows] == [
        ("310.00", "310.00", "0.00")
    ]

    days = sales_rows(client.get(reverse("dashboard:export-days")))
    assert days[-3]["Date"] == "Total" and days[-3]["Total"] == "620.00"
    assert days[-1]["Date"] == "Net"


@pytest.mark.django_db
def test_a_name_that_a_spreadsheet_would_run_is_exported_as_text(org_a, client, record_sale):
    from cloud_api.accounts.models import User

    User.objects.filter(pk=org_a.users["cashier"].pk).update(name="=HYPERLINK(1)")
    record_sale(org_a, completed_at=at(today()))
    signed_in(client, org_a.users["owner"])
    rows = sales_rows(client.get(reverse("dashboard:export-sales")))
    assert rows[0]["Cashier"] == "'=HYPERLINK(1)"


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2026-13-01"},
        {"date_from": "2026-02-01", "date_to": "2026-01-01"},
        {"date_from": "2020-01-01", "date_to": "2026-01-01"},
        {"store": "not-a-uuid"},
    ],
)
def test_bad_filters_are_explained_not_crashed_on(org_a, client, params):
    signed_in(client, org_a.users["owner"])
    response = client.get(reverse("dashboard:overview"), params)
    assert response.status_code == 400
    assert b'role="alert"' in response.content
    export = client.get(reverse("dashboard:export-sales"), params)
    assert export.status_code == 400


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "date_from",
                "date_to",
                "store",
                "product",
                "method",
                "weekday",
                "hour",
                "page",
                "supplier",
            ]
        ),
        st.text(max_size=12),
        max_size=5,
    )
)
def test_no_query_string_makes_a_server_error(params):
    from django.test import Client

    from cloud_api.accounts.models import User

    owner = User.objects.filter(email="owner@fuzzshop.example").first()
    if owner is None:
        owner = make_org("Fuzz Shop", with_terminal=False).users["owner"]
    client = Client()
    client.force_login(owner)
    for name in (
        "dashboard:overview",
        "dashboard:sales",
        "dashboard:export-sales",
        "dashboard:analytics",
    ):
        assert client.get(reverse(name), params).status_code < 500
    assert client.post(reverse("dashboard:draft-orders"), params).status_code < 500


# --- what to act on --------------------------------------------------------------------------


@pytest.mark.django_db
def test_low_stock_comes_with_an_order_suggestion(org_a, client, record_sale):
    from cloud_api.inventory.models import MovementReason
    from cloud_api.inventory.services import stock_movement_record, stock_threshold_set

    main = org_a.stores[0]
    coke = org_a.products[0]
    stock_movement_record(
        store=main, product=coke, delta_milli=10000, reason=MovementReason.ADJUSTMENT
    )
    stock_threshold_set(store=main, product=coke, threshold_milli=10000)
    record_sale(org_a, items=[(coke, 2, None)], completed_at=at(today()))
    signed_in(client, org_a.users["owner"])

    response = client.get(reverse("dashboard:overview"))

    [alert] = response.context["stock_alerts"]
    assert (alert["product"].pk, alert["on_hand_milli"]) == (coke.pk, 8000)
    # 2 sold in 28 days, two weeks' cover above the 10-piece line, in whole pieces.
    assert alert["order_milli"] == 3000
    assert "Running low" in response.content.decode() and "3 pcs" in response.content.decode()


@pytest.mark.django_db
def test_tills_health_shows_version_backlog_and_a_quiet_till(org_a, client):
    from django.utils import timezone

    from cloud_api.accounts.models import Terminal
    from cloud_api.accounts.services import terminal_create, terminal_enroll

    Terminal.objects.filter(pk=org_a.terminal.pk).update(
        last_push_at=timezone.now(), app_version="1.4.2", unsent_count=5
    )
    _, code = terminal_create(store=org_a.stores[0], name="Back till", created_by=None)
    quiet, _, _ = terminal_enroll(code=code, name="Back till")
    Terminal.objects.filter(pk=quiet.pk).update(last_pull_at=timezone.now() - timedelta(days=2))
    signed_in(client, org_a.users["head_office"])

    response = client.get(reverse("dashboard:overview"))

    health = {row["terminal"].name: row for row in response.context["terminals"]}
    assert health["Till 1"]["quiet"] is False and health["Till 1"]["backlog"] is True
    assert health["Back till"]["quiet"] is True
    page = response.content.decode()
    assert "1.4.2" in page and "quiet" in page


@pytest.mark.django_db
def test_the_persons_notifications_are_listed(org_a, client):
    from cloud_api.notifications.models import Notification

    Notification.objects.create(
        organisation=org_a.organisation,
        user=org_a.users["owner"],
        store=org_a.stores[0],
        kind="low_stock",
        message="Coca-Cola 500ml is running low at Alpha Shops Main.",
    )
    Notification.objects.create(
        organisation=org_a.organisation,
        user=org_a.users["head_office"],
        message="Someone else's notice.",
    )
    signed_in(client, org_a.users["owner"])
    page = client.get(reverse("dashboard:overview")).content.decode()
    assert "Coca-Cola 500ml is running low" in page and "1 unread" in page
    assert "Someone else" not in page


# --- reports and their exports (jobs of the reporting app) --------------------------------


def _export(client, on_commit, report: str, file_format: str, **query: str):
    """POST the export form as the page does (the job, queued when the request commits, runs
    eagerly here); returns (the status page, the job)."""
    from cloud_api.reporting.models import ExportJob

    url = reverse("dashboard:export-start")
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    with on_commit(execute=True):
        response = client.post(url, {"report": report, "format": file_format})
    assert response.status_code == 302, response.content[:500]
    job = ExportJob.objects.latest("pk")
    assert response["Location"] == reverse("dashboard:export", args=[job.uuid])
    return client.get(response["Location"]), job


@pytest.mark.django_db
def test_every_report_opens_on_the_dashboard_with_the_apis_figures(org_a, client, record_sale):
    from cloud_api.reporting.selectors.catalogue import REPORT_TITLES

    day = today()
    record_sale(org_a, completed_at=at(day))
    record_sale(org_a, completed_at=at(day - timedelta(days=1)))
    owner = org_a.users["owner"]
    signed_in(client, owner)
    for name, title in REPORT_TITLES.items():
        response = client.get(reverse("dashboard:reports"), {"report": name})
        assert response.status_code == 200, name
        assert response.context["report"] == name
    period = {"date_from": (day - timedelta(days=29)).isoformat(), "date_to": day.isoformat()}
    api = jwt_client(owner).get("/api/v1/reports/sales-by-day/", period).json()
    page = client.get(reverse("dashboard:reports"), {"report": "sales-by-day", **period})
    total = page.context["table"].totals["total_cents"]
    assert total == api["totals"]["total_cents"] > 0
    whole, cents = divmod(total, 100)
    assert f"{whole:,}.{cents:02d}".encode() in page.content  # the totals row, as shillings


@pytest.mark.django_db
def test_an_unknown_report_or_format_is_refused_in_plain_words(org_a, client):
    signed_in(client, org_a.users["owner"])
    response = client.get(reverse("dashboard:reports"), {"report": "salaries"})
    assert response.status_code == 400 and b"no such report" in response.content
    for body in ({"report": "vat", "format": "docx"}, {"report": "nope", "format": "csv"}):
        response = client.post(reverse("dashboard:export-start"), body)
        assert response.status_code == 400 and b"Choose a report and a format" in response.content
    bad_dates = reverse("dashboard:export-start") + "?date_from=2026-02-30"
    response = client.post(bad_dates, {"report": "vat", "format": "csv"})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "pdf"])
def test_an_export_button_makes_a_job_whose_file_downloads(
    org_a, client, record_sale, file_format, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    day = today()
    record_sale(org_a, completed_at=at(day))
    signed_in(client, org_a.users["owner"])
    status, job = _export(
        client,
        django_capture_on_commit_callbacks,
        "sales-by-day",
        file_format,
        date_from=day.isoformat(),
        date_to=day.isoformat(),
    )
    job.refresh_from_db()
    assert job.status == "done" and job.progress_percent == 100
    assert status.status_code == 200
    assert b'http-equiv="refresh"' not in status.content  # finished: no more refreshing
    download = reverse("dashboard:export-download", args=[job.uuid])
    assert download.encode() in status.content
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    total = _day_total(org_a, day)
    shillings = f"{total // 100}.{total % 100:02d}"
    if file_format == "csv":
        text = response.content.decode("utf-8").lstrip("\ufeff")
        rows = list(csv.reader(io.StringIO(text)))
        column = rows[0].index("Sales total")
        assert rows[-1][column] == shillings  # the totals row
    elif file_format == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        column = values[1].index("Sales total")  # row 1 is the title, row 2 the headers
        assert round(values[-1][column] * 100) == total
    else:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")


def _day_total(org, day) -> int:
    from cloud_api.sales.models import Sale

    return sum(
        Sale.objects.filter(
            organisation=org.organisation, business_date=day, status="completed"
        ).values_list("total_cents", flat=True)
    )


@pytest.mark.django_db
def test_a_queued_export_page_refreshes_and_the_file_is_not_served_early(org_a, client):
    from cloud_api.reporting.models import ExportJob

    owner = org_a.users["owner"]
    job = ExportJob.objects.create(
        organisation=org_a.organisation,
        requested_by=owner,
        report="vat",
        file_format="pdf",
        params={"date_from": "2026-11-01", "date_to": "2026-11-30", "store_ids": None},
        status="running",
        progress_percent=40,
    )
    signed_in(client, owner)
    page = client.get(reverse("dashboard:export", args=[job.uuid]))
    assert b'http-equiv="refresh"' in page.content and b"40%" in page.content
    early = client.get(reverse("dashboard:export-download", args=[job.uuid]))
    assert early.status_code == 302 and early["Location"] == reverse(
        "dashboard:export", args=[job.uuid]
    )


@pytest.mark.django_db
def test_an_export_is_seen_by_its_maker_and_the_owner_only(
    org_a, org_b, client, django_capture_on_commit_callbacks
):
    signed_in(client, org_a.users["manager"])
    _, job = _export(client, django_capture_on_commit_callbacks, "sales-by-store", "csv")
    for user, expected in (
        (org_a.users["manager"], 200),
        (org_a.users["owner"], 200),
        (org_a.users["head_office"], 404),
        (org_b.users["owner"], 404),
    ):
        signed_in(client, user)
        for name in ("dashboard:export", "dashboard:export-download"):
            assert client.get(reverse(name, args=[job.uuid])).status_code == expected, (user, name)
    # The manager's export covers their own store only.
    assert job.params["store_ids"] == [org_a.users["manager"].store_id]
