"""The real cloud for the end-to-end tests: its own MariaDB database, Redis DB 13, migrated and
bootstrapped with ``asiria-cloud``, served by a real gunicorn on 127.0.0.1 (an ephemeral port),
plus an owner's REST client (JWT) to seed the catalog and read back what the tills sent.

Nothing here imports Django: the cloud runs in its own processes, as in production.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from cloud_api.core.test_redis import redis_db_of_this_worker

REPO = Path(__file__).resolve().parents[2]
DB_HOST = os.environ.get("ASIRIA_TEST_DB_HOST", "127.0.0.1")
DB_PORT = int(os.environ.get("ASIRIA_TEST_DB_PORT", "3306"))
REDIS_HOST = os.environ.get("ASIRIA_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("ASIRIA_TEST_REDIS_PORT", "6379"))
# One database per test run (two runs on one machine must not drop each other's database).
DB_PREFIX = "asiria_e2e"
DB_NAME = os.environ.get("ASIRIA_E2E_DB", f"{DB_PREFIX}_{os.getpid()}")
# Two e2e runs at once (separate worktrees, or pytest-xdist workers) each need their own Redis DB.
REDIS_DB = redis_db_of_this_worker(int(os.environ.get("ASIRIA_E2E_REDIS_DB", "13")))
OWNER_EMAIL = "owner@e2e.example"
OWNER_PASSWORD = "E2e-Owner-Pass-2026!"
CLOUD_BIN = Path(sys.executable).with_name("asiria-cloud")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cloud_env(
    db_name: str = DB_NAME, redis_db: int = REDIS_DB, *, eager: bool = True
) -> dict[str, str]:
    """The environment of a cloud process. ``eager=False`` for a cloud whose Celery tasks go
    to Redis for a real worker (the default runs them inside the web process, for tests that
    start no worker); never inherited from the test process, whose settings run them eagerly."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ASIRIA_", "DJANGO_", "CELERY_"))
        and key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(
        {
            "DATABASE_URL": f"mysql://root:@{DB_HOST}:{DB_PORT}/{db_name}",
            "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}",
            "SECRET_KEY": "e2e-only-secret-key-" + "k" * 48,
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ASIRIA_RATE_ANON": "1000000/min",
            "ASIRIA_RATE_USER": "1000000/min",
            "ASIRIA_RATE_TERMINAL": "1000000/min",
            "ASIRIA_RATE_LOGIN": "1000000/min",
            "ASIRIA_RATE_OAUTH_TOKEN": "1000000/min",
            "ASIRIA_JSON_LOGS": "1",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "cloud_api.settings",
            "PYTHONUNBUFFERED": "1",
            "CELERY_TASK_ALWAYS_EAGER": "1" if eager else "0",
        }
    )
    return env


def services_check() -> None:
    """MariaDB and Redis must be up (``scripts/ensure_services.sh`` tries to start them)."""
    result = subprocess.run(
        ["bash", str(REPO / "scripts" / "ensure_services.sh")],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            "The end-to-end tests need MariaDB and Redis:\n" + result.stdout + result.stderr
        )


def _mysql(sql: str) -> None:
    import pymysql

    connection = pymysql.connect(host=DB_HOST, port=DB_PORT, user="root", password="")
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def query(sql: str, *params: Any, db_name: str = DB_NAME) -> list[tuple[Any, ...]]:
    """Read the e2e database directly (what the API does not show, e.g. sync flags)."""
    import pymysql

    connection = pymysql.connect(
        host=DB_HOST, port=DB_PORT, user="root", password="", database=db_name
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    finally:
        connection.close()


def create_database(db_name: str = DB_NAME, redis_db: int = REDIS_DB) -> None:
    _mysql(f"DROP DATABASE IF EXISTS `{db_name}`")
    _mysql(f"CREATE DATABASE `{db_name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    flush_redis(redis_db)


def flush_redis(redis_db: int = REDIS_DB) -> None:
    """Empty the cloud's Redis DB: cache keys and queued Celery tasks."""
    import redis

    redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=redis_db).flushdb()


def drop_database(db_name: str = DB_NAME) -> None:
    _mysql(f"DROP DATABASE IF EXISTS `{db_name}`")


def drop_stale_databases() -> None:
    """Databases of earlier runs that died before their clean-up (their process is gone)."""
    import pymysql

    connection = pymysql.connect(host=DB_HOST, port=DB_PORT, user="root", password="")
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SHOW DATABASES LIKE '{DB_PREFIX}\\_%'")
            names = [name for (name,) in cursor.fetchall()]
    finally:
        connection.close()
    for name in names:
        pid = name.rsplit("_", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not os.path.exists(f"/proc/{pid}"):
            drop_database(name)


def manage(*args: str, env: dict[str, str], timeout: float = 300) -> str:
    result = subprocess.run(
        [str(CLOUD_BIN), *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"asiria-cloud {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


@dataclass
class Gunicorn:
    """``gunicorn cloud_api.wsgi:application`` on 127.0.0.1:port, restartable on the same port."""

    env: dict[str, str]
    log_path: Path
    workers: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, wait_s: float = 60) -> Gunicorn:
        assert self.process is None, "gunicorn is already running"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "cloud_api.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.starts += 1
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start; see {self.log_path}:\n{self.tail()}")
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop(hard=True)
        raise RuntimeError(f"gunicorn did not answer /healthz in {wait_s} s:\n{self.tail()}")

    def stop(self, *, hard: bool = False) -> None:
        """Graceful (SIGTERM: workers finish their request) or hard (SIGKILL the group)."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGKILL if hard else signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def restart(self, *, hard: bool = False) -> None:
        self.stop(hard=hard)
        self.start()

    def tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


class Owner:
    """The organisation's owner through the REST API (JWT)."""

    def __init__(self, base_url: str, email: str = OWNER_EMAIL, password: str = OWNER_PASSWORD):
        self.base_url = base_url
        self.http = requests.Session()
        response = self.http.post(
            f"{base_url}/api/v1/auth/token/",
            json={"email": email, "password": password},
            timeout=30,
        )
        assert response.status_code == 200, f"owner login: {response.status_code} {response.text}"
        self.http.headers["Authorization"] = f"Bearer {response.json()['access']}"

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = self.http.request(method, f"{self.base_url}/api/v1/{path}", timeout=60, **kwargs)
        assert response.status_code == expect, (
            f"{method} {path}: HTTP {response.status_code} (expected {expect}): "
            f"{response.text[:1000]}"
        )
        return response.json() if response.content else None

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params)

    def post(self, path: str, body: dict[str, Any], expect: int = 201) -> Any:
        return self.call("POST", path, expect=expect, json=body)

    def all(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every row of a paginated list."""
        params = {"page_size": 200, **params}
        page = 1
        while True:
            body = self.get(path, page=page, **params)
            yield from body["results"]
            if not body.get("next"):
                return
            page += 1

    def enrollment_code(self, store_id: str, name: str) -> str:
        body = self.post("terminals/", {"store_id": store_id, "name": name})
        return str(body["enrollment_code"])
