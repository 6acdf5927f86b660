"""A report export asked for through the API is written by a real Celery worker process
(Redis broker, not eager): with no worker running the job stays queued; once a worker starts,
the job reports progress to 100 %, and the XLSX and PDF files download and open."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from . import cloud
from .celery_worker import CeleryWorker
from .conftest import E2ECloud, wait_for

pytestmark = pytest.mark.e2e


@dataclass
class ExportCloud:
    """A gunicorn that queues jobs on Redis (never eager), its owner, and a worker not yet
    started: the test starts it when the jobs are queued."""

    owner: cloud.Owner
    worker: CeleryWorker


@pytest.fixture
def export_cloud(e2e: E2ECloud, tmp_path: Path) -> Iterator[ExportCloud]:
    env = cloud.cloud_env(eager=False)
    server = cloud.Gunicorn(env=env, log_path=tmp_path / "gunicorn-exports.log", workers=1)
    server.start()
    worker = CeleryWorker(env=env, log_path=tmp_path / "celery-exports.log")
    try:
        yield ExportCloud(cloud.Owner(server.url), worker)
    finally:
        if worker.process is not None:
            worker.stop()
        server.stop()


def _start(owner: cloud.Owner, file_format: str) -> dict[str, Any]:
    today = date.today().isoformat()
    job: dict[str, Any] = owner.post(
        "reports/exports/",
        {"report": "stock-valuation", "format": file_format, "date_from": today, "date_to": today},
        expect=202,
    )
    return job


def _finished(owner: cloud.Owner, job: dict[str, Any], log: Path) -> dict[str, Any]:
    def poll() -> dict[str, Any] | None:
        body: dict[str, Any] = owner.get(f"reports/exports/{job['id']}/")
        return body if body["status"] in {"done", "failed"} else None

    done: dict[str, Any] = wait_for(poll, 240, f"the worker never finished the export (log: {log})")
    return done


def test_exports_wait_for_the_worker_then_download_and_open(
    e2e: E2ECloud, export_cloud: ExportCloud
) -> None:
    owner, worker = export_cloud.owner, export_cloud.worker
    products = e2e.products(3, "export")
    names = {owner.get(f"products/{product.id}/")["name"] for product in products}
    xlsx_job, pdf_job = _start(owner, "xlsx"), _start(owner, "pdf")

    # No worker yet: the web process only queued the jobs, and the file is not there.
    assert xlsx_job["status"] == "queued", xlsx_job
    assert owner.get(f"reports/exports/{xlsx_job['id']}/")["status"] == "queued"
    owner.call("GET", f"reports/exports/{xlsx_job['id']}/download/", expect=409)

    worker.start()
    xlsx_done = _finished(owner, xlsx_job, worker.log_path)
    pdf_done = _finished(owner, pdf_job, worker.log_path)

    assert xlsx_done["status"] == "done", xlsx_done
    assert xlsx_done["progress_percent"] == 100
    assert xlsx_done["filename"].endswith(".xlsx")
    response = owner.http.get(f"{owner.base_url}{xlsx_done['download_url']}", timeout=30)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("Store", "Product")
    assert names <= {str(row[1]) for row in rows[2:]}
    assert rows[-1][0] == "Total"

    assert pdf_done["status"] == "done", pdf_done
    assert pdf_done["filename"].endswith(".pdf")
    pdf = owner.http.get(f"{owner.base_url}{pdf_done['download_url']}", timeout=30)
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-") and len(pdf.content) > 1000
