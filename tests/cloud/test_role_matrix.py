"""Every operation of the OpenAPI schema x every caller, and every role against another
organisation's objects.

The cases come from the schema (``role_matrix.schema_operations``), the expectations from the
role matrix (``role_matrix.ENDPOINTS``). A role that may act gets a 2xx on its own
organisation's objects and a 404 on another organisation's (never their data); a role that
may not act gets a 403 either way; a caller without credentials gets a 401, except on the
public operations, which anyone may call.
"""

from __future__ import annotations

import pytest

from tests.cloud.role_matrix import (
    ANONYMOUS,
    CALLERS,
    ENDPOINTS,
    MANAGER,
    PUBLIC_OPERATIONS,
    ROLES,
    TABLE,
    Endpoint,
    call,
    missing_row_message,
    operation_key,
    operations_documented_public,
    populate,
    schema_operations,
    url_for,
)
from tests.cloud.whatsapp_support import configure, start_fake_graph

OPERATIONS = schema_operations()


@pytest.fixture(autouse=True)
def _daraja(fake_daraja):
    """M-Pesa prompts reach the fake Daraja."""


@pytest.fixture(scope="module")
def _fake_graph():
    server = start_fake_graph()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _whatsapp(_fake_graph, settings):
    """Campaigns go to the fake WhatsApp Graph server."""
    configure(settings, _fake_graph)


@pytest.fixture
def caller_client(client_as):
    """A client for a role, or one with no credentials at all."""
    from rest_framework.test import APIClient

    return lambda caller: APIClient() if caller == ANONYMOUS else client_as(caller)


def test_the_schema_has_every_operation_of_the_api():
    assert len(OPERATIONS) > 60
    assert ("POST", "/api/v1/sync/push/") in OPERATIONS
    assert ("DELETE", "/api/v1/products/{id}/") in OPERATIONS


def test_every_operation_of_the_schema_has_a_row_in_the_role_matrix():
    missing = [operation for operation in OPERATIONS if operation_key(*operation) not in TABLE]

    assert not missing, "\n\n".join(missing_row_message(*operation) for operation in missing)


def test_every_row_of_the_role_matrix_is_an_operation_of_the_schema():
    in_schema = {operation_key(*operation) for operation in OPERATIONS}

    stale = [f"{e.name}: {e.method.upper()} {e.path}" for e in ENDPOINTS if e.key not in in_schema]

    assert not stale, f"rows for operations the OpenAPI schema no longer has: {stale}"
    assert len(TABLE) == len(ENDPOINTS), "two rows of the role matrix name one operation"


def test_the_public_operations_are_the_ones_the_schema_documents_as_public():
    anonymous_rows = {e.key for e in ENDPOINTS if ANONYMOUS in e.allowed}

    assert operations_documented_public() == PUBLIC_OPERATIONS
    assert anonymous_rows == PUBLIC_OPERATIONS


CASES = [(operation, caller) for operation in OPERATIONS for caller in CALLERS]


@pytest.mark.parametrize(
    ("operation", "caller"),
    CASES,
    ids=[f"{caller}-{method}-{path}" for (method, path), caller in CASES],
)
def test_every_operation_of_the_schema_as_every_caller(
    org_a, caller_client, operation: tuple[str, str], caller: str
):
    endpoint = TABLE.get(operation_key(*operation))
    if endpoint is None:
        pytest.fail(missing_row_message(*operation))
    populate(org_a)

    response = call(
        caller_client(caller), endpoint, url_for(endpoint, org_a, caller), org_a, caller
    )

    content = (response.status_code, response.content[:400])
    if caller in endpoint.allowed:
        assert 200 <= response.status_code < 300, content
    elif caller == ANONYMOUS:
        assert response.status_code == 401, content
        assert response.json()["error"]["code"] == "not_authenticated"
    else:
        assert response.status_code == 403, content
        assert response.json()["error"]["code"] in {"permission_denied", "forbidden"}


ROLE_CASES = [(endpoint, role) for endpoint in ENDPOINTS for role in ROLES]
DETAIL_CASES = [(e, r) for e, r in ROLE_CASES if e.is_detail]


@pytest.mark.parametrize(
    ("endpoint", "role"), DETAIL_CASES, ids=[f"{e.name}-{r}" for e, r in DETAIL_CASES]
)
def test_another_organisations_objects_are_not_found(
    org_a, org_b, client_as, endpoint: Endpoint, role: str
):
    populate(org_a)
    populate(org_b)

    response = call(client_as(role), endpoint, url_for(endpoint, org_b, role), org_a, role)

    expected = 404 if role in endpoint.allowed else 403
    assert response.status_code == expected, (response.status_code, response.content[:400])
    assert org_b.organisation.name not in response.content.decode()


LIST_CASES = [
    (e, r) for e, r in ROLE_CASES if e.method == "get" and not e.is_detail and r in e.allowed
]


@pytest.mark.parametrize(
    ("endpoint", "role"), LIST_CASES, ids=[f"{e.name}-{r}" for e, r in LIST_CASES]
)
def test_lists_never_show_another_organisations_rows(
    org_a, org_b, client_as, endpoint: Endpoint, role: str
):
    populate(org_a)
    populate(org_b)
    foreign = [
        org_b.stores[0].uuid,
        org_b.stores[1].uuid,
        org_b.products[0].uuid,
        org_b.category.uuid,
        org_b.supplier.uuid,
        org_b.sale.uuid,
        org_b.payment.uuid,
        org_b.order.uuid,
        org_b.terminal.uuid,
        org_b.tax_class.uuid,
        org_b.activity.uuid,
        org_b.stk.uuid,
        org_b.customer.uuid,
        org_b.campaign.uuid,
        *(user.uuid for user in org_b.users.values()),
        *(note.uuid for note in org_b.notifications.values()),
        *(passkey.uuid for passkey in org_b.passkeys.values()),
    ]

    response = call(client_as(role), endpoint, url_for(endpoint, org_a, role), org_a, role)

    assert response.status_code == 200
    text = response.content.decode()
    assert not [str(uuid) for uuid in foreign if str(uuid) in text]


def test_a_store_bound_manager_sees_only_their_store(org_a, client_as):
    populate(org_a)
    branch = org_a.stores[1]

    stores = client_as(MANAGER).get("/api/v1/stores/").json()
    other_store = client_as(MANAGER).get(f"/api/v1/stores/{branch.uuid}/")

    assert [store["id"] for store in stores["results"]] == [str(org_a.stores[0].uuid)]
    assert other_store.status_code == 404
