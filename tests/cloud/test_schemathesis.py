"""Property-based API testing against the OpenAPI schema (schemathesis), in-process over WSGI.

Every operation gets a bounded number of generated requests as every caller: the owner
(ASIRIA_SCHEMATHESIS_EXAMPLES, default 6: an owner reaches the logic of nearly every
operation), and a manager, a cashier, head office, a till with its OAuth2 token and a caller
without credentials (ASIRIA_SCHEMATHESIS_ROLE_EXAMPLES, default 2 each, which keeps the run
near two minutes; docs/cloud.md). No answer may be a 5xx, and every answer must match the
schema (documented status code and content type, body of the documented shape).

The schema is the one /api/v1/schema/ serves, built by the same generator; it is built at
collection time without a request, so collecting needs neither MariaDB nor Redis.
"""

from __future__ import annotations

import copy
import json
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cloud_api.wsgi import application
from tests.cloud.conftest import basic_auth
from tests.cloud.role_matrix import (
    ANONYMOUS,
    CASHIER,
    HEAD_OFFICE,
    MANAGER,
    OWNER,
    TERMINAL,
    schema_document,
)

EXAMPLES = int(os.environ.get("ASIRIA_SCHEMATHESIS_EXAMPLES", "6"))
ROLE_EXAMPLES = int(os.environ.get("ASIRIA_SCHEMATHESIS_ROLE_EXAMPLES", "2"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(copy.deepcopy(schema_document()))
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


def till_token(org) -> str:
    """A till's token from the real client-credentials grant of /o/token/, asked through a
    bare request: the test client would connect ``close_old_connections`` again after its
    request (see ``_keep_the_test_transaction``)."""
    from django.test import RequestFactory
    from django.urls import resolve

    request = RequestFactory().post(
        "/o/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic_auth(org.client_id, org.client_secret),
    )
    response = resolve("/o/token/").func(request)
    assert response.status_code == 200, response.content
    return str(json.loads(response.content)["access_token"])


def headers_of(org, caller: str) -> dict[str, str]:
    """A person's JWT, a till's OAuth2 token, or no credentials at all."""
    from rest_framework_simplejwt.tokens import RefreshToken

    if caller == ANONYMOUS:
        return {}
    if caller == TERMINAL:
        return {"Authorization": f"Bearer {till_token(org)}"}
    return {"Authorization": f"Bearer {RefreshToken.for_user(org.users[caller]).access_token}"}


# A parameter even with one value: schemathesis then names each test after its operation and
# the caller (``[GET /api/v1/products/][owner]``); without one every operation's test has the
# same node id, which pytest-xdist counts as one test and runs once.
@pytest.fixture(params=[OWNER])
def owner_headers(request, org_a):
    return headers_of(org_a, request.param)


@pytest.fixture(params=[MANAGER, CASHIER, HEAD_OFFICE, TERMINAL, ANONYMOUS])
def other_caller_headers(request, org_a):
    return headers_of(org_a, request.param)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_fails_and_always_matches_its_schema(case, owner_headers):
    case.call_and_validate(headers=owner_headers, checks=CHECKS)


@schema.parametrize()
@settings(
    max_examples=ROLE_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_fails_and_always_matches_its_schema_as_every_other_caller(
    case, other_caller_headers
):
    case.call_and_validate(headers=other_caller_headers, checks=CHECKS)
