"""Each extra installs alone into a fresh venv and starts; the till package builds and runs.

Slow (a few minutes; pip's and PyInstaller's caches make repeats quicker), part of `make test`.
The venvs and the build live in a temporary folder; the commands run from outside the checkout,
so only what pip installed is importable.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BENCH_LINE = re.compile(r"^BENCH (\S+) ([0-9.]+) (\S+)$", re.MULTILINE)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return {**env, **extra}


def _venv(folder: Path, extras: str) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    subprocess.run(
        [
            str(folder / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "-c",
            str(REPO / "constraints.txt"),
            f"{REPO}[{extras}]",
        ],
        check=True,
        env=_clean_env(),
        cwd=folder,
    )
    return folder / "bin"


def _run(cmd: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=_clean_env(**env), capture_output=True, text=True, check=False
    )


def _imports(bin_dir: Path, module: str, cwd: Path) -> bool:
    return _run([str(bin_dir / "python"), "-c", f"import {module}"], cwd).returncode == 0


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("packaging")


@pytest.fixture(scope="module")
def till_bin(work: Path) -> Path:
    return _venv(work / "till-venv", "till")


def test_the_cloud_extra_alone_gives_a_working_cloud(work: Path) -> None:
    bin_dir = _venv(work / "cloud-venv", "cloud")
    env = {"SECRET_KEY": "x" * 50, "DEBUG": "0"}
    check = _run([str(bin_dir / "asiria-cloud"), "check"], work, **env)
    assert check.returncode == 0, check.stderr[-3000:]
    assert "no issues" in check.stdout
    wsgi = _run([str(bin_dir / "python"), "-c", "import cloud_api.wsgi"], work, **env)
    assert wsgi.returncode == 0, wsgi.stderr[-3000:]  # what gunicorn loads
    celery = _run([str(bin_dir / "celery"), "-A", "cloud_api", "report"], work, **env)
    assert celery.returncode == 0, celery.stderr[-3000:]
    assert not _imports(bin_dir, "PySide6", work)  # the till's libraries stay out


def test_the_till_extra_alone_gives_a_working_till(till_bin: Path, work: Path) -> None:
    version = _run([str(till_bin / "asiria"), "--version"], work)
    assert version.returncode == 0 and version.stdout.startswith("asiria ")
    selftest = _run([str(till_bin / "asiria"), "--self-test"], work, QT_QPA_PLATFORM="offscreen")
    assert selftest.returncode == 0, selftest.stderr[-3000:]
    assert selftest.stdout.rstrip().endswith("self-test ok")
    assert not _imports(till_bin, "django", work)  # the cloud's libraries stay out
    assert not _imports(till_bin, "PyInstaller", work)  # that is the package extra


@pytest.fixture(scope="module")
def dist(till_bin: Path, work: Path) -> Path:
    """The bundle and the .deb, built once by the installer's scripts."""
    env = _clean_env(
        ASIRIA_PACKAGE_VENV=str(till_bin.parent),
        ASIRIA_DIST=str(work / "dist"),
        ASIRIA_BUILD=str(work / "build"),
    )
    for script in ("build_bundle.sh", "build_deb.sh"):
        subprocess.run(["bash", str(REPO / "installer" / script)], env=env, check=True)
    return work / "dist"


def test_the_till_package_builds_installs_and_passes_its_self_test(dist: Path, work: Path) -> None:
    smoke = _run(
        [sys.executable, str(REPO / "benchmarks" / "package.py"), str(work / "dist")], work
    )
    assert smoke.returncode == 0, smoke.stderr[-3000:]
    assert "self-test ok" in smoke.stdout
    figures = {name: float(value) for name, value, _ in BENCH_LINE.findall(smoke.stdout)}
    assert {"package.cold_start.p50", "package.cold_start.max"} <= set(figures)
    assert figures["package.bundle_mb"] <= 150  # sizes are budgets, not timings
    assert figures["package.deb_mb"] <= 60
    bundle = work / "dist" / "asiria" / "_internal"
    for absent in ("django", "cloud_api", "rest_framework", "celery"):
        assert not (bundle / absent).exists()


def test_the_installed_package_updates_an_older_tills_data_and_keeps_it(
    dist: Path, work: Path, tmp_path: Path
) -> None:
    """Version N (the till's code at an earlier commit) sells; the .deb of this version is
    installed and starts on that data folder: sales and unsent outbox intact, copy made first."""
    from asiria_desktop.local_db.migrate import HEAD_REVISION
    from tests.desktop.local_db.older_release import (
        OUTBOX,
        SALES_SQL,
        VERSION_N_REVISION,
        rows,
        sell_with_version_n,
        version_n_source,
    )

    shop = tmp_path / "shop"
    receipts = sell_with_version_n(version_n_source(tmp_path / "version-n"), shop, 2)
    database = shop / "till.sqlite3"
    sales_before, outbox_before = rows(database, SALES_SQL), rows(database, OUTBOX)
    assert len(sales_before) == len(receipts) == 2 and len(outbox_before) >= 2

    (deb,) = dist.glob("asiriapos_*.deb")
    root = tmp_path / "root"
    subprocess.run(["dpkg", "-x", str(deb), str(root)], check=True)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    # A command that opens the till without a window: it updates the database, then says
    # this till is not connected (exit code 2).
    started = subprocess.run(
        [str(root / "opt/asiriapos/asiria"), "sync", "--once", "--data-dir", str(shop)],
        capture_output=True,
        text=True,
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
        timeout=300,
    )
    assert started.returncode == 2, started.stderr[-3000:]
    assert "not connected to the cloud" in started.stderr

    assert rows(database, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert rows(database, SALES_SQL) == sales_before
    assert rows(database, OUTBOX) == outbox_before
    (backup,) = (shop / "backups").glob(f"before-upgrade-{VERSION_N_REVISION}-*.sqlite3")
    assert rows(backup, "SELECT version_num FROM alembic_version") == [(VERSION_N_REVISION,)]
    assert rows(backup, SALES_SQL) == sales_before
