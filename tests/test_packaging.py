"""The package builds from pyproject.toml without setuptools warning about it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_package_metadata_builds_without_warnings_and_names_its_licence(tmp_path):
    script = (
        "import sys\n"
        "from setuptools import build_meta\n"
        "print(build_meta.prepare_metadata_for_build_wheel(sys.argv[1]))\n"
    )

    done = subprocess.run(
        [sys.executable, "-W", "always", "-c", script, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    said = done.stdout + done.stderr
    assert "project.license" not in said and "Warning" not in said, said
    metadata = (tmp_path / done.stdout.strip().splitlines()[-1] / "METADATA").read_text()
    assert "License-Expression: LicenseRef-Proprietary" in metadata
