"""A FAKE Safaricom Daraja server for tests and the demo: no money moves, nothing leaves the
machine.

It listens on 127.0.0.1 and answers the paths, request checks, responses, callbacks and errors
Daraja publishes (OAuth, STK push and query, C2B register URLs, Transaction Status; the API
itself is ``fake_daraja_api``), so the production client (``daraja.DarajaClient``) is what
talks to it. What the "customer" does with a prompt is scripted per phone number
(:meth:`FakeDaraja.script`). Callbacks are either handed to the caller (:meth:`answer` returns
the body, for tests that post it themselves) or, with ``deliver_callbacks=True`` (the demo),
POSTed to the CallBackURL like Daraja would.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from cloud_api.integrations.fake_daraja_api import DarajaApi
from cloud_api.integrations.fake_daraja_bodies import (
    c2b_confirmation,
    stk_callback,
    transaction_status_result,
)
from cloud_api.integrations.fake_daraja_records import (
    NO_ANSWER,
    OUTCOMES,
    FakeDarajaState,
    FakeTransaction,
    now_number,
    receipt_code,
)


class FakeDaraja(DarajaApi):
    _server: ThreadingHTTPServer | None = None

    # --- lifecycle --------------------------------------------------------------------------
    def start(self, port: int = 0) -> FakeDaraja:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def reset(self) -> None:
        with self.lock:
            self.state = FakeDarajaState()

    # --- what the scenario says ---------------------------------------------------------------
    def script(self, phone: str, outcome: str) -> None:
        """What the customer with this phone does with the next prompts."""
        if outcome not in OUTCOMES and outcome != NO_ANSWER:
            raise ValueError(f"unknown outcome {outcome}")
        with self.lock:
            self.state.scripts[phone] = outcome

    def throttle_next(self, count: int) -> None:
        """The next ``count`` API requests are refused by the gateway's spike arrest (429)."""
        with self.lock:
            self.state.throttle = count

    def expire_tokens(self) -> None:
        with self.lock:
            self.state.tokens = dict.fromkeys(self.state.tokens, 0.0)

    def hits(self, path: str) -> int:
        return self.state.hits.get(path, 0)

    def callback_body(self, checkout_request_id: str) -> dict[str, Any]:
        return stk_callback(self.state.pushes[checkout_request_id])

    def c2b_payment(
        self,
        *,
        shortcode: str,
        amount: int,
        phone: str,
        bill_ref: str = "",
        first_name: str = "JOHN",
        kind: str = "Pay Bill",
    ) -> dict[str, Any]:
        """A customer pays the pay bill or till number from their phone: the confirmation body
        Daraja sends (MSISDN masked, as Daraja now sends it)."""
        paid = FakeTransaction(
            receipt=receipt_code(),
            amount=amount,
            shortcode=shortcode,
            phone=phone,
            when=now_number(),
        )
        with self.lock:
            self.state.transactions[paid.receipt] = paid
        return c2b_confirmation(paid, bill_ref=bill_ref, first_name=first_name, kind=kind)

    def status_result(self, transaction_id: str, originator_id: str) -> dict[str, Any]:
        """The Transaction Status result body Daraja POSTs to the ResultURL."""
        found = self.state.transactions.get(transaction_id)
        return transaction_status_result(found, transaction_id, originator_id)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeDaraja
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        parsed = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        status, answer = self.fake.handle(
            method, parsed.path, parse_qs(parsed.query), self.headers, body
        )
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if status == 429:
            self.send_header("Retry-After", "0")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        return  # quiet: the tests and the demo log what matters themselves
