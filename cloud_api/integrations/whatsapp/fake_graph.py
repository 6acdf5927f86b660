"""FAKE WhatsApp Graph API for tests and the demo: never talks to Meta.

A small HTTP server on 127.0.0.1 that answers ``POST /{version}/{phone-number-id}/messages`` the
way Graph does (``{"messaging_product", "contacts", "messages": [{"id": "wamid..."}]}``, or
``{"error": {"message", "type", "code", "error_data", "fbtrace_id"}}``), checks the bearer token,
and, when given the cloud's webhook URL and app secret, posts the signed ``sent`` and
``delivered`` status webhooks back, as Meta does. ``GET /_fake/messages`` lists what it received.

Run alone: ``python -m cloud_api.integrations.whatsapp.fake_graph --port 8091
--webhook-url http://127.0.0.1:8000/api/v1/integrations/whatsapp/webhook/ --app-secret s``.
"""

from __future__ import annotations

import argparse
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

from cloud_api.integrations.whatsapp.signature import signature_of

ERRORS: dict[int, tuple[int, str, str]] = {
    130429: (400, "(#130429) Rate limit hit", "Cloud API message throughput has been reached."),
    131056: (
        400,
        "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        "Too many messages sent from the sender phone number to the same recipient phone "
        "number in a short period of time.",
    ),
    131047: (
        400,
        "(#131047) Re-engagement message",
        "Message failed to send because more than 24 hours have passed since the customer "
        "last replied to this number.",
    ),
    190: (401, "Error validating access token: Session has expired.", ""),
}


@dataclass
class ReceivedMessage:
    wamid: str
    to: str
    type: str
    body: dict[str, Any]
    callback_data: str
    received_at: float = field(default_factory=time.time)  # epoch seconds


@dataclass
class FakeGraphState:
    token: str
    phone_number_id: str
    webhook_url: str = ""
    app_secret: str = ""
    messages: list[ReceivedMessage] = field(default_factory=list)
    scripted_errors: deque[int] = field(default_factory=deque)
    webhook_failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail_next(self, *codes: int) -> None:
        """The next calls answer these Graph error codes, in order."""
        with self.lock:
            self.scripted_errors.extend(codes)

    def texts(self) -> list[str]:
        """What each message says (a text's body, a template's first parameter)."""
        with self.lock:
            return [_message_text(message) for message in self.messages]

    def post_webhook(self, payload: dict[str, Any]) -> requests.Response:
        raw = json.dumps(payload).encode()
        return requests.post(
            self.webhook_url,
            data=raw,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": signature_of(raw, self.app_secret),
            },
            timeout=10,
        )

    def status_payload(self, message: ReceivedMessage, status: str) -> dict[str, Any]:
        event: dict[str, Any] = {
            "id": message.wamid,
            "status": status,
            "timestamp": str(int(time.time())),
            "recipient_id": message.to,
        }
        if message.callback_data:
            event["biz_opaque_callback_data"] = message.callback_data
        return _envelope(self.phone_number_id, {"statuses": [event]})

    def inbound_payload(self, sender: str, text: str) -> dict[str, Any]:
        """A person writing to the business number (for example "STOP")."""
        return _envelope(
            self.phone_number_id,
            {
                "contacts": [{"profile": {"name": "Customer"}, "wa_id": sender}],
                "messages": [
                    {
                        "from": sender,
                        "id": f"wamid.{secrets.token_hex(16)}",
                        "timestamp": str(int(time.time())),
                        "type": "text",
                        "text": {"body": text},
                    }
                ],
            },
        )


def _envelope(phone_number_id: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "fake-waba-id",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "254700000000",
                                "phone_number_id": phone_number_id,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def _message_text(message: ReceivedMessage) -> str:
    if message.type == "text":
        return str(message.body["text"]["body"])
    parameters = message.body["template"]["components"][0]["parameters"]
    return str(parameters[0]["text"])


def _graph_error(code: int, message: str, details: str = "") -> dict[str, Any]:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details},
            "fbtrace_id": secrets.token_urlsafe(12),
        }
    }


class _Handler(BaseHTTPRequestHandler):
    server: FakeGraphServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test's output is about the cloud."""

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/_fake/messages":
            with self.server.state.lock:
                listed = [message.__dict__ for message in self.server.state.messages]
            self._answer(200, {"fake": "WhatsApp Graph (not Meta)", "messages": listed})
        else:
            self._answer(404, _graph_error(803, "Unknown path"))

    def do_POST(self) -> None:
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.path.rstrip("/").endswith(f"/{state.phone_number_id}/messages"):
            self._answer(400, _graph_error(100, "Unsupported post request."))
            return
        if self.headers.get("Authorization") != f"Bearer {state.token}":
            status, message, details = ERRORS[190]
            self._answer(status, _graph_error(190, message, details))
            return
        try:
            body = json.loads(raw)
            to, kind = str(body["to"]), str(body["type"])
            assert body["messaging_product"] == "whatsapp" and kind in ("text", "template")
            assert to.isdigit() and kind in body
        except (ValueError, KeyError, AssertionError, TypeError):
            self._answer(400, _graph_error(100, "(#100) Invalid parameter"))
            return
        with state.lock:
            scripted = state.scripted_errors.popleft() if state.scripted_errors else None
            if scripted is None:
                received = ReceivedMessage(
                    wamid=f"wamid.{secrets.token_urlsafe(24)}",
                    to=to,
                    type=kind,
                    body=body,
                    callback_data=str(body.get("biz_opaque_callback_data", "")),
                )
                state.messages.append(received)
        if scripted is not None:
            status, text, details = ERRORS[scripted]
            self._answer(status, _graph_error(scripted, text, details))
            return
        self._answer(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": received.wamid, "message_status": "accepted"}],
            },
        )
        if state.webhook_url:
            threading.Thread(target=self._report, args=(received,), daemon=True).start()

    def _report(self, message: ReceivedMessage) -> None:
        """Meta's status webhooks for an accepted message: sent, then delivered."""
        state = self.server.state
        for status in ("sent", "delivered"):
            try:
                response = state.post_webhook(state.status_payload(message, status))
                if response.status_code != 200:
                    state.webhook_failures.append(f"{status}: HTTP {response.status_code}")
            except requests.RequestException as error:
                state.webhook_failures.append(f"{status}: {error}")

    def _answer(self, status: int, payload: dict[str, Any]) -> None:
        raw = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


class FakeGraphServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: FakeGraphState, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.state = state
        self._thread: threading.Thread | None = None

    @property
    def graph_url(self) -> str:
        """What ``ASIRIA_WHATSAPP_GRAPH_URL`` should be set to."""
        return f"http://127.0.0.1:{self.server_address[1]}/v21.0"

    def start(self) -> FakeGraphServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description="FAKE WhatsApp Graph API (never Meta's)")
    parser.add_argument("--port", type=int, default=8091)
    parser.add_argument("--token", default="fake-whatsapp-token")
    parser.add_argument("--phone-number-id", default="100000000000001")
    parser.add_argument("--webhook-url", default="")
    parser.add_argument("--app-secret", default="")
    args = parser.parse_args()
    state = FakeGraphState(
        token=args.token,
        phone_number_id=args.phone_number_id,
        webhook_url=args.webhook_url,
        app_secret=args.app_secret,
    )
    server = FakeGraphServer(state, port=args.port)
    print(f"FAKE WhatsApp Graph API on {server.graph_url} (messages: /_fake/messages)", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
