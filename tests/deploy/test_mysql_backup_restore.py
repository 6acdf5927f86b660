"""deploy/backup: a backup of the migrated cloud database, then a restore, on this machine's
MariaDB: what was there when the backup ran is back; later changes are gone."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parents[2]
BACKUP = REPO / "deploy" / "backup"

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _env() -> dict[str, str]:
    db = connection.settings_dict
    url = f"mysql://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 3306}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "ASIRIA_BACKUP_KEEP": "2"}


def test_backup_then_restore_brings_the_data_back(transactional_db: None, tmp_path: Path) -> None:
    from cloud_api.accounts.models import Organisation

    Organisation.objects.create(name="Duka la Mama")
    env = _env()
    made = [
        subprocess.run(
            ["bash", str(BACKUP / "mysql_backup.sh"), str(tmp_path)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for _ in range(3)
    ]
    kept = sorted(p.name for p in tmp_path.glob("asiria-*.sql.gz"))
    assert len(kept) == 2 and Path(made[-1]).name in kept  # the newest two stay

    Organisation.objects.filter(name="Duka la Mama").delete()
    Organisation.objects.create(name="Made after the backup")
    refused = subprocess.run(
        ["bash", str(BACKUP / "mysql_restore.sh"), made[-1]], env=env, capture_output=True
    )
    assert refused.returncode == 2  # no --yes, nothing touched
    assert not Organisation.objects.filter(name="Duka la Mama").exists()

    subprocess.run(
        ["bash", str(BACKUP / "mysql_restore.sh"), made[-1], "--yes"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    names = set(Organisation.objects.values_list("name", flat=True))
    assert "Duka la Mama" in names and "Made after the backup" not in names


def test_a_damaged_backup_is_refused_before_any_table_is_touched(
    transactional_db: None, tmp_path: Path
) -> None:
    from cloud_api.accounts.models import Organisation

    Organisation.objects.create(name="Still here")
    damaged = tmp_path / "asiria-broken.sql.gz"
    damaged.write_bytes(b"\x1f\x8b not really gzip")
    done = subprocess.run(
        ["bash", str(BACKUP / "mysql_restore.sh"), str(damaged), "--yes"],
        env=_env(),
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert Organisation.objects.filter(name="Still here").exists()
