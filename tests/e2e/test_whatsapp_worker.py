"""A low-stock sale at a real till, synced to a real gunicorn, becomes a WhatsApp message sent
by a real Celery worker process (Redis broker, not eager) to the FAKE Graph server, whose
signed status webhooks bring the delivery to "delivered"."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cloud_api.integrations.whatsapp.fake_graph import FakeGraphServer, FakeGraphState

from . import cloud
from .celery_worker import CeleryWorker
from .conftest import INITIAL_STOCK_MILLI, E2ECloud, wait_for
from .tills import TillProc

pytestmark = pytest.mark.e2e

TOKEN, PHONE_NUMBER_ID, APP_SECRET = "e2e-wa-token", "109000000000042", "e2e-wa-app-secret"
OWNER_PHONE = "+254711000042"


@pytest.fixture
def whatsapp_cloud(e2e: E2ECloud, tmp_path: Path) -> Iterator[tuple[FakeGraphState, str, str]]:
    """The fake Graph, a gunicorn and a Celery worker configured for it; (fake, url, log)."""
    state = FakeGraphState(token=TOKEN, phone_number_id=PHONE_NUMBER_ID, app_secret=APP_SECRET)
    fake = FakeGraphServer(state).start()
    env = cloud.cloud_env(eager=False) | {
        "ASIRIA_WHATSAPP_GRAPH_URL": fake.graph_url,
        "ASIRIA_WHATSAPP_TOKEN": TOKEN,
        "ASIRIA_WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "ASIRIA_WHATSAPP_APP_SECRET": APP_SECRET,
        "ASIRIA_WHATSAPP_VERIFY_TOKEN": "e2e-verify",
    }
    server = cloud.Gunicorn(env=env, log_path=tmp_path / "gunicorn-wa.log", workers=1).start()
    state.webhook_url = f"{server.url}/api/v1/integrations/whatsapp/webhook/"
    worker = CeleryWorker(env=env, log_path=tmp_path / "celery.log").start()
    try:
        yield state, server.url, str(tmp_path / "celery.log")
    finally:
        worker.stop()
        server.stop()
        fake.stop()


def test_a_low_stock_sale_ends_as_a_delivered_whatsapp_message(
    e2e: E2ECloud,
    whatsapp_cloud: tuple[FakeGraphState, str, str],
    new_till: Callable[..., TillProc],
) -> None:
    state, url, worker_log = whatsapp_cloud
    [product] = e2e.products(1, "whatsapp")
    e2e.owner.post(
        "stock-levels/threshold/",
        {
            "store_id": e2e.store_id,
            "product_id": product.id,
            "low_stock_threshold_milli": INITIAL_STOCK_MILLI - 500,
        },
        expect=200,
    )
    cloud.manage(
        "shell",
        "-c",
        "from cloud_api.accounts.models import User; "
        "from cloud_api.notifications.models import NotificationPreference as P; "
        f"P.objects.update_or_create(user=User.objects.get(email={cloud.OWNER_EMAIL!r}), "
        f"defaults={{'whatsapp_opt_in': True, 'whatsapp_phone': {OWNER_PHONE!r}}})",
        env=cloud.cloud_env(),
    )
    till = new_till("WhatsApp till", server_url=url)

    lines = till.run("sell", "--count", "1", "--barcodes", product.barcode, "--sync-each")
    assert any(line.startswith("PUSHED") and " True " in line for line in lines), lines

    def worker_sent() -> list[str]:
        return [text for text in state.texts() if "whatsapp item" in text]

    [text] = wait_for(
        worker_sent, 60, f"no WhatsApp message at the fake Graph; worker log {worker_log}"
    )
    assert text.startswith("Low stock at Main: whatsapp item")
    [message] = [m for m in state.messages if "whatsapp item" in json.dumps(m.body)]
    assert message.to == OWNER_PHONE.lstrip("+") and message.type == "template"

    def delivered() -> list[tuple[str, str]]:
        rows = cloud.query(
            "SELECT status, wamid FROM notifications_notificationdelivery WHERE wamid = %s",
            message.wamid,
        )
        return [row for row in rows if row[0] == "delivered"]

    wait_for(delivered, 30, f"delivery not 'delivered'; webhook errors {state.webhook_failures}")
    assert state.webhook_failures == []
    assert len([m for m in state.messages if m.callback_data == message.callback_data]) == 1
