"""The .deb's maintainer scripts (installer/linux/debian), run against a scratch root folder.

``ASIRIA_ROOT`` makes them read ``<root>/etc/passwd`` and work under ``<root>`` instead of ``/``;
group changes are written to ``<root>/groups-added`` instead of calling usermod.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

DEBIAN = Path(__file__).resolve().parents[2] / "installer" / "linux" / "debian"
PASSWD = """root:x:0:0:root:/root:/bin/bash
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
amina:x:1000:1000:Amina:/home/amina:/bin/bash
wanjiru:x:1001:1001:Wanjiru:/home/wanjiru:/bin/bash
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd").write_text(PASSWD)
    for user in ("amina", "wanjiru"):
        data = tmp_path / "home" / user / ".local" / "share" / "asiria"
        data.mkdir(parents=True)
        (data / "till.sqlite3").write_bytes(f"{user}'s sales".encode())
        (data / "backups").mkdir()
        config = tmp_path / "home" / user / ".config" / "asiria"
        config.mkdir(parents=True)
        (config / "till.toml").write_text('store_code = "S01"\n')
    return tmp_path


def run(script: str, root: Path, *args: str, **env: str) -> None:
    subprocess.run(
        ["sh", str(DEBIAN / script), *args],
        env={"PATH": os.environ["PATH"], "ASIRIA_ROOT": str(root), **env},
        check=True,
    )


def database(root: Path, user: str) -> Path:
    return root / "home" / user / ".local" / "share" / "asiria" / "till.sqlite3"


def test_install_gives_the_installing_user_the_printer_and_serial_groups(root: Path) -> None:
    run("postinst", root, "configure", SUDO_USER="amina")
    assert (root / "groups-added").read_text().split("\n")[:2] == ["lp amina", "dialout amina"]
    assert database(root, "amina").read_bytes() == b"amina's sales"


def test_install_by_root_or_an_unknown_user_changes_no_group(root: Path) -> None:
    run("postinst", root, "configure", SUDO_USER="root")
    run("postinst", root, "configure", SUDO_USER="mallory")
    assert not (root / "groups-added").exists()


@pytest.mark.parametrize("step", ["configure", "abort-upgrade"])
def test_install_and_upgrade_never_touch_a_database(root: Path, step: str) -> None:
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "home" in p.parts}
    run("postinst", root, step, "0.1.0", SUDO_USER="amina")
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "home" in p.parts}
    assert after == before


@pytest.mark.parametrize("step", ["remove", "upgrade", "disappear"])
def test_removal_keeps_the_shops_data(root: Path, step: str) -> None:
    run("postrm", root, step)
    assert database(root, "amina").read_bytes() == b"amina's sales"
    assert database(root, "wanjiru").read_bytes() == b"wanjiru's sales"
    assert (root / "home" / "amina" / ".config" / "asiria" / "till.toml").exists()


def test_purge_deletes_the_till_data_of_every_person_and_nothing_else(root: Path) -> None:
    other = root / "home" / "amina" / ".local" / "share" / "other-app" / "keep.txt"
    other.parent.mkdir(parents=True)
    other.write_text("not ours")
    run("postrm", root, "purge")
    for user in ("amina", "wanjiru"):
        assert not database(root, user).parent.exists()
        assert not (root / "home" / user / ".config" / "asiria").exists()
    assert other.read_text() == "not ours"
    assert (root / "etc" / "passwd").exists()
