"""A till sale with a customer who asked for a WhatsApp receipt, synced to a real gunicorn,
becomes the ``asiria_receipt`` template sent by a real Celery worker process (Redis broker,
not eager) to the FAKE Graph server; the signed status webhook brings it to "delivered"; the
customer's STOP reply withdraws consent."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cloud_api.integrations.whatsapp.fake_graph import FakeGraphServer, FakeGraphState

from . import cloud
from .celery_worker import CeleryWorker
from .conftest import E2ECloud, wait_for
from .tills import TillProc

pytestmark = pytest.mark.e2e

TOKEN, PHONE_NUMBER_ID, APP_SECRET = "e2e-wa-token", "109000000000043", "e2e-wa-app-secret"
CUSTOMER_PHONE = "+254722000143"


@pytest.fixture
def whatsapp_cloud(e2e: E2ECloud, tmp_path: Path) -> Iterator[tuple[FakeGraphState, str, str]]:
    """The fake Graph, a gunicorn and a Celery worker configured for it; (fake, url, log)."""
    state = FakeGraphState(token=TOKEN, phone_number_id=PHONE_NUMBER_ID, app_secret=APP_SECRET)
    fake = FakeGraphServer(state).start()
    env = cloud.cloud_env() | {
        "ASIRIA_WHATSAPP_GRAPH_URL": fake.graph_url,
        "ASIRIA_WHATSAPP_TOKEN": TOKEN,
        "ASIRIA_WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "ASIRIA_WHATSAPP_APP_SECRET": APP_SECRET,
        "ASIRIA_WHATSAPP_VERIFY_TOKEN": "e2e-verify",
    }
    server = cloud.Gunicorn(env=env, log_path=tmp_path / "gunicorn-receipt.log", workers=1).start()
    state.webhook_url = f"{server.url}/api/v1/integrations/whatsapp/webhook/"
    worker = CeleryWorker(env=env, log_path=tmp_path / "celery.log").start()
    try:
        yield state, server.url, str(tmp_path / "celery.log")
    finally:
        worker.stop()
        server.stop()
        fake.stop()


def test_a_till_sale_with_a_customer_ends_as_a_delivered_whatsapp_receipt(
    e2e: E2ECloud,
    whatsapp_cloud: tuple[FakeGraphState, str, str],
    new_till: Callable[..., TillProc],
) -> None:
    state, url, worker_log = whatsapp_cloud
    [product] = e2e.products(1, "receipt")
    till = new_till("Receipt till", server_url=url)

    lines = till.run(
        "sell",
        "--count",
        "1",
        "--barcodes",
        product.barcode,
        "--sync-each",
        "--customer",
        "0722 000 143",
    )
    assert any(line.startswith("PUSHED") and " True " in line for line in lines), lines
    [sale_line] = [line for line in lines if line.startswith("SALE ")]
    sale_id = sale_line.split()[1]

    def receipts() -> list:
        return [
            message
            for message in state.messages
            if message.type == "template" and message.body["template"]["name"] == "asiria_receipt"
        ]

    [message] = wait_for(
        receipts, 60, f"no WhatsApp receipt at the fake Graph; worker log {worker_log}"
    )
    assert message.to == CUSTOMER_PHONE.lstrip("+")
    receipt_no, total, items = [
        p["text"] for p in message.body["template"]["components"][0]["parameters"]
    ]
    [(stored_receipt, total_cents)] = cloud.query(
        "SELECT receipt_no, total_cents FROM sales_sale WHERE uuid = %s",
        sale_id.replace("-", ""),
    )
    assert receipt_no == stored_receipt
    assert total == f"KES {total_cents // 100:,}.{total_cents % 100:02d}"
    assert "receipt item" in items

    def delivered() -> list:
        rows = cloud.query(
            "SELECT status FROM notifications_notificationdelivery WHERE wamid = %s",
            message.wamid,
        )
        return [row for row in rows if row[0] == "delivered"]

    wait_for(delivered, 30, f"receipt not 'delivered'; webhook errors {state.webhook_failures}")
    assert state.webhook_failures == []

    # The customer replies STOP: consent is withdrawn, through the same signed webhook.
    response = state.post_webhook(state.inbound_payload(CUSTOMER_PHONE.lstrip("+"), "STOP"))
    assert response.status_code == 200
    [(consent, opted_out)] = cloud.query(
        "SELECT whatsapp_consent, opted_out_at IS NOT NULL FROM customers_customer "
        "WHERE phone = %s",
        CUSTOMER_PHONE,
    )
    assert (consent, opted_out) == (0, 1)
