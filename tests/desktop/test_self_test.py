"""``asiria --self-test``: a demo store in a scratch folder, the sale screen offscreen, versions.

It runs as the packages run it: a process of its own (its window and Qt state end with it).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from asiria_desktop.cli import main

REPO = Path(__file__).resolve().parents[2]


def self_test(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "asiria_desktop", "--self-test", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_self_test_reaches_the_sale_screen_and_prints_versions() -> None:
    done = self_test()
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert out.startswith("asiria ")
    for part in ("python 3.", "qt 6.", "PySide6 6.", "sqlalchemy 2.", "sqlite 3."):
        assert part in out
    assert "sale screen ready in " in out
    assert out.rstrip().endswith("self-test ok")
    # The temporary data folder is gone afterwards.
    folder = next(line for line in out.splitlines() if line.startswith("data folder "))
    assert not Path(folder.removeprefix("data folder ")).exists()


def test_self_test_reuses_its_own_scratch_folder(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    for _ in range(2):
        done = self_test(str(scratch))
        assert done.returncode == 0, done.stderr[-3000:]
        assert done.stdout.rstrip().endswith("self-test ok")
    conn = sqlite3.connect(scratch / "till.sqlite3")
    users = conn.execute("SELECT count(*) FROM users").fetchone()[0]
    conn.close()
    assert users == 4  # seeded once, not twice


def test_self_test_refuses_a_folder_holding_a_shops_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shop = tmp_path / "shop"
    shop.mkdir()
    database = shop / "till.sqlite3"
    database.write_bytes(b"the shop's sales")
    assert main(["--self-test", str(shop)]) == 5
    assert "did not create" in capsys.readouterr().err
    assert database.read_bytes() == b"the shop's sales"
    assert not (shop / ".asiria-self-test").exists()
