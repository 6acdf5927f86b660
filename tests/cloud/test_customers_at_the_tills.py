"""A customer added at one till reaches the store's other tills through the pull, never another
store's or another organisation's: real tills (engine, HTTP client, SQLite) against a live
server on MariaDB. Consent follows the cloud's record (a STOP reply withdraws it at every till
of the store); a customer moved to another store leaves the first store's tills; the served
data is the contract's ``Customer``."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from .conftest import make_org, terminal_client

PHONE = "+254722000111"


def _till(tmp_path: Path, live_server: Any, store: Any, name: str) -> Any:
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from cloud_api.accounts.services import terminal_create

    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    config = TillConfig(data_dir=tmp_path / name)
    till = build_till(config)
    _, code = terminal_create(store=store, name=name, created_by=None)
    till.services.sync.enroll(live_server.url, code, name)
    till.close()
    till = build_till(config)  # with the store and till codes enrolment gave it
    _sync(till)
    return till


def _sync(till: Any) -> None:
    report = till.services.sync.sync_now()
    rejected = till.services.sync.overview().rejected if report.rejected else None
    assert report.ok and report.rejected == 0, (report, rejected)


def _sell_to_customer(till: Any, cashier: Any, product_id: str) -> Any:
    """The cashier adds the customer (WhatsApp consent ticked) to a cash sale."""
    from asiria_desktop.services.results import CashierSession

    till.context.set_cashier(CashierSession(str(cashier.uuid), cashier.name, cashier.role))
    customer = till.services.customers.attach(
        "0722 000 111", "Akinyi Otieno", whatsapp_consent=True, digital_receipt=False
    )
    sale = till.services.sale
    sale.add_product(product_id)
    sale.add_payment("cash", sale.view().balance_due_cents)
    sale.complete()
    return customer


def _customer_schema() -> Any:
    from jsonschema import Draft202012Validator

    path = Path(__file__).resolve().parents[1] / "contract" / "sync-v1.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    return Draft202012Validator(
        {"$defs": schema["$defs"], "$ref": "#/$defs/Customer"},
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


@pytest.mark.django_db(transaction=True)
def test_a_customer_added_at_one_till_is_found_at_the_stores_other_tills_only(
    live_server: Any, tmp_path: Path
) -> None:
    from cloud_api.accounts.models import Role
    from cloud_api.customers.models import Customer
    from cloud_api.customers.services import customer_inbound_apply, customer_update

    org = make_org("Kahawa Co")
    other = make_org("Other Co")
    main, branch = org.stores
    till_a = _till(tmp_path, live_server, main, "Till A")
    till_b = _till(tmp_path, live_server, main, "Till B")
    till_c = _till(tmp_path, live_server, branch, "Branch till")
    till_d = _till(tmp_path, live_server, other.stores[0], "Other org till")
    tills = (till_a, till_b, till_c, till_d)
    try:
        added_at_a = _sell_to_customer(till_a, org.users[Role.CASHIER], str(org.products[0].uuid))
        for till in tills:
            _sync(till)  # A pushes the sale (and its customer) first, then every till pulls

        customer = Customer.objects.get(organisation=org.organisation, phone=PHONE)
        assert str(customer.uuid) == added_at_a.id and customer.store == main
        _sign_in_cashier(till_b, org)
        found = till_b.services.customers.find("0722000111")
        assert (found.known, found.name, found.whatsapp_consent) == (True, "Akinyi Otieno", True)
        for till, of in ((till_c, org), (till_d, other)):
            _sign_in_cashier(till, of)
            assert not till.services.customers.find("0722000111").known

        # STOP on WhatsApp: every till of the store shows the consent withdrawn.
        assert customer_inbound_apply({"from": PHONE[1:], "type": "text", "text": {"body": "STOP"}})
        _sync(till_b)
        assert not till_b.services.customers.find("0722000111").whatsapp_consent

        # Moved to the branch: the main store's tills forget the customer, the branch's learn it.
        customer_update(customer=customer, values={"store": branch}, source="admin")
        for till in (till_b, till_c):
            _sync(till)
        assert not till_b.services.customers.find("0722000111").known
        assert till_c.services.customers.find("0722000111").known
    finally:
        for till in tills:
            till.close()


def _sign_in_cashier(till: Any, org: Any) -> None:
    from asiria_desktop.services.results import CashierSession
    from cloud_api.accounts.models import Role

    cashier = org.users[Role.CASHIER]
    till.context.set_cashier(CashierSession(str(cashier.uuid), cashier.name, cashier.role))


@pytest.mark.django_db(transaction=True)
def test_the_pulled_customer_is_the_contracts_customer(client: Any) -> None:
    from cloud_api.customers.models import ConsentSource
    from cloud_api.customers.services import customer_create

    org = make_org("Schema Co")
    main, branch = org.stores
    here, _, _ = (
        customer_create(
            organisation=org.organisation,
            store=store,
            name=name,
            phone=phone,
            whatsapp_consent=True,
            source=ConsentSource.ADMIN,
        )
        for store, name, phone in (
            (main, "Wanjiru", "0711 222 333"),
            (branch, "Branch customer", "0711 444 555"),
            (None, "Head office's", "0711 666 777"),
        )
    )
    till_client = terminal_client(org)  # a till of the main store
    answer = till_client.get("/api/v1/sync/pull/?cursor=0&limit=1000")
    assert answer.status_code == 200, answer.content
    served = [c for c in answer.json()["changes"] if c["entity"] == "customer"]
    assert [(c["op"], c["data"]["id"]) for c in served] == [("upsert", str(here.uuid))]
    data = served[0]["data"]
    _customer_schema().validate(data)
    assert (data["phone"], data["name"], data["whatsapp_consent"]) == (
        "+254711222333",
        "Wanjiru",
        True,
    )
