"""``make demo``: a local cloud on embedded defaults (SQLite) and the demo till enrolled to it,
so a sale made on the till shows up in the cloud.

The cloud talks to a FAKE Daraja (M-Pesa prompts answered by themselves after a few seconds)
and a FAKE WhatsApp Graph server, both on 127.0.0.1 (cloud_api/integrations/demo_fakes.py):
no money moves and no message leaves the machine; ``/demo/whatsapp/`` on the cloud lists what
would have been sent. When Redis answers (``ASIRIA_DEMO_REDIS_URL``, default
redis://127.0.0.1:6379/15) a real Celery worker sends the messages; otherwise the cloud runs
background jobs itself (eagerly) and says so.

    python scripts/demo.py               # cloud + till window; closing the window stops the cloud
    python scripts/demo.py --no-ui       # cloud + enrolled, synced till, no window: Ctrl+C stops
    python scripts/demo.py --cloud-only  # only the cloud (make demo-cloud): Ctrl+C stops

Everything lives in ``.demo/`` (``cloud.sqlite3``, ``cloud.log``, ``worker.log``, ``fakes.log``,
``till/``); ``rm -rf .demo``
starts over. The cloud takes the port of the last run, else 8000, else any free one.
If the cloud can't start, the till still starts, offline.

``ASIRIA_DEMO_SCREENSHOT=out.png`` (with a display, e.g. under xvfb-run): grab the screen
``ASIRIA_DEMO_SCREENSHOT_DELAY`` seconds (default 8) after the till starts, then close it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import FrameType
from typing import IO, Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout: the shared demo data without installing

import asiria_demo_data as demo  # noqa: E402

PREFERRED_PORT = 8000
START_TIMEOUT = 180.0  # seconds: migrations on a slow disk
FAKES_TIMEOUT = 30.0
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"  # a database of its own: never a real one's
FAKES_LINE = re.compile(r"^FAKES daraja=(\S+) graph=(\S+)$")
CODE_LINE = re.compile(r"^ENROLLMENT_CODE=(\S+)$", re.MULTILINE)
TERMINAL_ID = re.compile(r"\(terminal ([0-9a-fA-F-]{36})\)")


def _say(message: str = "") -> None:
    # Whoever reads our output may be gone (a closed pipe): never let that skip stopping the cloud.
    with contextlib.suppress(OSError, ValueError):
        print(message, flush=True)


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _choose_port(demo_dir: Path, asked: int | None) -> int:
    if asked:
        return asked
    candidates = [PREFERRED_PORT]
    with contextlib.suppress(OSError, ValueError):  # the last run's port: the till knows it
        candidates.insert(0, int((demo_dir / "cloud.port").read_text().strip()))
    for port in candidates:
        if _port_free(port):
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cloud_env_base() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cloud_api.settings",  # never a test run's settings
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }


def _redis_answers(url: str) -> bool:
    try:
        import redis
    except ImportError:
        return False
    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping())
    except (redis.RedisError, OSError, ValueError):
        return False


class Fakes:
    """The FAKE Daraja and FAKE WhatsApp Graph servers, in a process of their own."""

    def __init__(self, demo_dir: Path, cloud_url: str) -> None:
        self.cloud_url = cloud_url
        self.log_path = demo_dir / "fakes.log"
        self.app_secret = secrets.token_urlsafe(24)
        self.callback_secret = secrets.token_urlsafe(24)
        self.daraja_url = ""
        self.graph_url = ""
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> bool:
        command = [sys.executable, "-m", "cloud_api.integrations.demo_fakes"]
        command += ["--cloud-url", self.cloud_url, "--app-secret", self.app_secret]
        self.process = subprocess.Popen(
            command,
            env=_cloud_env_base(),
            stdout=subprocess.PIPE,
            stderr=self.log_path.open("ab"),
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        deadline = time.monotonic() + FAKES_TIMEOUT
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:  # the process ended before saying where it listens
                break
            found = FAKES_LINE.match(line.strip())
            if found:
                self.daraja_url, self.graph_url = found.group(1), found.group(2)
                return True
        _say(f"The fake Daraja and WhatsApp servers did not start (see {self.log_path}).")
        self.stop()
        return False

    def cloud_env(self) -> dict[str, str]:
        """The cloud's settings for these fakes (their own public test credentials)."""
        from cloud_api.integrations import demo_fakes
        from cloud_api.integrations.fake_daraja_records import SANDBOX_PASSKEY

        return {
            "ASIRIA_DEMO_FAKES": "1",
            "ASIRIA_MPESA_BASE_URL": self.daraja_url,
            "ASIRIA_MPESA_CONSUMER_KEY": demo_fakes.FAKE_CONSUMER_KEY,
            "ASIRIA_MPESA_CONSUMER_SECRET": demo_fakes.FAKE_CONSUMER_SECRET,
            "ASIRIA_MPESA_PASSKEY": SANDBOX_PASSKEY,  # read by mpesa_configure_store
            "ASIRIA_MPESA_CALLBACK_SECRET": self.callback_secret,
            "ASIRIA_MPESA_CALLBACK_BASE_URL": self.cloud_url,
            "ASIRIA_MPESA_INITIATOR_NAME": "demo",
            "ASIRIA_MPESA_SECURITY_CREDENTIAL": "fake-security-credential",
            "ASIRIA_WHATSAPP_GRAPH_URL": self.graph_url,
            "ASIRIA_WHATSAPP_TOKEN": demo_fakes.FAKE_WHATSAPP_TOKEN,
            "ASIRIA_WHATSAPP_PHONE_NUMBER_ID": demo_fakes.FAKE_PHONE_NUMBER_ID,
            "ASIRIA_WHATSAPP_APP_SECRET": self.app_secret,
            "ASIRIA_WHATSAPP_VERIFY_TOKEN": secrets.token_urlsafe(12),
        }

    def stop(self) -> None:
        _stop_group(self.process)
        self.process = None


class Worker:
    """A real ``celery -A cloud_api worker`` (with its beat: the scheduled jobs) on Redis."""

    def __init__(self, demo_dir: Path, env: dict[str, str]) -> None:
        self.demo_dir = demo_dir
        self.env = env
        self.log_path = demo_dir / "worker.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "celery", "-A", "cloud_api", "worker", "--beat"]
        command += ["--schedule", str(self.demo_dir / "celerybeat-schedule")]
        command += ["--pool", "solo", "--loglevel", "INFO", "--without-mingle"]
        command += ["--without-gossip"]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                env=self.env,
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def stop(self) -> None:
        _stop_group(self.process)
        self.process = None


def _stop_group(process: subprocess.Popen[Any] | None) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class Cloud:
    """``asiria-cloud serve`` in its own process group, on SQLite and an in-memory cache."""

    def __init__(self, demo_dir: Path, port: int, redis_url: str | None = None) -> None:
        self.demo_dir = demo_dir
        self.port = port
        self.redis_url = redis_url
        self.url = f"http://127.0.0.1:{port}"
        self.database = demo_dir / "cloud.sqlite3"
        self.log_path = demo_dir / "cloud.log"
        self.fresh = not self.database.exists()  # a new cloud knows no till yet
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self.env = {
            **_cloud_env_base(),
            "DATABASE_URL": f"sqlite:///{self.database}",
            # No Redis: the settings then run background jobs inline (eagerly).
            "REDIS_URL": redis_url or "locmem://",
            "ASIRIA_DEMO_WORKER": "celery" if redis_url else "eager",
            "DEBUG": "0",  # as production runs: no debug pages, errors in the project's shape
            "SECRET_KEY": "asiria-demo-only-not-a-secret-never-use-in-production",
            # The admin's CSS/JS, collected here and served by the app (WhiteNoise), no nginx.
            "ASIRIA_STATIC_ROOT": str(demo_dir / "static"),
        }

    def manage(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cloud_api.manage", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def start(self) -> bool:
        """Start and wait for ``/healthz``; False (with the reason said) when it doesn't come up."""
        if not _port_free(self.port):  # or /healthz would be answered by whatever is there
            _say(f"Port {self.port} is already in use.")
            return False
        self._log = self.log_path.open("ab")
        self._log.write(f"\n--- scripts/demo.py {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode())
        self._log.flush()
        collected = self.manage("collectstatic", "--noinput", "--verbosity", "0")
        if collected.returncode != 0:  # the API still works; only the admin looks plain
            _say("The admin's style sheets could not be collected: " + collected.stderr.strip())
        # One worker: the in-memory cache (catalog pages, rate limits) is then still correct.
        command = [sys.executable, "-m", "cloud_api.manage", "serve", "--migrate"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", "1"]
        self.process = subprocess.Popen(
            command,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl+C reaches us, and we stop it in order
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                _say(f"The cloud stopped while starting (exit {self.process.returncode}).")
                return False
            if self.healthy():
                (self.demo_dir / "cloud.port").write_text(f"{self.port}\n")
                return True
            time.sleep(0.3)
        _say(f"The cloud did not answer on {self.url}/healthz within {START_TIMEOUT:.0f} s.")
        return False

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:  # noqa: S310
                return bool(answer.status == 200)
        except OSError:
            return False

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)  # gunicorn: graceful stop
            try:
                process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


def _till_env() -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _till_enrolment(till_dir: Path) -> str | None:
    """How the demo till is enrolled ("Demo till (terminal ...) at http://..."), or None."""
    if not (till_dir / "till.sqlite3").exists():  # TillConfig.database_path
        return None
    script = (
        "import sys\n"
        "from asiria_desktop.bootstrap import build_till\n"
        "from asiria_desktop.config import load_config\n"
        "till = build_till(load_config(sys.argv[1]))\n"
        "try:\n"
        "    o = till.services.sync.overview()\n"
        "    print(o.terminal_text if o.enrolled else '')\n"
        "finally:\n"
        "    till.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(till_dir)],
        env=_till_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    text = done.stdout.strip().splitlines()
    return text[-1] if done.returncode == 0 and text and text[-1] else None


def _asiria(*args: str) -> list[str]:
    return [sys.executable, "-m", "asiria_desktop", *args]


def _banner(
    cloud: Cloud | None, till_dir: Path, demo_dir: Path, fakes: Fakes | None = None
) -> None:
    _say()
    _say("=" * 72)
    if cloud is not None:
        _say(f"AsiriaPOS demo cloud: {cloud.url}/   (log: {cloud.log_path})")
        _say(f"  API docs:  {cloud.url}/api/v1/docs/")
        _say(f"  Admin:     {cloud.url}/admin/")
        _say(f"  Sign in as {demo.OWNER_EMAIL} / {demo.DEMO_PASSWORD} (the owner)")
        _say(f"  Sales the till sends: {cloud.url}/admin/sales/sale/")
        if fakes is not None:
            _say(f"  FAKE M-Pesa (Daraja) at {fakes.daraja_url}: no money moves. A prompt is")
            _say("    paid by itself after 5 s; phone 0700001032 cancels, 0700000001 has too")
            _say("    little money, 0700000000 never answers.")
            _say(f"  FAKE WhatsApp at {fakes.graph_url}: nothing leaves this computer.")
            _say(f"  WhatsApp messages the cloud would have sent: {cloud.url}/demo/whatsapp/")
        if cloud.redis_url:
            _say(f"  Background jobs: a Celery worker on {cloud.redis_url} (log: worker.log)")
        else:
            _say("  Background jobs: Redis is not running, so the cloud runs them itself")
            _say("    (eager mode, no worker). Start Redis to see a real worker send them.")
    else:
        _say("The demo cloud is NOT running: the till starts offline. Sales stay on the till")
        _say(f"and are sent when it can reach its cloud. See {demo_dir / 'cloud.log'}.")
    _say(f"Till data: {till_dir}   (start over: rm -rf {demo_dir})")
    _say("Till PINs: " + ", ".join(f"{a.name} ({a.role}) {a.pin}" for a in demo.ACCOUNTS))
    _say(f"Try barcodes {', '.join(demo.SAMPLE_BARCODES)}; scale label {demo.SAMPLE_SCALE_LABEL}")
    _say("=" * 72)
    _say()


def _prepare_till(
    cloud: Cloud | None, till_dir: Path, seed_options: list[str]
) -> tuple[list[str], int]:
    """Seed the cloud, get a code if the till needs one; returns ``asiria demo``'s arguments."""
    args = ["demo", "--data-dir", str(till_dir)]
    if cloud is None:
        return args, 0
    enrolled = _till_enrolment(till_dir)
    here = enrolled is not None and enrolled.endswith(f" at {cloud.url}") and not cloud.fresh
    terminal = TERMINAL_ID.search(enrolled or "")
    options = ["--no-code"] if here else ["--terminal", terminal.group(1)] if terminal else []
    seeded = cloud.manage("demo_seed", *options, *seed_options)
    if seeded.returncode != 0:
        _say("The demo store could not be created in the cloud:")
        _say(seeded.stderr.strip() or seeded.stdout.strip())
        return args, 1
    _say(seeded.stdout.strip().splitlines()[0])
    found = CODE_LINE.search(seeded.stdout)
    if here or found is None:
        return args, 0
    code = found.group(1)
    if enrolled is not None:  # enrolled with an earlier demo cloud (other port, or a reset)
        _say(f"The demo till was enrolled elsewhere ({enrolled}); enrolling it again here.")
        again = subprocess.run(
            _asiria(
                *("enroll", "--data-dir", str(till_dir), "--server", cloud.url),
                *("--code", code, "--name", "Demo till"),
            ),
            env=_till_env(),
            check=False,
        )
        return args, again.returncode
    return [*args, "--cloud", cloud.url, "--enroll-code", code], 0


def _screenshot_then_close(till: subprocess.Popen[bytes], path: str) -> None:
    delay = float(os.environ.get("ASIRIA_DEMO_SCREENSHOT_DELAY", "8"))
    time.sleep(delay)
    grab = (
        "import sys\n"
        "from PySide6.QtGui import QGuiApplication\n"
        "app = QGuiApplication(sys.argv[:1])\n"
        "ok = QGuiApplication.primaryScreen().grabWindow(0).save(sys.argv[1])\n"
        "sys.exit(0 if ok else 1)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    done = subprocess.run([sys.executable, "-c", grab, path], env=env, check=False, timeout=60)
    _say(f"Screenshot {'saved to ' + path if done.returncode == 0 else 'failed'}.")
    till.terminate()


def _wait_for_signal(cloud: Cloud) -> int:
    assert cloud.process is not None
    return 0 if cloud.process.wait() == 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--demo-dir", type=Path, default=REPO / ".demo")
    parser.add_argument(
        "--port",
        type=int,
        help="the cloud's port (default: the last run's, else 8000, else a free one)",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument(
        "--no-ui", action="store_true", help="enrol and sync the till, keep the cloud up, no window"
    )
    mode.add_argument("--cloud-only", action="store_true", help="only the cloud (make demo-cloud)")
    args = parser.parse_args(argv)

    demo_dir = args.demo_dir.resolve()
    till_dir = demo_dir / "till"
    till_dir.mkdir(parents=True, exist_ok=True)

    def stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop_on_sigterm)
    redis_url = os.environ.get("ASIRIA_DEMO_REDIS_URL", DEFAULT_REDIS_URL)
    redis_up = _redis_answers(redis_url)
    cloud: Cloud | None = Cloud(
        demo_dir, _choose_port(demo_dir, args.port), redis_url if redis_up else None
    )
    till: subprocess.Popen[bytes] | None = None
    fakes: Fakes | None = None
    worker: Worker | None = None
    try:
        assert cloud is not None
        fakes = Fakes(demo_dir, cloud.url)
        if fakes.start():
            cloud.env.update(fakes.cloud_env())
            _say(f"FAKE Daraja (M-Pesa) on {fakes.daraja_url}, FAKE WhatsApp on {fakes.graph_url}")
        else:
            fakes = None
        _say(f"Starting the demo cloud on {cloud.url} (SQLite {cloud.database}) ...")
        if not cloud.start():
            cloud.stop()
            cloud = None
            if args.cloud_only or args.no_ui:
                _say(f"See {demo_dir / 'cloud.log'}.")
                return 1
        if cloud is not None and cloud.redis_url:
            worker = Worker(demo_dir, cloud.env)
            worker.start()
            _say(f"Started a Celery worker on Redis {cloud.redis_url} (log: {worker.log_path}).")
        elif cloud is not None:
            _say(f"Redis does not answer at {redis_url}: background jobs run eagerly in the cloud.")
        seed_options = ["--with-fakes"] if fakes is not None else []
        if args.cloud_only:
            assert cloud is not None
            seeded = cloud.manage("demo_seed", *seed_options)
            _say(seeded.stdout.strip() or seeded.stderr.strip())
            _banner(cloud, till_dir, demo_dir, fakes)
            _say("Enrol a till: asiria enroll --server URL --code CODE. Ctrl+C stops the cloud.")
            return _wait_for_signal(cloud)
        till_args, problem = _prepare_till(cloud, till_dir, seed_options)
        if problem:
            _say("The till starts offline (enrolment failed).")
            till_args = ["demo", "--data-dir", str(till_dir)]
        env = _till_env()
        if args.no_ui:
            assert cloud is not None
            seed = subprocess.run(_asiria(*till_args, "--seed-only"), env=env, check=False)
            if seed.returncode != 0:
                return seed.returncode
            synced = subprocess.run(
                _asiria("sync", "--once", "--data-dir", str(till_dir)), env=env, check=False
            )
            _banner(cloud, till_dir, demo_dir, fakes)
            _say(f"DEMO_READY cloud={cloud.url} till={till_dir} sync_exit={synced.returncode}")
            _say("No window (--no-ui): the cloud runs until Ctrl+C.")
            return _wait_for_signal(cloud)
        _banner(cloud, till_dir, demo_dir, fakes)
        till = subprocess.Popen(_asiria(*till_args), env=env)
        shot = os.environ.get("ASIRIA_DEMO_SCREENSHOT")
        if shot:
            _screenshot_then_close(till, str(Path(shot).resolve()))
        code = till.wait()
        return 0 if shot else code
    except KeyboardInterrupt:
        return 130
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM must not cut this short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if till is not None and till.poll() is None:
            till.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                till.wait(timeout=15)
        if worker is not None:
            worker.stop()
        if cloud is not None:
            _say("Stopping the demo cloud ...")
            cloud.stop()
        if fakes is not None:
            fakes.stop()


if __name__ == "__main__":
    sys.exit(main())
