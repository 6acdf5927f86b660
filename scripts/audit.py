"""`make audit`: bandit over our code and pip-audit over the installed packages.

Fails (exit 1) on any high-severity bandit finding and on any known vulnerability in an
installed package. pip-audit asks a vulnerability service (PyPI's, else OSV) about every
package; where that service cannot be reached it reports the packages as "skipped" and still
exits 0. Here a package that was not audited is never taken as safe: the run prints a loud
WARNING line saying how many were not audited and why, so a green run without the service
cannot be mistaken for a clean audit.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CODE = ["asiria_desktop", "cloud_api", "asiria_demo_data"]
SERVICES = ["pypi", "osv"]


@dataclass
class AuditVerdict:
    """What one pip-audit report means: vulnerable packages fail the run, unaudited ones warn."""

    vulnerable: list[str] = field(default_factory=list)
    unaudited: list[str] = field(default_factory=list)
    audited: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.vulnerable)


def read_report(report: dict[str, Any]) -> AuditVerdict:
    verdict = AuditVerdict()
    for dependency in report.get("dependencies", []):
        name = f"{dependency.get('name')} {dependency.get('version', '')}".strip()
        if "skip_reason" in dependency:
            verdict.unaudited.append(name)
            continue
        verdict.audited += 1
        for vuln in dependency.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
            verdict.vulnerable.append(f"{name}: {vuln.get('id')} (fixed in {fixes})")
    return verdict


def pip_audit(service: str) -> AuditVerdict | None:
    """The verdict of one vulnerability service, or None when it could not be asked at all."""
    result = subprocess.run(
        [
            str(BIN / "pip-audit"),
            "--format",
            "json",
            "--progress-spinner",
            "off",
            "--skip-editable",
            "--vulnerability-service",
            service,
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    try:
        return read_report(json.loads(result.stdout))
    except ValueError:
        last = (result.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"pip-audit ({service}) could not run: {last[:300]}")
        return None


def audit_packages() -> int:
    best: AuditVerdict | None = None
    for service in SERVICES:
        verdict = pip_audit(service)
        if verdict is not None and (best is None or verdict.audited > best.audited):
            best = verdict
        if best is not None and not best.unaudited:
            break
    if best is None:
        print(
            "WARNING: pip-audit could not reach any vulnerability service "
            f"({', '.join(SERVICES)}): NO package was audited for known vulnerabilities."
        )
        return 0
    for line in best.vulnerable:
        print(f"VULNERABLE: {line}")
    if best.unaudited:
        total = best.audited + len(best.unaudited)
        print(
            f"WARNING: {len(best.unaudited)} of {total} installed packages were NOT audited for "
            "known vulnerabilities (the vulnerability service could not be reached or did not "
            f"know them, e.g. {', '.join(best.unaudited[:3])}). Run `make audit` where "
            "PyPI's vulnerability data or OSV can be reached."
        )
    else:
        print(f"pip-audit: {best.audited} packages audited, no known vulnerability.")
    return 1 if best.failed else 0


def audit_code(paths: list[str] = CODE) -> int:
    """bandit over our code, failing on high severity (the rest are its notes, read by us)."""
    result = subprocess.run(
        [
            str(BIN / "bandit"),
            "-q",
            "-r",
            *paths,
            "-x",
            "*/migrations/*",
            "--severity-level",
            "high",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    if result.returncode != 0:
        print(result.stdout or result.stderr)
        print("bandit: high-severity findings above.")
        return 1
    print("bandit: no high-severity finding.")
    return 0


def main() -> int:
    code = audit_code()
    packages = audit_packages()
    return 1 if code or packages else 0


if __name__ == "__main__":
    sys.exit(main())
