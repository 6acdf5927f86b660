"""Property-based API testing against the OpenAPI schema (schemathesis), in-process over WSGI.

Every operation gets a bounded number of generated requests (ASIRIA_SCHEMATHESIS_EXAMPLES,
default 6) as the owner; no answer may be a 5xx, and every answer must match the schema
(documented status code and content type, body of the documented shape).

The schema is the one /api/v1/schema/ serves, built by the same generator; it is built at
collection time without a request, so collecting needs neither MariaDB nor Redis.
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cloud_api.wsgi import application

EXAMPLES = int(os.environ.get("ASIRIA_SCHEMATHESIS_EXAMPLES", "6"))

_document = json.loads(
    OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
)
schema = schemathesis.openapi.from_dict(_document)
schema.app = application


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Django closes "old" connections after each WSGI request, which would end the test's
    transaction; its own test client switches that off in the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def owner_headers(org_a):
    from rest_framework_simplejwt.tokens import RefreshToken

    token = RefreshToken.for_user(org_a.users["owner"]).access_token
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_fails_and_always_matches_its_schema(case, owner_headers):
    case.call_and_validate(
        headers=owner_headers,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
