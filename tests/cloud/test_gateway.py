"""The gateway duties: request ids, JSON logs, health, rate limits, cached catalog pages."""

from __future__ import annotations

import json
import logging

import pytest
import structlog
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cloud_api.core import throttling


def test_every_response_carries_a_request_id_and_a_sane_one_is_kept(org_a, client_as):
    fresh = client_as("owner").get("/api/v1/stores/")
    kept = client_as("owner").get("/api/v1/stores/", HTTP_X_REQUEST_ID="till-7f3a9c01")
    junk = client_as("owner").get("/api/v1/stores/", HTTP_X_REQUEST_ID="<script>")

    assert len(fresh["X-Request-ID"]) == 32
    assert kept["X-Request-ID"] == "till-7f3a9c01"
    assert junk["X-Request-ID"] != "<script>"


def test_errors_carry_the_request_id_too(db):
    from rest_framework.test import APIClient

    response = APIClient().get("/nowhere", HTTP_X_REQUEST_ID="abc12345")

    assert response.status_code == 404
    assert response["X-Request-ID"] == "abc12345"


def test_the_access_log_is_one_json_object_with_the_request_id(org_a, client_as, caplog):
    caplog.set_level(logging.INFO, logger="asiria.access")

    response = client_as("owner").get("/api/v1/stores/", HTTP_X_REQUEST_ID="trace-0001")

    record = next(r for r in caplog.records if r.name == "asiria.access")
    formatter = structlog.stdlib.ProcessorFormatter(
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.JSONRenderer(),
        ]
    )
    line = json.loads(formatter.format(record))
    assert line["request_id"] == response["X-Request-ID"] == "trace-0001"
    assert line["status"] == 200
    assert line["path"] == "/api/v1/stores/"
    assert line["principal"].startswith("user:")


def test_healthz_and_readyz_report_the_database_and_redis(db, client):
    health = client.get("/healthz")
    ready = client.get("/readyz")

    assert health.json() == {"status": "ok"}
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_the_openapi_schema_and_docs_are_served(db, client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = client.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert "/api/v1/sales/" in schema.json()["paths"]
    assert docs.status_code == 200
    # The interactive docs work without internet: Swagger UI comes from our own static files.
    page = docs.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in page
    assert "cdn.jsdelivr.net" not in page


def test_a_user_is_rate_limited(org_a, client_as, monkeypatch):
    monkeypatch.setitem(throttling.UserThrottle.THROTTLE_RATES, "user", "3/min")
    statuses = [client_as("cashier").get("/api/v1/products/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    assert client_as("manager").get("/api/v1/products/").status_code == 200  # others unaffected


def test_a_terminal_is_rate_limited(org_a, client_as, monkeypatch):
    monkeypatch.setitem(throttling.TerminalThrottle.THROTTLE_RATES, "terminal", "2/min")
    responses = [client_as("terminal").get("/api/v1/products/") for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 429]
    assert int(responses[-1]["Retry-After"]) >= 1
    assert responses[-1].json()["error"]["code"] == "throttled"


def test_anonymous_callers_of_public_endpoints_are_rate_limited(db, client, monkeypatch):
    monkeypatch.setitem(throttling.AnonymousThrottle.THROTTLE_RATES, "anon", "2/min")
    statuses = [
        client.post(
            "/api/v1/auth/token/refresh/", {"refresh": "junk"}, content_type="application/json"
        ).status_code
        for _ in range(3)
    ]

    assert statuses == [401, 401, 429]


def _product_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "catalog_product" in q["sql"]]


def test_product_pages_are_cached_and_a_write_shows_at_once(
    org_a, client_as, django_capture_on_commit_callbacks
):
    owner = client_as("owner")
    owner.get("/api/v1/products/")
    with CaptureQueriesContext(connection) as cached:
        page = owner.get("/api/v1/products/").json()
    assert _product_queries(cached.captured_queries) == []
    coke = next(p for p in page["results"] if p["name"] == "Coca-Cola 500ml")

    with django_capture_on_commit_callbacks(execute=True):
        owner.patch(f"/api/v1/products/{coke['id']}/", {"price_cents": 9000}, format="json")

    after = owner.get("/api/v1/products/").json()
    assert next(p for p in after["results"] if p["id"] == coke["id"])["price_cents"] == 9000


def test_category_pages_are_invalidated_by_a_new_category(org_a, client_as):
    owner = client_as("owner")
    before = owner.get("/api/v1/categories/").json()["count"]
    owner.post("/api/v1/categories/", {"name": "Household"}, format="json")

    assert owner.get("/api/v1/categories/").json()["count"] == before + 1


def test_cached_pages_are_per_organisation(org_a, org_b, client_for):
    from cloud_api.catalog.models import Product

    Product.objects.filter(organisation=org_b.organisation).update(name="Beta only")
    alpha = client_for(org_a.users["owner"]).get("/api/v1/products/").json()
    beta = client_for(org_b.users["owner"]).get("/api/v1/products/").json()

    assert "Beta only" not in json.dumps(alpha)
    assert {p["name"] for p in beta["results"]} == {"Beta only"}


@pytest.mark.parametrize("path", ["/api/v1/products/?page=999", "/api/v1/products/?page=abc"])
def test_a_page_past_the_end_is_a_json_404(org_a, client_as, path):
    response = client_as("owner").get(path)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unsupported_method_is_a_405_not_a_403(org_a, client_as):
    response = client_as("owner").delete(f"/api/v1/sales/{org_a.products[0].uuid}/")

    assert response.status_code == 405
    assert response.json()["error"]["message"]


def test_a_deadlock_is_a_retryable_503_not_a_crash():
    from django.db import OperationalError

    from cloud_api.core.errors import exception_handler

    response = exception_handler(OperationalError(1213, "Deadlock found"), {})

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.data["error"]["code"] == "busy"
