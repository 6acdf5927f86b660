"""`make audit` fails on what it finds, and never passes in silence what it could not check."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit.py"


def load_audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("asiria_audit", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


audit = load_audit()

VULNERABLE = {
    "dependencies": [
        {
            "name": "django",
            "version": "3.0.0",
            "vulns": [{"id": "PYSEC-1", "fix_versions": ["3.0.1"]}],
        },
        {"name": "requests", "version": "2.32.5", "vulns": []},
    ]
}
UNREACHABLE = {
    "dependencies": [
        {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited"},
        {"name": "requests", "version": "2.32.5", "vulns": []},
    ]
}


def test_a_known_vulnerability_fails_the_audit(monkeypatch, capsys) -> None:
    monkeypatch.setattr(audit, "pip_audit", lambda service: audit.read_report(VULNERABLE))

    assert audit.audit_packages() == 1
    assert "VULNERABLE: django 3.0.0: PYSEC-1 (fixed in 3.0.1)" in capsys.readouterr().out


def test_packages_not_audited_are_a_loud_warning_not_a_pass(monkeypatch, capsys) -> None:
    monkeypatch.setattr(audit, "pip_audit", lambda service: audit.read_report(UNREACHABLE))

    assert audit.audit_packages() == 0
    out = capsys.readouterr().out
    assert "WARNING: 1 of 2 installed packages were NOT audited" in out
    assert "no known vulnerability" not in out


def test_no_reachable_service_says_nothing_was_audited(monkeypatch, capsys) -> None:
    monkeypatch.setattr(audit, "pip_audit", lambda service: None)

    assert audit.audit_packages() == 0
    assert "WARNING: pip-audit could not reach any vulnerability service" in capsys.readouterr().out


def test_the_real_pip_audit_answers_with_a_verdict_either_way(capsys) -> None:
    """Against the real service: audited packages, or a warning naming the unaudited ones."""
    code = audit.audit_packages()

    out = capsys.readouterr().out
    assert code in (0, 1)
    assert "WARNING" in out or "packages audited" in out or "VULNERABLE" in out


def test_bandit_passes_our_code_and_fails_high_severity_code(tmp_path: Path) -> None:
    risky = tmp_path / "risky.py"
    risky.write_text("import subprocess\n\nsubprocess.call(input(), shell=True)\n")

    assert audit.audit_code() == 0
    assert audit.audit_code([str(risky)]) == 1


@pytest.mark.parametrize("report", [VULNERABLE, UNREACHABLE])
def test_every_dependency_is_counted_once(report) -> None:
    verdict = audit.read_report(report)

    assert verdict.audited + len(verdict.unaudited) == len(report["dependencies"])
