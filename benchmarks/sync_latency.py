"""Sale-to-visible-in-the-cloud latency, with the network up (target: "within 2 seconds").

A real cloud (gunicorn, 2 workers, on MariaDB ``asiria_bench_latency``, Redis DB 14) and a real
till in a child process (``tests/e2e/till_worker.py sell --scheduler``): the till's own
scheduler pushes right after each sale, as in the till window. For each sale the parent starts
timing when the till reports the sale complete (``complete()`` returned) and polls
``GET /api/v1/sales/{id}/`` as the owner every 10 ms until it answers 200.

- ``sync.latency.p50`` / ``.p99`` (ms): over ASIRIA_BENCH_LATENCY_SALES sales (default 50),
  one every 300 ms. Target: p99 <= 2000 ms.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from pathlib import Path

from _bench import emit_latency

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e import cloud  # noqa: E402
from tests.e2e.tills import TillProc  # noqa: E402

DB = "asiria_bench_latency"
REDIS_DB = 14
SALES = int(os.environ.get("ASIRIA_BENCH_LATENCY_SALES", "50"))
PIN = "2468"


def ean13(body12: int) -> str:
    digits = f"{body12:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits))
    return digits + str((10 - total % 10) % 10)


def main() -> None:
    cloud.services_check()
    cloud.create_database(DB, REDIS_DB)
    env = cloud.cloud_env(DB, REDIS_DB)
    cloud.manage("migrate", "--noinput", env=env)
    cloud.manage(
        "bootstrap",
        "--org",
        "Latency Co",
        "--store",
        "Main",
        "--owner-email",
        cloud.OWNER_EMAIL,
        "--owner-password",
        cloud.OWNER_PASSWORD,
        env=env,
    )
    work = Path(tempfile.mkdtemp(prefix="asiria-latency-"))
    server = cloud.Gunicorn(env=env, log_path=work / "gunicorn.log", workers=2).start()
    try:
        owner = cloud.Owner(server.url)
        store_id = owner.get("stores/")["results"][0]["id"]
        owner.post(
            "users/",
            {
                "name": "Cashier",
                "email": "cashier@latency.example",
                "role": "cashier",
                "store_id": store_id,
                "password": "Latency-Cashier-2026",
                "pin": PIN,
            },
        )
        codes = []
        for n in range(5):
            body = owner.post(
                "products/",
                {
                    "name": f"Latency item {n}",
                    "barcode": ean13(600_200_000_000 + n),
                    "price_cents": 2500 + 100 * n,
                    "tax_class": "standard",
                },
            )
            codes.append(body["barcode"])
        till = TillProc("Latency till", work / "till")
        code = owner.enrollment_code(store_id, "Latency till")
        till.run("enroll", "--server", server.url, "--code", code, "--name", "Latency till")

        child = till.spawn(
            "sell",
            "--count",
            str(SALES),
            "--seed",
            "1",
            "--barcodes",
            ",".join(codes),
            "--scheduler",
            "--pause-ms",
            "300",
        )
        samples: dict[str, float] = {}
        threads = []
        http = owner.http

        def watch(sale_id: str, since: float) -> None:
            url = f"{server.url}/api/v1/sales/{sale_id}/"
            while time.perf_counter() - since < 30:
                if http.get(url, timeout=10).status_code == 200:
                    samples[sale_id] = (time.perf_counter() - since) * 1000
                    return
                time.sleep(0.01)

        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("SALE "):
                thread = threading.Thread(target=watch, args=(line.split()[1], time.perf_counter()))
                thread.start()
                threads.append(thread)
        child.wait(timeout=120)
        for thread in threads:
            thread.join(timeout=35)
        if len(samples) != SALES:
            raise SystemExit(f"only {len(samples)} of {SALES} sales became visible in 30 s")
    finally:
        server.stop()
        cloud.drop_database(DB)
    emit_latency("sync.latency", list(samples.values()))


if __name__ == "__main__":
    main()
