"""The Inno Setup script can't be built here: check that what it names exists in the layout
asiria.spec produces, and that it keeps the shop's data on uninstall."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ISS = REPO / "installer" / "windows" / "asiria.iss"
SPEC = REPO / "installer" / "asiria.spec"


def _sources() -> list[str]:
    return re.findall(r'Source: "([^"]+)"', ISS.read_text())


def test_the_installer_takes_the_bundle_the_spec_builds() -> None:
    spec = SPEC.read_text()
    assert 'name="asiria"' in spec  # the EXE and COLLECT names: dist/asiria/asiria(.exe)
    sources = _sources()
    assert "..\\..\\dist\\asiria\\asiria.exe" in sources
    assert "..\\..\\dist\\asiria\\_internal\\*" in sources
    for source in sources:  # every path is relative to installer/windows and inside the repo
        resolved = (ISS.parent / source.replace("\\", "/")).resolve()
        assert resolved.is_relative_to(REPO / "dist" / "asiria"), source


def test_the_icon_it_names_is_the_one_make_icon_writes() -> None:
    text = ISS.read_text()
    assert "SetupIconFile=..\\..\\dist\\icon\\asiria.ico" in text
    assert "asiria.ico" in (REPO / "installer" / "make_icon.py").read_text()
    assert 'dist" / "icon" / "asiria.ico"' in SPEC.read_text()


def test_shortcuts_optional_start_with_windows_and_data_kept() -> None:
    text = ISS.read_text()
    assert '{autodesktop}\\AsiriaPOS"; Filename: "{app}\\asiria.exe"; Tasks: desktopicon' in text
    assert "{userstartup}" in text and 'Name: "startwithwindows"' in text
    assert "Flags: unchecked" in text.split('Name: "startwithwindows"')[1].splitlines()[0]
    assert "[UninstallDelete]" not in text.replace("; No [UninstallDelete]", "")
    assert "LOCALAPPDATA" not in "".join(_sources())


def test_the_build_steps_are_documented() -> None:
    guide = (REPO / "docs" / "install.md").read_text()
    assert "ISCC.exe" in guide and "installer\\asiria.spec" in guide
