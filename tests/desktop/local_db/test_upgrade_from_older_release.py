"""An older release of the till sells, then this version starts on its data folder, as an
installed newer package does on its first start (version N: ``older_release.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import demo_ean13
from asiria_desktop.local_db.migrate import HEAD_REVISION
from asiria_desktop.local_db.upgrade import upgrade_backups
from tests.desktop.local_db.older_release import (
    LINES_SQL,
    OUTBOX,
    SALES_SQL,
    VERSION_N_REVISION,
    rows,
    sell_with_version_n,
    version_n_source,
)

pytestmark = pytest.mark.slow

SALES = 3


def test_a_newer_till_keeps_what_an_older_release_sold_and_did_not_send(tmp_path: Path) -> None:
    source = version_n_source(tmp_path / "version-n")
    data_dir = tmp_path / "shop"
    receipts = sell_with_version_n(source, data_dir, SALES)
    database = data_dir / "till.sqlite3"
    assert rows(database, "SELECT version_num FROM alembic_version") == [(VERSION_N_REVISION,)]
    assert VERSION_N_REVISION != HEAD_REVISION
    sales_before = rows(database, SALES_SQL)
    lines_before = rows(database, LINES_SQL)
    outbox_before = rows(database, OUTBOX)
    assert [r[1] for r in sales_before] == receipts and len(receipts) == SALES
    assert len(outbox_before) >= SALES
    assert [r[2] for r in outbox_before].count("sale.completed") == SALES

    till = build_till(TillConfig(data_dir=data_dir))  # version N+1 starts on the same folder
    try:
        with till.database.uow(read_only=True) as uow:
            for no in receipts:
                sale = uow.sales.by_receipt_no(no)
                assert sale is not None and sale.lines and sale.total_cents > 0
            assert uow.outbox.count_unsent() == len(outbox_before)
        # The new version sells on: the receipt numbers go on without a gap.
        services = till.services
        services.auth.login("1111")
        sale = services.sale
        sale.scan(demo_ean13(2))
        sale.add_payment("cash", sale.view().balance_due_cents)
        next_receipt = sale.complete().receipt_no
        services.auth.logout()
    finally:
        till.close()

    assert rows(database, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    # Every old sale, line and unsent event is still there, unchanged.
    assert rows(database, SALES_SQL)[:SALES] == sales_before
    assert rows(database, LINES_SQL)[: len(lines_before)] == lines_before
    assert rows(database, OUTBOX)[: len(outbox_before)] == outbox_before
    assert int(next_receipt.rsplit("-", 1)[1]) == int(receipts[-1].rsplit("-", 1)[1]) + 1

    # The copy was made before the first migration: version N's schema and data.
    (backup,) = upgrade_backups(data_dir / "backups")
    assert backup.name.startswith(f"before-upgrade-{VERSION_N_REVISION}-")
    assert rows(backup, "SELECT version_num FROM alembic_version") == [(VERSION_N_REVISION,)]
    assert rows(backup, SALES_SQL) == sales_before
    assert rows(backup, OUTBOX) == outbox_before
    assert sorted(p.name for p in backup.parent.glob(f"{backup.name}*")) == [backup.name]
