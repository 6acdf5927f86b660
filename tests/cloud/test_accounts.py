"""People, stores, terminals and the bootstrap command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from cloud_api.accounts.models import Organisation, Store, User
from cloud_api.accounts.pins import pin_verify
from cloud_api.catalog.models import TaxClass


def new_user(role="cashier", **extra):
    return {
        "name": "Achieng Otieno",
        "email": "achieng@example.com",
        "role": role,
        "password": "Mango-Tree-Long-31",
        "pin": "2468",
        **extra,
    }


def test_a_manager_adds_a_cashier_to_their_store_with_a_till_pin(org_a, client_as):
    response = client_as("manager").post("/api/v1/users/", new_user(), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["store_id"] == str(org_a.stores[0].uuid)
    assert response.json()["has_pin"] is True
    created = User.objects.get(email="achieng@example.com")
    assert pin_verify(created.pin_hash, "2468")
    assert created.check_password("Mango-Tree-Long-31")
    assert "password" not in response.json() and "pin_hash" not in response.json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (new_user(role="manager"), "role"),
        (new_user(role="owner"), "role"),
    ],
)
def test_a_manager_cannot_create_other_roles(org_a, client_as, body, field):
    response = client_as("manager").post("/api/v1/users/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_the_owner_places_people_by_role(org_a, client_as):
    owner = client_as("owner")
    no_store = owner.post("/api/v1/users/", new_user(), format="json")
    head_office_with_store = owner.post(
        "/api/v1/users/",
        new_user(role="head_office", store_id=str(org_a.stores[0].uuid)),
        format="json",
    )
    manager = owner.post(
        "/api/v1/users/",
        new_user(role="manager", store_id=str(org_a.stores[1].uuid)),
        format="json",
    )

    assert no_store.status_code == 400 and "store_id" in no_store.json()["error"]["fields"]
    assert head_office_with_store.status_code == 400
    assert manager.status_code == 201


def test_weak_passwords_and_used_emails_are_refused(org_a, client_as):
    weak = client_as("manager").post(
        "/api/v1/users/", new_user(password="password1"), format="json"
    )
    taken = client_as("manager").post(
        "/api/v1/users/", new_user(email="OWNER@alphashops.example"), format="json"
    )
    bad_pin = client_as("manager").post("/api/v1/users/", new_user(pin="12ab"), format="json")

    assert weak.status_code == 400 and "password" in weak.json()["error"]["fields"]
    assert taken.status_code == 409 and "email" in taken.json()["error"]["fields"]
    assert bad_pin.status_code == 400 and "pin" in bad_pin.json()["error"]["fields"]


def test_a_manager_may_not_change_the_owner(org_a, client_as):
    owner = org_a.users["owner"]

    response = client_as("manager").patch(
        f"/api/v1/users/{owner.uuid}/", {"name": "x"}, format="json"
    )

    assert response.status_code == 404  # the owner is not in the manager's store


def test_a_new_pin_replaces_the_old_one(org_a, client_as):
    cashier = org_a.users["cashier"]

    client_as("manager").patch(f"/api/v1/users/{cashier.uuid}/", {"pin": "975310"}, format="json")

    cashier.refresh_from_db()
    assert pin_verify(cashier.pin_hash, "975310")
    assert not pin_verify(cashier.pin_hash, "1234")


def test_terminal_codes_are_unique_per_store_and_codes_are_shown_once(org_a, client_as):
    first = (
        client_as("owner")
        .post(
            "/api/v1/terminals/",
            {"store_id": str(org_a.stores[0].uuid), "name": "Till 2"},
            format="json",
        )
        .json()
    )
    listed = client_as("owner").get(f"/api/v1/terminals/{first['id']}/").json()

    assert len(first["enrollment_code"]) == 9
    assert "enrollment_code" not in listed
    assert listed["status"] == "pending"
    assert listed["code"] == "T02"


def test_bootstrap_creates_everything_once(db):
    args = [
        "--org",
        "Demo",
        "--store",
        "Main",
        "--owner-email",
        "o@x.ke",
        "--owner-password",
        "Sunrise-Kiosk-42",
    ]
    call_command("bootstrap", *args)
    call_command("bootstrap", *args)

    organisation = Organisation.objects.get(name="Demo")
    assert Store.objects.filter(organisation=organisation).count() == 1
    assert User.objects.get(email="o@x.ke").role == "owner"
    assert TaxClass.objects.filter(organisation=organisation).count() == 3


def test_bootstrap_refuses_an_owner_of_another_organisation(org_a):
    with pytest.raises(CommandError, match="another organisation"):
        call_command(
            "bootstrap",
            "--org",
            "Other",
            "--store",
            "Main",
            "--owner-email",
            "owner@alphashops.example",
            "--owner-password",
            "Sunrise-Kiosk-42",
        )


def test_bootstrap_refuses_a_weak_password(db):
    with pytest.raises(CommandError):
        call_command(
            "bootstrap",
            "--org",
            "Weak",
            "--store",
            "Main",
            "--owner-email",
            "w@x.ke",
            "--owner-password",
            "123",
        )
    assert not Organisation.objects.filter(name="Weak").exists()


def test_the_owner_moves_the_organisation_to_another_time_zone(org_a, client_as):
    moved = client_as("owner").patch(
        "/api/v1/organisation/", {"time_zone": "Africa/Lagos"}, format="json"
    )
    unknown = client_as("owner").patch(
        "/api/v1/organisation/", {"time_zone": "Mars/Olympus"}, format="json"
    )

    assert moved.status_code == 200
    assert client_as("terminal").get("/api/v1/organisation/").json()["time_zone"] == "Africa/Lagos"
    assert unknown.status_code == 400
    assert "time_zone" in unknown.json()["error"]["fields"]
