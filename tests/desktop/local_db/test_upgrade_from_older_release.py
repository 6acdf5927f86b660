"""An older release of the till sells, then this version starts on its data folder.

Version N is the till's own code at an earlier commit of this repository (taken with
``git archive``, run from source in its own process, with the same dependencies), so its
schema, its sales and its unsent outbox are exactly what that release wrote. This version then
opens the folder as an installed newer package does on its first start.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import demo_ean13
from asiria_desktop.local_db.migrate import HEAD_REVISION
from asiria_desktop.local_db.upgrade import upgrade_backups

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
# A commit of the main line whose till stops at an older Alembic revision.
VERSION_N_COMMIT = "387dabf"
VERSION_N_REVISION = "0004_documents"
SALES = 3

# Runs inside version N: a demo shop, then real sales through its own services.
SELL_WITH_VERSION_N = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import asiria_desktop
assert asiria_desktop.__file__.startswith(sys.argv[1]), asiria_desktop.__file__
from asiria_desktop.bootstrap import build_till
from asiria_desktop.config import TillConfig
from asiria_desktop.demo import demo_ean13, seed_demo

till = build_till(TillConfig(data_dir=Path(sys.argv[2])))
seed_demo(till)
services = till.services
services.auth.login("1111")
receipts = []
for n in range(int(sys.argv[3])):
    sale = services.sale
    sale.scan(demo_ean13(n + 1))
    sale.scan(demo_ean13(n + 7))
    sale.add_payment("cash", sale.view().balance_due_cents + 1000)
    receipts.append(sale.complete().receipt_no)
services.auth.logout()
till.close()
print(json.dumps(receipts))
"""


def version_n_source(into: Path) -> Path:
    """The till's packages as they were at VERSION_N_COMMIT."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout of the repository (version N comes from its history)")
    archived = subprocess.run(
        ["git", "-C", str(REPO), "archive", VERSION_N_COMMIT, "asiria_desktop", "asiria_demo_data"],
        capture_output=True,
        check=False,
    )
    if archived.returncode != 0:
        pytest.skip(
            f"commit {VERSION_N_COMMIT} is not in this clone (shallow?): "
            f"{archived.stderr.decode(errors='replace').strip()}"
        )
    into.mkdir(parents=True)
    with tarfile.open(fileobj=BytesIO(archived.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


def sell_with_version_n(source: Path, data_dir: Path, count: int) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SELL_WITH_VERSION_N, str(source), str(data_dir), str(count)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen", "HOME": str(data_dir)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    receipts: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return receipts


def rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


OUTBOX = "SELECT seq, id, type, payload, status FROM outbox WHERE status != 'sent' ORDER BY seq"
SALES_SQL = "SELECT id, receipt_no, total_cents FROM sales ORDER BY receipt_no"
LINES_SQL = (
    "SELECT sale_id, product_id, qty_milli, total_cents FROM sale_lines ORDER BY sale_id, position"
)


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
