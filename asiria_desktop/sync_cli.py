"""``asiria enroll`` and ``asiria sync --once``: plain messages and exit codes for scripts.

Exit codes of ``asiria sync --once``: 0 everything sent and the catalog is current; 1 the cloud
could not be reached or failed (events stay queued, try later); 2 the till is not enrolled;
5 another sync is running (the till window, or another script); 6 head office disconnected this
till (enrol it again); 7 synced, but some events were rejected and wait for a manager.
"""

from __future__ import annotations

import sys
from typing import Any

from asiria_desktop.ports.cloud import PullProgress

EXIT_CODES = {"offline": 1, "error": 1, "not_enrolled": 2, "busy": 5, "revoked": 6}
EXIT_REJECTED = 7


def enroll_command(till: Any, server: str, code: str, name: str) -> int:
    if not server:
        print(
            "asiria: say which cloud: --server https://... (or set sync.server_url).",
            file=sys.stderr,
        )
        return 2
    from asiria_desktop.services.sync.sync import SyncProblem

    try:
        message = till.services.sync.enroll(server, code, name)
    except SyncProblem as exc:
        print(f"asiria: {exc.message}", file=sys.stderr)
        return 1
    print(message)
    note = till.services.sync.overview().warning_note  # e.g. the secret kept in a file
    if note:
        print(f"Note: {note}")
    return 0


def sync_command(till: Any) -> int:
    def progress(p: PullProgress) -> None:
        total = f" of {p.total}" if p.total is not None else ""
        print(f"  received {p.applied}{total} catalog changes", flush=True)

    report = till.services.sync.sync_now(progress)
    if not report.ok:
        print(f"asiria: sync failed: {report.message}", file=sys.stderr)
        return EXIT_CODES.get(report.outcome, 1)
    print(report.message)
    rejected = till.services.sync.overview().rejected
    if rejected:
        print(
            f"asiria: {len(rejected)} events are rejected by the cloud and wait for a manager "
            "(sync screen in the till).",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    if report.pending:
        print(f"asiria: {report.pending} events are still waiting to be sent.", file=sys.stderr)
        return 1
    return 0


def demo_enroll(till: Any, server: str, code: str | None) -> int:
    """``asiria demo --cloud URL --enroll-code CODE``: enrol once (skipped when enrolled)."""
    if till.services.sync.is_enrolled():
        print("Demo till already enrolled.")
        return 0
    if not code or not server:
        print("asiria: --cloud URL and --enroll-code CODE go together.", file=sys.stderr)
        return 2
    result = enroll_command(till, server, code, "Demo till")
    if result == 0:
        report = till.services.sync.sync_now()
        print(report.message if report.ok else f"First sync failed: {report.message}")
    return result
