"""The ``asiria`` command without Qt: --version and ``demo --seed-only`` (idempotent)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from asiria_desktop.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.startswith("asiria ")


def test_demo_seed_only_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "demo"
    assert main(["demo", "--data-dir", str(data), "--seed-only"]) == 0
    first = capsys.readouterr().out
    assert "Demo store created" in first
    for line in (
        "cashier  Amina    PIN 1111",
        "manager  Wanjiru  PIN 9999",
        "owner    Owner    PIN 0000",
    ):
        assert line in first
    assert main(["demo", "--data-dir", str(data), "--seed-only"]) == 0
    assert "already there" in capsys.readouterr().out

    conn = sqlite3.connect(data / "till.sqlite3")
    products, weighed = conn.execute(
        "SELECT count(*), sum(sold_by_weight) FROM products"
    ).fetchone()
    users = conn.execute("SELECT count(*) FROM users").fetchone()[0]
    conn.close()
    assert products >= 300 and weighed >= 3 and users == 4
    assert (data / "backups").is_dir()


def test_a_damaged_database_is_reported_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "broken"
    data.mkdir()
    (data / "till.sqlite3").write_bytes(b"not a database" * 100)
    assert main(["demo", "--data-dir", str(data), "--seed-only"]) == 3
    err = capsys.readouterr().err
    assert "is damaged" in err and "Traceback" not in err


def test_python_dash_m_works_without_qt(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "asiria_desktop", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("asiria ")
    script = (
        "import sys\n"
        "from asiria_desktop.cli import main\n"
        f"assert main(['demo', '--data-dir', {str(tmp_path / 'd')!r}, '--seed-only']) == 0\n"
        "print('qt loaded' if 'PySide6' in sys.modules else 'no qt')\n"
    )
    seeded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert seeded.returncode == 0, seeded.stderr
    assert seeded.stdout.strip().endswith("no qt")


def test_restore_puts_the_last_backup_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "shop"
    assert main(["demo", "--data-dir", str(data), "--seed-only"]) == 0
    database = data / "till.sqlite3"
    database.write_bytes(b"scrambled" * 500)
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    capsys.readouterr()
    assert main(["demo", "--data-dir", str(data), "--seed-only"]) == 3
    assert "asiria restore --data-dir" in capsys.readouterr().err

    assert main(["restore", "--data-dir", str(data)]) == 0
    assert "The damaged file is kept as till.sqlite3.damaged-" in capsys.readouterr().out
    # The backup was taken when the till opened, before the demo was seeded: it opens cleanly.
    assert main(["demo", "--data-dir", str(data), "--seed-only"]) == 0
    assert "Demo store created" in capsys.readouterr().out


def test_the_demo_runs_on_simulated_devices_whatever_the_settings_file_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from asiria_desktop import bootstrap

    data = tmp_path / "demo"
    data.mkdir()
    (data / "devices-T01.json").write_text(
        '{"printer": {"kind": "network", "host": "127.0.0.1", "port": 9}}', encoding="utf-8"
    )
    built: list[object] = []
    real_build = bootstrap.build_till

    def spy(config: object, **kwargs: object) -> object:
        till = real_build(config, **kwargs)  # type: ignore[arg-type]
        built.append(till)
        return till

    monkeypatch.setattr(bootstrap, "build_till", spy)
    monkeypatch.setenv("ASIRIA_CONFIG", str(tmp_path / "none.toml"))
    assert main(["demo", "--data-dir", str(data), "--seed-only"]) == 0
    (till,) = built
    assert till.config.training  # type: ignore[attr-defined]
    assert type(till.printer).__name__ == "SimulatedPrinter"  # type: ignore[attr-defined]


def test_the_demo_till_is_named_as_the_demo_cloud_names_its_store() -> None:
    from asiria_demo_data import STORE_NAME
    from asiria_desktop.cli import demo_store
    from asiria_desktop.config import StoreSettings

    assert demo_store(StoreSettings()).name == STORE_NAME == "Demo store"
    assert demo_store(StoreSettings(name="Mama Njeri Shop")).name == "Mama Njeri Shop"
