"""The managers' notices panel: pulled store notices with an unread count on the status bar,
read offline from the till's database. A manager marking one read keeps it read on this till
and queues a ``notice.read`` event for head office; a cashier sees no button and no count."""

from __future__ import annotations

import json
from typing import Any

from asiria_desktop.domain.barcodes import VariableMeasureLayout
from asiria_desktop.local_db.sync_repos import SqlSyncStore
from asiria_desktop.ports.cloud import Change
from asiria_desktop.sync.mapping import to_catalog_changes
from asiria_desktop.ui.shift.notices_panel import UNREAD_MARK, NoticesDialog

from ..services.support import rows, user_id

LOW_STOCK = "0193a0c0-0000-7000-8000-000000000001"
OVERSELL = "0193a0c0-0000-7000-8000-000000000002"
SUMMARY = "0193a0c0-0000-7000-8000-000000000003"


def pull_notices(till: Any, *changes: dict[str, Any], cursor: str = "7") -> None:
    """Apply notices as a pulled page does (the same mapping and store as the puller)."""
    pulled = [
        Change(seq=n, entity="notice", op=change.pop("op", "upsert"), data=change)
        for n, change in enumerate(changes, start=1)
    ]
    store = SqlSyncStore(till.database.engine)
    store.apply_page(to_catalog_changes(pulled, VariableMeasureLayout()), cursor)


def notice(notice_id: str, kind: str, message: str, at: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": notice_id,
        "kind": kind,
        "message": message,
        "created_at": at,
        "audience": "managers",
        "read_by": [],
        **extra,
    }


def seed(till: Any) -> None:
    owner = user_id(till, "Owner")
    pull_notices(
        till,
        notice(
            LOW_STOCK,
            "low_stock",
            "Sugar 2kg is low: 3 left (threshold 5).",
            "2026-12-05T09:00:00+03:00",
        ),
        notice(OVERSELL, "oversell", "Bread sold beyond stock: -2.", "2026-12-05T10:00:00+03:00"),
        notice(
            SUMMARY,
            "daily_summary",
            "Yesterday: 41 sales, KES 12,400.00.",
            "2026-12-04T21:00:00+03:00",
            read_by=[owner],
        ),
    )


def notice_events(till: Any) -> list[dict[str, Any]]:
    found = rows(till, "SELECT payload FROM outbox WHERE type = 'notice.read' ORDER BY seq")
    return [json.loads(payload) for (payload,) in found]


def test_a_manager_sees_the_unread_count_and_marks_notices_read(
    cashier: Any, window: Any, till: Any
) -> None:
    seed(till)
    cashier.log_in("9999", open_shift_with=None)  # Wanjiru, the manager
    button = window.notices_button
    cashier.wait(lambda: button.isVisible() and button.text() == "Notices  3")

    button.click()
    panel = cashier.dialog(NoticesDialog)
    cashier.wait(lambda: panel.list_widget.count() == 3)
    texts = [panel.list_widget.item(i).text() for i in range(3)]
    assert texts[0].startswith(f"{UNREAD_MARK} Sold more than in stock")  # newest first
    assert "Bread sold beyond stock: -2." in texts[0]
    assert texts[1].startswith(f"{UNREAD_MARK} Low stock")
    assert texts[2].startswith(f"{UNREAD_MARK} Daily summary")  # the owner read it, not her
    assert "3 notices, 3 unread" in panel.summary.text()

    panel.list_widget.setCurrentRow(1)
    panel.mark_button.click()
    cashier.wait(lambda: "3 notices, 2 unread" in panel.summary.text())
    assert panel.list_widget.item(1).text().startswith("Low stock")
    cashier.wait(lambda: button.text() == "Notices  2")
    manager = user_id(till, "Wanjiru")
    events = notice_events(till)
    assert [(e["notice_id"], e["reader_id"]) for e in events] == [(LOW_STOCK, manager)]

    panel.mark_all_button.click()
    cashier.wait(lambda: "3 notices, 0 unread" in panel.summary.text())
    cashier.wait(lambda: button.text() == "Notices")
    assert {e["notice_id"] for e in notice_events(till)} == {LOW_STOCK, OVERSELL, SUMMARY}
    assert not panel.mark_all_button.isEnabled()
    panel.accept()

    # Read again (nothing new): no second event for the same person and notice.
    assert till.services.notices.mark_read([LOW_STOCK]) == 0
    assert len(notice_events(till)) == 3


def test_what_the_owner_read_at_head_office_is_read_at_the_till(
    cashier: Any, window: Any, till: Any
) -> None:
    seed(till)
    cashier.log_in("0000", open_shift_with=None)  # the owner
    cashier.wait(lambda: window.notices_button.text() == "Notices  2")
    board = till.services.notices.board()
    assert [line.unread for line in board.lines] == [True, True, False]


def test_a_cashier_gets_no_notices_button_and_cannot_mark_any(
    cashier: Any, window: Any, till: Any
) -> None:
    seed(till)
    cashier.log_in("1111")  # Amina, a cashier
    cashier.idle()
    window.notices_button.refresh()
    cashier.idle()
    assert not window.notices_button.isVisible()
    board = till.services.notices.board()
    assert not board.allowed and board.lines == () and board.unread == 0
    assert till.services.notices.mark_read([LOW_STOCK]) == 0
    assert notice_events(till) == []


def test_a_notice_head_office_withdraws_leaves_the_panel(
    cashier: Any, window: Any, till: Any
) -> None:
    seed(till)
    cashier.log_in("9999", open_shift_with=None)
    cashier.wait(lambda: window.notices_button.text() == "Notices  3")
    assert till.services.notices.mark_read([SUMMARY]) == 1
    pull_notices(till, {"id": SUMMARY, "op": "delete"}, cursor="8")
    board = till.services.notices.board()
    assert [line.id for line in board.lines] == [OVERSELL, LOW_STOCK]
    assert rows(till, "SELECT count(*) FROM notice_seen") == [(0,)]


def test_a_notice_a_month_older_than_the_newest_leaves_the_till(
    cashier: Any, window: Any, till: Any
) -> None:
    seed(till)  # oversell 5 Dec 07:00 UTC, low stock 5 Dec 06:00 UTC, summary 4 Dec
    cashier.log_in("9999", open_shift_with=None)
    assert till.services.notices.mark_read([SUMMARY]) == 1
    fresh = "0193a0c0-0000-7000-8000-000000000004"
    pull_notices(
        till,
        notice(fresh, "low_stock", "Salt 1kg is low: 2 left.", "2027-01-04T06:30:00Z"),
        cursor="8",
    )  # 30 days before it is 5 Dec 06:30 UTC: the oversell stays, the two older ones go
    board = till.services.notices.board()
    assert [line.id for line in board.lines] == [fresh, OVERSELL]
    assert rows(till, "SELECT notice_id, user_id FROM notice_seen") == []
    assert [e["notice_id"] for e in notice_events(till)] == [SUMMARY]  # what was sent stays


def test_the_notices_survive_a_restart(tmp_path: Any) -> None:
    from asiria_desktop.bootstrap import build_till
    from asiria_desktop.config import TillConfig
    from asiria_desktop.demo import seed_demo
    from asiria_desktop.services.results import CashierSession

    config = TillConfig(data_dir=tmp_path / "till")
    first = build_till(config)
    seed_demo(first)
    seed(first)
    manager = user_id(first, "Wanjiru")
    first.context.set_cashier(CashierSession(manager, "Wanjiru", "manager"))
    first.services.notices.mark_read([OVERSELL])
    first.close()
    again = build_till(config)
    try:
        again.context.set_cashier(CashierSession(manager, "Wanjiru", "manager"))
        board = again.services.notices.board()
        assert [(line.id, line.unread) for line in board.lines] == [
            (OVERSELL, False),
            (LOW_STOCK, True),
            (SUMMARY, True),
        ]
    finally:
        again.close()


def test_every_kind_has_a_plain_title_and_an_unknown_kind_still_reads() -> None:
    from asiria_desktop.services.shift.notices import title_for

    assert title_for("tax_mismatch") == "VAT differs from the tax classes"
    assert title_for("mpesa_mismatch") == "M-Pesa code does not match"
    assert title_for("stock_count_due") == "Stock count due"  # a kind newer than this till
    assert title_for("") == "Notice"
