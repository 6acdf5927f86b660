"""M-Pesa prompt round trip through the cloud, against the fake Daraja.

A real cloud (gunicorn, 2 workers, MariaDB ``asiria_bench_mpesa``, Redis DB 14; Celery tasks
run in the request, as in the one-process set-up) talks to ``cloud_api.integrations.
fake_daraja`` on 127.0.0.1, which answers each prompt at once and POSTs the callback to the
cloud like Daraja does. For each prompt the clock runs from ``POST /payments/mpesa/stk/`` until
``GET /payments/mpesa/stk/{id}/`` (polled every 5 ms) says ``succeeded``: the push to Daraja,
the callback, the STK query that confirms it and the reads. The fake's own work is a few dict
look-ups, so the figure is the cloud's own overhead.

- ``payments.mpesa.stk_round_trip.p50`` / ``.p99`` (ms) over ASIRIA_BENCH_MPESA_PROMPTS
  prompts (default 100). Target: p99 <= 300 ms.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from _bench import emit_latency

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cloud_api.integrations.fake_daraja import FakeDaraja  # noqa: E402
from cloud_api.integrations.fake_daraja_records import (  # noqa: E402
    SANDBOX_PASSKEY,
    SANDBOX_SHORTCODE,
)
from tests.e2e import cloud  # noqa: E402

DB = "asiria_bench_mpesa"
REDIS_DB = int(os.environ.get("ASIRIA_E2E_REDIS_DB", "14"))
PROMPTS = int(os.environ.get("ASIRIA_BENCH_MPESA_PROMPTS", "100"))
ORG = "Mpesa Bench Co"


def main() -> None:
    cloud.services_check()
    cloud.create_database(DB, REDIS_DB)
    fake = FakeDaraja(deliver_callbacks=True, callback_delay=0.0).start()
    env = cloud.cloud_env(DB, REDIS_DB)
    port = cloud.free_port()
    env.update(
        {
            "ASIRIA_MPESA_BASE_URL": fake.url,
            "ASIRIA_MPESA_CONSUMER_KEY": fake.consumer_key,
            "ASIRIA_MPESA_CONSUMER_SECRET": fake.consumer_secret,
            "ASIRIA_MPESA_CALLBACK_SECRET": "bench-callback-secret-0123456789",
            "ASIRIA_MPESA_CALLBACK_BASE_URL": f"http://127.0.0.1:{port}",
            "CELERY_TASK_ALWAYS_EAGER": "1",
        }
    )
    cloud.manage("migrate", "--noinput", env=env)
    cloud.manage(
        "bootstrap",
        "--org",
        ORG,
        "--store",
        "Main",
        "--owner-email",
        cloud.OWNER_EMAIL,
        "--owner-password",
        cloud.OWNER_PASSWORD,
        env=env,
    )
    cloud.manage(
        "mpesa_configure_store",
        "--org",
        ORG,
        "--store",
        "Main",
        "--kind",
        "paybill",
        "--shortcode",
        SANDBOX_SHORTCODE,
        env={**env, "ASIRIA_MPESA_PASSKEY": SANDBOX_PASSKEY},
    )
    work = Path(tempfile.mkdtemp(prefix="asiria-mpesa-bench-"))
    server = cloud.Gunicorn(env=env, log_path=work / "gunicorn.log", workers=2, port=port).start()
    try:
        owner = cloud.Owner(server.url)
        store_id = owner.get("stores/")["results"][0]["id"]
        samples: list[float] = []
        for number in range(PROMPTS + 5):
            start = time.perf_counter()
            attempt = owner.post(
                "payments/mpesa/stk/",
                {"store_id": store_id, "phone": "0708374149", "amount_cents": 10000 + number * 100},
                expect=202,
            )
            while True:
                shown = owner.get(f"payments/mpesa/stk/{attempt['id']}/")
                if shown["status"] != "pending":
                    break
                time.sleep(0.005)
            elapsed = (time.perf_counter() - start) * 1000
            if shown["status"] != "succeeded":
                raise RuntimeError(f"prompt ended {shown['status']}: {shown}")
            if number >= 5:  # the first few warm the workers up
                samples.append(elapsed)
        emit_latency("payments.mpesa.stk_round_trip", samples)
    finally:
        server.stop()
        fake.stop()
        cloud.drop_database(DB)


if __name__ == "__main__":
    main()
