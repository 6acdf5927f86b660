"""Real tills in child processes (``till_worker.py``), and what each one says it completed,
read from its own SQLite file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("till_worker.py")


def till_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("ASIRIA_")}
    env.update(
        {
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",  # secret in the data dir
            "QT_QPA_PLATFORM": "offscreen",
            "ASIRIA_CONFIG": "/nonexistent/till.toml",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@dataclass
class TillProc:
    name: str
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "till.sqlite3"

    def command(self, *args: str) -> list[str]:
        return [sys.executable, str(WORKER), args[0], str(self.data_dir), *args[1:]]

    def run(self, *args: str, timeout: float = 180, check: bool = True) -> list[str]:
        """Run the worker to its end; its stdout lines."""
        result = subprocess.run(
            self.command(*args),
            env=till_env(),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{self.name}: `till_worker {' '.join(args)}` exited {result.returncode}\n"
                f"stdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr[-5000:]}"
            )
        return result.stdout.splitlines()

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """The ``asiria`` command itself on this till's data folder (e.g. ``sync --once``)."""
        asiria = Path(sys.executable).with_name("asiria")
        return subprocess.run(
            [str(asiria), *args, "--data-dir", str(self.data_dir)],
            env=till_env(),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def spawn(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(*args),
            env=till_env(),
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    # ----- what the till holds ---------------------------------------------------------------

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        conn = sqlite3.connect(str(self.database))
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()

    @property
    def terminal_id(self) -> str:
        (raw,) = self.rows("SELECT value FROM sync_state WHERE key = 'enrollment'")[0]
        return str(json.loads(raw)["terminal_id"])

    def sales(self) -> dict[str, dict[str, Any]]:
        """Every completed sale, as the till sent it (the outbox payload), by sale id; checked
        against the till's own ``sales`` rows."""
        payloads = {
            payload["id"]: payload
            for (payload,) in (
                (json.loads(raw),)
                for (raw,) in self.rows("SELECT payload FROM outbox WHERE type = 'sale.completed'")
            )
        }
        rows = self.rows(
            "SELECT id, subtotal_cents, discount_cents, tax_cents, total_cents, change_cents "
            "FROM sales"
        )
        for sale_id, subtotal, discount, tax, total, change in rows:
            payload = payloads.get(sale_id)
            assert payload is not None, f"{self.name}: sale {sale_id} has no outbox event"
            assert (subtotal, discount, tax, total, change) == (
                payload["subtotal_cents"],
                payload["discount_cents"],
                payload["tax_cents"],
                payload["total_cents"],
                payload["change_cents"],
            ), f"{self.name}: sale {sale_id} differs from its outbox event"
        return {sale_id: payloads[sale_id] for sale_id, *_ in rows}

    def outbox(self) -> dict[str, tuple[str, str, str | None]]:
        """event id -> (type, status, last_error)."""
        return {
            event_id: (kind, status, error)
            for event_id, kind, status, error in self.rows(
                "SELECT id, type, status, last_error FROM outbox"
            )
        }

    def unsent(self) -> list[tuple[str, str, str | None]]:
        return [(i, s, e) for i, (_, s, e) in self.outbox().items() if s != "sent"]


def sold_milli(sales: list[dict[str, Any]]) -> Counter[str]:
    """product id -> quantity sold, in thousandths."""
    sold: Counter[str] = Counter()
    for sale in sales:
        for line in sale["lines"]:
            sold[line["product_id"]] += (
                line["qty"] * 1000 if line["qty"] is not None else line["qty_milli"]
            )
    return sold
