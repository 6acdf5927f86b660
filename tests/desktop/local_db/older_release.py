"""Version N of the till for upgrade tests: the till's own code at an earlier commit of this
repository (``git archive``), run from source in its own process with the same dependencies, so
its schema, sales and unsent outbox are exactly what that release wrote."""

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

REPO = Path(__file__).resolve().parents[3]
# A commit of the main line whose till stops at an older Alembic revision.
VERSION_N_COMMIT = "387dabf"
VERSION_N_REVISION = "0004_documents"

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
