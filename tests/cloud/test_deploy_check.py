"""Django's deployment check passes, warnings included, with the production environment that
docs/cloud.md documents (read from the ```env block there, so the two cannot drift apart)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def documented_environment() -> dict[str, str]:
    text = (REPO / "docs" / "cloud.md").read_text()
    block = re.search(r"### Production environment\n.*?```env\n(.*?)```", text, re.S)
    assert block, "docs/cloud.md lost its ### Production environment ```env block"
    pairs = [line.split("=", 1) for line in block.group(1).splitlines() if "=" in line]
    return {key.strip(): value.strip() for key, value in pairs}


def fill(documented: dict[str, str]) -> dict[str, str]:
    """Placeholders (``<...>``) get this machine's services and a fresh secret."""
    mine = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "cloud.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://cloud.example.com",
        "DATABASE_URL": os.environ.get("DATABASE_URL", "mysql://root:@127.0.0.1:3306/asiria"),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
    }
    filled = {}
    for key, value in documented.items():
        if value.startswith("<"):
            assert key in mine, f"no test value for the placeholder of {key}"
            value = mine[key]
        filled[key] = value
    return filled


def run_check(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ASIRIA_", "DJANGO_", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"))
    }
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            **base,
            **environment,
            "DJANGO_SETTINGS_MODULE": "cloud_api.settings",
            "PYTHONPATH": str(REPO),
        },
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_the_documented_production_environment():
    environment = fill(documented_environment())
    assert environment["DEBUG"] == "0"

    result = run_check(environment)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_still_catches_a_missing_hardening_setting():
    """The check is not blind: without HSTS it fails."""
    environment = fill(documented_environment())
    environment["ASIRIA_HSTS_SECONDS"] = "0"

    result = run_check(environment)

    assert result.returncode != 0
    assert "security.W004" in result.stdout + result.stderr
