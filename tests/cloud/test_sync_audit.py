"""``audit.recorded``: the tills' audit logs reach head office, once per row, read-only."""

from __future__ import annotations

import pytest
from uuid6 import uuid7

from .conftest import terminal_client
from .sync_support import envelope, push, statuses

pytestmark = pytest.mark.django_db


def audit_row(action="login", actor=None, approver=None, **details) -> dict:
    return {
        "id": str(uuid7()),
        "action": action,
        "actor_id": str(actor.uuid) if actor is not None else None,
        "approver_id": str(approver.uuid) if approver is not None else None,
        "details": details,
        "at": "2026-12-05T09:30:00+03:00",
    }


def test_audit_rows_are_kept_with_their_people_and_sent_again_change_nothing(org_a, org_b):
    from cloud_api.sync.models import TillAuditEntry

    till = terminal_client(org_a)
    cashier, manager = org_a.users["cashier"], org_a.users["manager"]
    rows = [
        audit_row("login", cashier, None, method="fingerprint", credential_id=str(uuid7())),
        audit_row(
            "approval_by_touch", cashier, manager, method="security_key", approved_action="refund"
        ),
        audit_row("pin_failed", None, None, purpose="login", failures=1),
        audit_row("login", org_b.users["cashier"]),  # another organisation's person
    ]
    events = [envelope("audit.recorded", row, seq) for seq, row in enumerate(rows, start=1)]

    assert statuses(push(till, events)) == ["applied"] * 4
    assert statuses(push(till, events)) == ["duplicate"] * 4
    again = [envelope("audit.recorded", rows[0], 5)]  # the same row, queued again by the till
    assert statuses(push(till, again)) == ["applied"]

    assert TillAuditEntry.objects.count() == 4
    approval = TillAuditEntry.objects.get(record_id=rows[1]["id"])
    assert (approval.actor, approval.approver) == (cashier, manager)
    assert approval.details == {"method": "security_key", "approved_action": "refund"}
    assert approval.store == org_a.stores[0] and approval.organisation == org_a.organisation
    assert approval.occurred_at.isoformat() == "2026-12-05T06:30:00+00:00"
    foreign = TillAuditEntry.objects.get(record_id=rows[3]["id"])
    assert foreign.actor is None and str(foreign.actor_uuid) == rows[3]["actor_id"]


def test_a_row_claiming_another_rows_id_or_too_much_detail_is_refused(org_a):
    from cloud_api.sync.models import TillAuditEntry

    till = terminal_client(org_a)
    row = audit_row("login", org_a.users["cashier"])
    assert statuses(push(till, [envelope("audit.recorded", row, 1)])) == ["applied"]
    forged = {**row, "action": "logout"}
    bulky = audit_row("login", note="x" * 5000)
    response = push(
        till,
        [
            envelope("audit.recorded", forged, 2),
            envelope("audit.recorded", bulky, 3),
            envelope("audit.recorded", {**audit_row(), "action": "DROP TABLE"}, 4),
            envelope("audit.recorded", {**audit_row(), "extra": 1}, 5),
        ],
    )
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * 4
    assert "already has this id" in results[0]["error"]
    assert "4000" in results[1]["error"]
    assert results[2]["error"].startswith("invalid")
    assert results[3]["error"].startswith("invalid")
    assert list(TillAuditEntry.objects.values_list("action", flat=True)) == ["login"]


def test_head_office_reads_their_own_audit_entries_in_the_admin_and_can_not_edit(
    org_a, org_b, client
):
    till_a, till_b = terminal_client(org_a), terminal_client(org_b)
    ours = audit_row("biometric_enrolled", org_a.users["manager"])
    theirs = audit_row("biometric_removed", org_b.users["manager"])
    assert statuses(push(till_a, [envelope("audit.recorded", ours, 1)])) == ["applied"]
    assert statuses(push(till_b, [envelope("audit.recorded", theirs, 1)])) == ["applied"]
    client.force_login(org_a.users["head_office"])

    page = client.get("/admin/sync/tillauditentry/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "biometric_enrolled" in text and "biometric_removed" not in text
    assert client.get("/admin/sync/tillauditentry/add/").status_code == 403
