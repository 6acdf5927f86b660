"""Installing a newer till over an older one: the sales and the unsent outbox survive, a copy
of the old file is made before the first migration runs, and a failed migration puts it back."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import demo_ean13, seed_demo
from asiria_desktop.local_db import database as database_module
from asiria_desktop.local_db.engine import create_till_engine, writer
from asiria_desktop.local_db.migrate import HEAD_REVISION, alembic_config
from asiria_desktop.local_db.upgrade import UpgradeFailed, upgrade_backups

# An older release's schema: the sync tables exist, later migrations (open cart, printed
# documents, biometrics, append-only audit) do not.
VERSION_N = "0002_sync"


def install_version_n(path: Path) -> None:
    from alembic import command

    engine = create_till_engine(path)
    config = alembic_config()
    with writer(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, VERSION_N)
    engine.dispose()


def sell(till: Any, count: int) -> list[str]:
    """Real sales through the till's services; returns their receipt numbers."""
    services = till.services
    services.auth.login("1111")
    receipts = []
    for n in range(count):
        sale = services.sale
        sale.scan(demo_ean13(n + 1))
        sale.scan(demo_ean13(n + 7))
        sale.add_payment("cash", sale.view().balance_due_cents + 1000)
        receipts.append(sale.complete().receipt_no)
    services.auth.logout()
    return receipts


def version_n_till_with_sales(tmp_path: Path, count: int = 3) -> tuple[Path, list[str], int]:
    """A data folder as version N left it: its schema, with sales and unsent outbox rows.

    The rows are made by a real till (in a scratch folder) and copied column by column into
    the version-N file, so they are exactly what a till writes when it sells.
    """
    scratch = build_till(TillConfig(data_dir=tmp_path / "scratch"))
    seed_demo(scratch)
    receipts = sell(scratch, count)
    scratch_path = scratch.config.database_path
    scratch.close()

    data_dir = tmp_path / "shop"
    data_dir.mkdir()
    path = data_dir / "till.sqlite3"
    install_version_n(path)
    conn = sqlite3.connect(path)
    conn.execute("ATTACH DATABASE ? AS made", (str(scratch_path),))
    tables = [
        name
        for (name,) in conn.execute("SELECT name FROM main.sqlite_master WHERE type='table'")
        if name != "alembic_version" and not name.startswith("products_fts")
    ]
    conn.execute("PRAGMA foreign_keys=OFF")
    for table in tables:
        columns = ", ".join(row[1] for row in conn.execute(f"PRAGMA main.table_info({table})"))
        conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM made.{table}")
    conn.commit()
    unsent = conn.execute("SELECT count(*) FROM outbox WHERE status = 'pending'").fetchone()[0]
    conn.execute("DETACH DATABASE made")
    conn.close()
    return data_dir, receipts, unsent


def revision_of(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def count(path: Path, sql: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def test_a_newer_till_finds_the_sales_and_the_unsent_outbox_of_the_older_one(
    tmp_path: Path,
) -> None:
    data_dir, receipts, unsent = version_n_till_with_sales(tmp_path)
    assert unsent >= len(receipts) > 0
    assert revision_of(data_dir / "till.sqlite3") == VERSION_N

    till = build_till(TillConfig(data_dir=data_dir))  # version N+1 starts on that folder
    try:
        with till.database.uow(read_only=True) as uow:
            found = [uow.sales.by_receipt_no(no) for no in receipts]
            assert all(sale is not None for sale in found)
            assert all(sale.total_cents > 0 and sale.lines for sale in found if sale)
            assert uow.outbox.count_unsent() == unsent
            assert {e.type for e in uow.outbox.pending()} >= {"sale.completed"}
        assert revision_of(till.config.database_path) == HEAD_REVISION
        # The receipt numbers go on without a gap after the upgrade.
        next_receipt = sell(till, 1)[0]
        assert int(next_receipt.rsplit("-", 1)[1]) == int(receipts[-1].rsplit("-", 1)[1]) + 1
    finally:
        till.close()

    (backup,) = upgrade_backups(data_dir / "backups")
    assert backup.name.startswith(f"before-upgrade-{VERSION_N}-")
    # Made before the first migration ran: it still has version N's schema, and every sale.
    assert revision_of(backup) == VERSION_N
    assert count(backup, "SELECT count(*) FROM sales") == len(receipts)
    assert count(backup, "SELECT count(*) FROM outbox WHERE status = 'pending'") == unsent


def test_a_current_database_is_not_copied_again_on_each_start(tmp_path: Path) -> None:
    data_dir, _, _ = version_n_till_with_sales(tmp_path, count=1)
    build_till(TillConfig(data_dir=data_dir)).close()
    build_till(TillConfig(data_dir=data_dir)).close()
    assert len(upgrade_backups(data_dir / "backups")) == 1


def test_a_new_till_makes_no_upgrade_copy(tmp_path: Path) -> None:
    build_till(TillConfig(data_dir=tmp_path / "new")).close()
    assert upgrade_backups(tmp_path / "new" / "backups") == []


def test_a_failed_migration_puts_the_old_file_back_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir, receipts, unsent = version_n_till_with_sales(tmp_path)
    path = data_dir / "till.sqlite3"

    def broken_migration(engine: Any) -> None:
        # Half of a migration is committed, then it fails.
        with engine.begin() as connection:
            connection.exec_driver_sql("DELETE FROM outbox")
            connection.exec_driver_sql("DELETE FROM sale_payments")
            connection.exec_driver_sql("DELETE FROM sale_lines")
            connection.exec_driver_sql("DELETE FROM sales")
        raise RuntimeError("no such column: documents.kind\n[SQL: ALTER TABLE ...]")

    monkeypatch.setattr(database_module, "upgrade_to_head", broken_migration)
    with pytest.raises(UpgradeFailed) as failed:
        build_till(TillConfig(data_dir=data_dir))

    message = failed.value.message
    assert "could not update its database (no such column: documents.kind)" in message
    assert "put back exactly as it was before the update" in message
    assert "[SQL" not in message
    assert failed.value.restored
    assert revision_of(path) == VERSION_N
    assert count(path, "SELECT count(*) FROM sales") == len(receipts)
    assert count(path, "SELECT count(*) FROM outbox WHERE status = 'pending'") == unsent
    assert failed.value.kept is not None and failed.value.kept.exists()  # for support

    monkeypatch.undo()  # the fixed version installs: it upgrades the restored file
    till = build_till(TillConfig(data_dir=data_dir))
    try:
        with till.database.uow(read_only=True) as uow:
            assert uow.outbox.count_unsent() == unsent
            assert all(uow.sales.by_receipt_no(no) is not None for no in receipts)
    finally:
        till.close()


def test_the_cli_says_plainly_that_the_update_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from asiria_desktop import cli

    data_dir, _, _ = version_n_till_with_sales(tmp_path, count=1)

    def broken_migration(_engine: Any) -> None:
        raise RuntimeError("disk I/O error")

    monkeypatch.setattr(database_module, "upgrade_to_head", broken_migration)
    code = cli._open(TillConfig(data_dir=data_dir))
    assert code == 6
    err = capsys.readouterr().err
    assert "could not update its database (disk I/O error)" in err
    assert "Install the previous version again" in err
