"""The notification inbox: each person reads their own."""

from __future__ import annotations

from cloud_api.notifications.models import Notification


def test_marking_read_one_and_all(org_a, client_as):
    manager = org_a.users["manager"]
    first, second = (
        Notification.objects.create(organisation=org_a.organisation, user=manager, message=m)
        for m in ("Low stock: sugar", "Low stock: salt")
    )
    client = client_as("manager")

    one = client.post(f"/api/v1/notifications/{first.uuid}/read/")
    unread = client.get("/api/v1/notifications/?status=unread").json()
    everything = client.post("/api/v1/notifications/read-all/").json()

    assert one.json()["status"] == "read" and one.json()["read_at"]
    assert [n["message"] for n in unread["results"]] == ["Low stock: salt"]
    assert everything == {"marked": 1}
    second.refresh_from_db()
    assert second.status == "read"


def test_someone_elses_notification_is_not_found(org_a, client_as):
    owner_note = Notification.objects.create(
        organisation=org_a.organisation, user=org_a.users["owner"], message="For the owner"
    )

    response = client_as("manager").post(f"/api/v1/notifications/{owner_note.uuid}/read/")

    assert response.status_code == 404
    owner_note.refresh_from_db()
    assert owner_note.status == "unread"
