"""Each push leaves one structured log line the operators' dashboards count (deploy/logging)."""

from __future__ import annotations

import json
import logging

import pytest

from .conftest import terminal_client
from .sync_support import envelope, push, statuses


def test_a_push_logs_how_many_events_were_applied_duplicate_and_rejected(org_a, caplog):
    till = terminal_client(org_a)
    event = envelope("sale.completed", org_a.make_sale(), 1)
    tampered = json.loads(json.dumps(event))
    tampered["payload"]["receipt_no"] = "S01-T01-999999"
    assert statuses(push(till, [event])) == ["applied"]
    with caplog.at_level(logging.INFO, logger="cloud_api.sync.push"):
        assert statuses(push(till, [tampered, event])) == ["rejected", "duplicate"]
    lines = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    summary = next(line for line in lines if line.get("event") == "sync_push")
    assert summary["terminal"] == str(org_a.terminal.uuid)
    assert (summary["events"], summary["applied"], summary["duplicate"], summary["rejected"]) == (
        2,
        0,
        1,
        1,
    )


pytestmark = pytest.mark.django_db
