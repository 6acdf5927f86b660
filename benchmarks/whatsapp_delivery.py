"""WhatsApp delivery by a real Celery worker (Redis broker) to the FAKE Graph server:

- ``notifications.whatsapp.per_s``: messages one worker (solo pool) sends per second;
- ``notifications.whatsapp.killed.lost`` and ``.sent_twice``: a second batch during which the
  worker is SIGKILLed mid-batch and started again (``resume_deliveries`` picks up what the
  dead worker held); every message must arrive, none twice.

A gunicorn serves the status webhook the fake posts back (how a send cut off mid-call is
recognised). Own database (``asiria_bench_whatsapp``) and Redis DB 14 (override with
ASIRIA_BENCH_WHATSAPP_DATABASE_URL / ASIRIA_BENCH_REDIS_URL). Size: ASIRIA_BENCH_WHATSAPP (200).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import requests
from _bench import emit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TOKEN, PHONE_NUMBER_ID, APP_SECRET = "bench-token", "109000000000777", "bench-app-secret"
MESSAGES = int(os.environ.get("ASIRIA_BENCH_WHATSAPP", "200"))
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("ASIRIA_WHATSAPP_")},
    "DATABASE_URL": os.environ.get(
        "ASIRIA_BENCH_WHATSAPP_DATABASE_URL", "mysql://root:@127.0.0.1:3306/asiria_bench_whatsapp"
    ),
    "REDIS_URL": os.environ.get("ASIRIA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
    "SECRET_KEY": "benchmark-only-secret-key-" + "w" * 40,
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "CELERY_TASK_ALWAYS_EAGER": "0",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "cloud_api.settings",
    "ASIRIA_WHATSAPP_TOKEN": TOKEN,
    "ASIRIA_WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
    "ASIRIA_WHATSAPP_APP_SECRET": APP_SECRET,
    # A send cut off by the kill is resent only if Graph's webhook never named it by then.
    "ASIRIA_WHATSAPP_RESEND_AFTER_S": "5",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fresh_database() -> None:
    import pymysql
    import redis

    name = ENV["DATABASE_URL"].rsplit("/", 1)[1]
    connection = pymysql.connect(host="127.0.0.1", user="root", password="", port=3306)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    connection.close()
    redis.Redis.from_url(ENV["REDIS_URL"]).flushdb()
    subprocess.run(
        [sys.executable, "-m", "cloud_api.manage", "migrate", "--noinput"],
        env=ENV,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", *args],
        env=ENV,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def start_worker() -> subprocess.Popen[bytes]:
    return spawn(
        "celery", "-A", "cloud_api", "worker", "--pool", "solo", "--loglevel", "WARNING",
        "--without-mingle", "--without-gossip", "--without-heartbeat",
    )  # fmt: skip


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        process.wait(timeout=30)


def wait_until(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def main() -> int:
    from cloud_api.integrations.whatsapp.fake_graph import FakeGraphServer, FakeGraphState

    state = FakeGraphState(token=TOKEN, phone_number_id=PHONE_NUMBER_ID, app_secret=APP_SECRET)
    fake = FakeGraphServer(state).start()
    ENV["ASIRIA_WHATSAPP_GRAPH_URL"] = fake.graph_url
    fresh_database()
    port = free_port()
    web = spawn("gunicorn", "cloud_api.wsgi:application", "--bind", f"127.0.0.1:{port}")
    state.webhook_url = f"http://127.0.0.1:{port}/api/v1/integrations/whatsapp/webhook/"
    os.environ.update(ENV)
    import django

    django.setup()
    from django.db import transaction

    from cloud_api.accounts.models import Role
    from cloud_api.accounts.services import organisation_create, store_create, user_create
    from cloud_api.notifications.models import NotificationDelivery, NotificationPreference
    from cloud_api.notifications.services import notifications_notify_store
    from cloud_api.notifications.tasks import resume_deliveries

    organisation = organisation_create(name="Bench WhatsApp")
    store = store_create(organisation=organisation, name="Main")
    owner = user_create(
        actor=None,
        organisation=organisation,
        name="Owner",
        email="owner@bench-wa.example",
        role=Role.OWNER,
        password="Bench-Owner-Pass-2026",
    )
    NotificationPreference.objects.create(
        user=owner, whatsapp_opt_in=True, whatsapp_phone="+254700000777"
    )
    wait_until(lambda: _up(port), 60)

    def batch(label: str) -> None:
        with transaction.atomic():  # one deliver_notifications task, queued on commit
            notifications_notify_store(
                store=store,
                messages=[("low_stock", f"{label} message {n}", {}) for n in range(MESSAGES)],
            )

    worker = start_worker()
    try:
        batch("warm-up")  # the worker's start-up and first connections are not the figure
        wait_until(lambda: len(state.messages) >= MESSAGES, 300)
        state.messages.clear()
        started = time.perf_counter()
        batch("timed")
        wait_until(lambda: len(state.messages) >= MESSAGES, 300)
        emit(
            "notifications.whatsapp.per_s",
            len(state.messages) / (time.perf_counter() - started),
            "msg/s",
        )

        state.messages.clear()
        batch("killed")
        wait_until(lambda: len(state.messages) >= MESSAGES // 2, 300)
        stop(worker, signal.SIGKILL)
        worker = start_worker()
        expected = set(
            str(uuid)
            for uuid in NotificationDelivery.objects.filter(
                notification__message__startswith="killed "
            ).values_list("uuid", flat=True)
        )

        def settled() -> bool:
            resume_deliveries.delay()
            time.sleep(0.5)
            return {m.callback_data for m in state.messages} >= expected

        wait_until(settled, 120)
        time.sleep(2)  # anything still in flight lands, to be counted
        received = Counter(m.callback_data for m in state.messages)
        lost = len(expected - set(received))
        twice = sum(1 for key in expected if received[key] > 1)
        print(f"killed mid-batch: {len(expected)} messages, {lost} lost, {twice} sent twice")
        emit("notifications.whatsapp.killed.lost", lost, "msgs")
        emit("notifications.whatsapp.killed.sent_twice", twice, "msgs")
    finally:
        stop(worker)
        stop(web)
        fake.stop()
    return 0


def _up(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except requests.RequestException:
        return False


if __name__ == "__main__":
    sys.exit(main())
