"""deploy/entrypoint.sh (the image's commands) run from a plain checkout: web answers /healthz,
the worker and beat start on Redis, migrate and cron run and exit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ENTRY = str(REPO / "deploy" / "entrypoint.sh")

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "cloud_api.settings",
        "SECRET_KEY": "entry-command-test-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path}/cloud.sqlite3",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/2"),
        "LOG_LEVEL": "INFO",
        "CELERY_BEAT_SCHEDULE_FILE": str(tmp_path / "beat-schedule"),
        **extra,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_line(proc: subprocess.Popen[str], wanted: str, deadline_s: float = 60) -> str:
    assert proc.stdout is not None
    seen = []
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if wanted in line:
            return line
    raise AssertionError(f"no {wanted!r} in:\n{''.join(seen)[-3000:]}")


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_migrate_then_cron_run_and_exit(tmp_path: Path) -> None:
    env = _env(tmp_path)
    for command in ("migrate", "cron"):
        done = subprocess.run(["sh", ENTRY, command], env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "cloud.sqlite3").stat().st_size > 0


def test_web_migrates_on_start_and_answers_health_checks(tmp_path: Path) -> None:
    port = _free_port()
    env = _env(
        tmp_path, ASIRIA_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", ASIRIA_MIGRATE_ON_START="1"
    )
    log = tmp_path / "web.log"
    with log.open("w") as out:
        proc = subprocess.Popen(["sh", ENTRY, "web"], env=env, stdout=out, stderr=out, text=True)
    try:
        body = b""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as r:
                    body = r.read()
                    break
            except OSError:
                time.sleep(0.2)
        assert b'"status": "ok"' in body or b'"status":"ok"' in body, log.read_text()[-3000:]
    finally:
        _stop(proc)


@pytest.mark.parametrize(("command", "ready"), [("worker", "ready."), ("beat", "beat: Starting")])
def test_worker_and_beat_start_on_redis(tmp_path: Path, command: str, ready: str) -> None:
    proc = subprocess.Popen(
        ["sh", ENTRY, command],
        env=_env(tmp_path, CELERY_CONCURRENCY="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for_line(proc, ready)
    finally:
        _stop(proc)
