"""``make demo``'s FAKE Daraja and FAKE WhatsApp Graph servers, in one process: no money
moves and no message leaves the machine.

    python -m cloud_api.integrations.demo_fakes --cloud-url http://127.0.0.1:8000 --app-secret A

Prints one line ``FAKES daraja=URL graph=URL`` once both listen (127.0.0.1, free ports), then
serves until stopped. The fake Daraja answers every STK prompt by itself after
``--stk-delay`` seconds, as a customer would on their phone: paid, unless the phone number is
one of ``DEMO_PHONES`` (the last digits are Daraja's result code: 0700 001 032 cancels...).
The fake Graph posts Meta's signed "sent" and "delivered" webhooks back to the cloud, and
lists what it received at ``/_fake/messages`` (the cloud's ``/demo/whatsapp/`` page shows it).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from cloud_api.integrations.fake_daraja import FakeDaraja
from cloud_api.integrations.fake_daraja_records import NO_ANSWER
from cloud_api.integrations.whatsapp.fake_graph import FakeGraphServer, FakeGraphState

FAKE_CONSUMER_KEY = "fake-consumer-key"
FAKE_CONSUMER_SECRET = "fake-consumer-secret"
FAKE_WHATSAPP_TOKEN = "fake-whatsapp-token"
FAKE_PHONE_NUMBER_ID = "100000000000001"
STK_DELAY_SECONDS = 5.0

# What the "customer" with this phone does with a prompt (anyone else pays).
DEMO_PHONES = {
    "254700001032": "cancelled",  # 1032: request cancelled by user
    "254700000001": "insufficient",  # 1: balance insufficient
    "254700002001": "wrong_pin",  # 2001: wrong PIN
    "254700001037": "unreachable",  # 1037: phone cannot be reached
    "254700000000": NO_ANSWER,  # never answers: the till's countdown runs out
}


def start_fakes(
    *, cloud_url: str, app_secret: str, stk_delay: float
) -> tuple[FakeDaraja, FakeGraphServer]:
    """Both fakes on free ports; the STK callbacks go to the CallBackURL the cloud sends."""
    daraja = FakeDaraja(
        consumer_key=FAKE_CONSUMER_KEY,
        consumer_secret=FAKE_CONSUMER_SECRET,
        deliver_callbacks=True,
        callback_delay=stk_delay,
    ).start()
    for phone, outcome in DEMO_PHONES.items():
        daraja.script(phone, outcome)
    graph = FakeGraphServer(
        FakeGraphState(
            token=FAKE_WHATSAPP_TOKEN,
            phone_number_id=FAKE_PHONE_NUMBER_ID,
            webhook_url=f"{cloud_url.rstrip('/')}/api/v1/integrations/whatsapp/webhook/",
            app_secret=app_secret,
        )
    ).start()
    return daraja, graph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="FAKE Daraja and WhatsApp Graph for the demo")
    parser.add_argument("--cloud-url", required=True)
    parser.add_argument("--app-secret", required=True)
    parser.add_argument("--stk-delay", type=float, default=STK_DELAY_SECONDS)
    args = parser.parse_args(argv)
    daraja, graph = start_fakes(
        cloud_url=args.cloud_url,
        app_secret=args.app_secret,
        stk_delay=args.stk_delay,
    )
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"FAKES daraja={daraja.url} graph={graph.graph_url}", flush=True)
    stopped.wait()
    daraja.stop()
    graph.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
