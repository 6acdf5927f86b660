"""Store notices reach the store's tills through the pull (one notice, however many people
received it), never another store's; a manager's "read" on the till comes back as
``notice.read`` and marks that manager's inbox row only; a read in the cloud inbox shows on the
till after the next pull. A real till (its engine, client and database) against a live server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from uuid6 import uuid7

from .conftest import make_org, terminal_client
from .sync_support import envelope


def _till(tmp_path: Path, live_server: Any, store: Any) -> Any:
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from cloud_api.accounts.services import terminal_create

    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    till = build_till(TillConfig(data_dir=tmp_path / "till"))
    _, code = terminal_create(store=store, name="Till 1", created_by=None)
    till.services.sync.enroll(live_server.url, code, "Till 1")
    return till


def _sync(till: Any) -> None:
    report = till.services.sync.sync_now()
    assert report.ok, report


def _sign_in(till: Any, user: Any) -> None:
    from asiria_desktop.services.results import CashierSession

    till.context.set_cashier(CashierSession(str(user.uuid), user.name, user.role))


@pytest.mark.django_db(transaction=True)
def test_notices_reach_the_till_and_a_read_there_reaches_the_inbox(
    live_server: Any, tmp_path: Path
) -> None:
    from cloud_api.accounts.models import Role
    from cloud_api.notifications.models import Notification, NotificationStatus
    from cloud_api.notifications.services import (
        notification_mark_read,
        notification_notify_store,
    )

    org = make_org("Notice Co")
    main, branch = org.stores
    low = notification_notify_store(
        store=main, kind="low_stock", message="Sugar 2kg is low: 3 left."
    )
    notification_notify_store(store=branch, kind="oversell", message="Branch bread oversold.")
    assert len(low) == 3  # the manager, the owner and head office: one row each
    till = _till(tmp_path, live_server, main)
    try:
        _sync(till)
        manager, owner = org.users[Role.MANAGER], org.users[Role.OWNER]
        _sign_in(till, manager)
        board = till.services.notices.board()
        assert [(line.title, line.message, line.unread) for line in board.lines] == [
            ("Low stock", "Sugar 2kg is low: 3 left.", True)
        ]
        notice_id = board.lines[0].id
        assert notice_id == str(low[0].notice_id)

        assert till.services.notices.mark_read([notice_id]) == 1
        _sync(till)
        rows = {n.user.role: n for n in Notification.objects.filter(notice_id=notice_id)}
        assert rows[Role.MANAGER].status == NotificationStatus.READ
        assert rows[Role.MANAGER].read_at is not None
        assert rows[Role.OWNER].status == NotificationStatus.UNREAD  # only the reader's row
        assert rows[Role.HEAD_OFFICE].status == NotificationStatus.UNREAD

        _sign_in(till, owner)
        assert till.services.notices.unread_count() == 1
        notification_mark_read(notification=rows[Role.OWNER])  # read in the cloud inbox
        _sync(till)
        assert till.services.notices.unread_count() == 0
        _sign_in(till, org.users[Role.CASHIER])
        assert not till.services.notices.board().allowed
    finally:
        till.close()


@pytest.mark.django_db(transaction=True)
def test_a_read_for_someone_outside_the_store_is_refused(client: Any) -> None:
    from cloud_api.accounts.models import Role
    from cloud_api.notifications.models import Notification, NotificationStatus
    from cloud_api.notifications.services import notification_notify_store

    from .sync_support import push

    org = make_org("Reader Co")
    main = org.stores[0]
    [first, *_] = notification_notify_store(store=main, kind="low_stock", message="Low.")
    till_client = terminal_client(org)

    def read(reader: Any, seq: int) -> dict[str, Any]:
        payload = {
            "id": str(uuid7()),
            "notice_id": str(first.notice_id),
            "reader_id": str(reader.uuid),
            "read_at": "2026-12-05T10:00:00+03:00",
        }
        return push(till_client, [envelope("notice.read", payload, seq)]).json()["results"][0]

    cashier = read(org.users[Role.CASHIER], 1)
    head_office = read(org.users[Role.HEAD_OFFICE], 2)
    manager = read(org.users[Role.MANAGER], 3)
    assert cashier["status"] == "rejected" and "not a manager or owner" in cashier["error"]
    assert head_office["status"] == "rejected"
    assert manager["status"] == "applied"
    assert (
        not Notification.objects.filter(notice_id=first.notice_id, status=NotificationStatus.READ)
        .exclude(user=org.users[Role.MANAGER])
        .exists()
    )
