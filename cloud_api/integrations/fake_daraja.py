"""A FAKE Safaricom Daraja server for tests and the demo: no money moves, nothing leaves the
machine.

It listens on 127.0.0.1 and answers the paths, request checks, responses, callbacks and errors
Daraja publishes (OAuth, STK push and query, C2B register URLs, Transaction Status), so the
production client (``daraja.DarajaClient``) is what talks to it. What the "customer" does with
a prompt is scripted per phone number (:meth:`FakeDaraja.script`). Callbacks are either handed
to the caller (:meth:`answer` returns the body, for tests that post it themselves) or, with
``deliver_callbacks=True`` (the demo), POSTed to the CallBackURL like Daraja would.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import requests

# Safaricom's public sandbox Lipa na M-Pesa Online shortcode and pass key (published on the
# Daraja portal for everyone: not a secret).
SANDBOX_SHORTCODE = "174379"
SANDBOX_PASSKEY = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919"

# Result codes and descriptions as Daraja sends them in the STK callback and query.
OUTCOMES: dict[str, tuple[int, str]] = {
    "success": (0, "The service request is processed successfully."),
    "cancelled": (1032, "Request cancelled by user"),
    "insufficient": (1, "The balance is insufficient for the transaction."),
    "wrong_pin": (2001, "The initiator information is invalid."),
    "unreachable": (1037, "DS timeout user cannot be reached"),
}
NO_ANSWER = "no_answer"  # the phone never answers: no callback, the query keeps "processing"
NAIROBI = ZoneInfo("Africa/Nairobi")


@dataclass
class FakePush:
    body: dict[str, Any]
    merchant_request_id: str
    checkout_request_id: str
    outcome: str
    answered: bool = False
    receipt: str = ""
    transaction_date: int = 0


@dataclass
class FakeTransaction:
    receipt: str
    amount: int
    shortcode: str
    phone: str
    when: int


@dataclass
class FakeDarajaState:
    tokens: dict[str, float] = field(default_factory=dict)
    pushes: dict[str, FakePush] = field(default_factory=dict)
    transactions: dict[str, FakeTransaction] = field(default_factory=dict)
    scripts: dict[str, str] = field(default_factory=dict)
    registered: dict[str, dict[str, str]] = field(default_factory=dict)
    status_results: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    hits: dict[str, int] = field(default_factory=dict)
    throttle: int = 0


def receipt_code() -> str:
    """An M-Pesa receipt: ten upper-case letters and digits, like ``SLK4H7Q2XB``."""
    alphabet = string.ascii_uppercase + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(10))


def _now_number() -> int:
    return int(datetime.now(NAIROBI).strftime("%Y%m%d%H%M%S"))


def _error(code: str, message: str) -> dict[str, Any]:
    return {"requestId": secrets.token_hex(8), "errorCode": code, "errorMessage": message}


SPIKE_ARREST = {
    "fault": {
        "faultstring": "Spike arrest violation. Allowed rate : MessageRate{messagesPerPeriod=5, "
        "periodInMicroseconds=1000000, maxBurstMessageCount=5.0}",
        "detail": {"errorcode": "policies.ratelimit.SpikeArrestViolation"},
    }
}


class FakeDaraja:
    def __init__(
        self,
        *,
        consumer_key: str = "fake-consumer-key",
        consumer_secret: str = "fake-consumer-secret",  # noqa: S107 (the fake's own, public)
        passkeys: dict[str, str] | None = None,
        token_lifetime: int = 3599,
        deliver_callbacks: bool = False,
        callback_delay: float = 2.0,
        default_outcome: str = "success",
    ) -> None:
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.passkeys = passkeys or {SANDBOX_SHORTCODE: SANDBOX_PASSKEY}
        self.token_lifetime = token_lifetime
        self.deliver_callbacks = deliver_callbacks
        self.callback_delay = callback_delay
        self.default_outcome = default_outcome
        self.state = FakeDarajaState()
        self.lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None

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

    def answer(self, checkout_request_id: str) -> dict[str, Any] | None:
        """The customer acts on the prompt; returns the STK callback body Daraja would send
        (``None`` for a phone that never answers)."""
        with self.lock:
            push = self.state.pushes[checkout_request_id]
            if push.outcome == NO_ANSWER:
                return None
            push.answered = True
            code, _ = OUTCOMES[push.outcome]
            if code == 0 and not push.receipt:
                push.receipt = receipt_code()
                push.transaction_date = _now_number()
                self.state.transactions[push.receipt] = FakeTransaction(
                    receipt=push.receipt,
                    amount=int(push.body["Amount"]),
                    shortcode=str(push.body["PartyB"]),
                    phone=str(push.body["PhoneNumber"]),
                    when=push.transaction_date,
                )
        return self.callback_body(checkout_request_id)

    def callback_body(self, checkout_request_id: str) -> dict[str, Any]:
        push = self.state.pushes[checkout_request_id]
        code, description = OUTCOMES[push.outcome]
        callback: dict[str, Any] = {
            "MerchantRequestID": push.merchant_request_id,
            "CheckoutRequestID": push.checkout_request_id,
            "ResultCode": code,
            "ResultDesc": description,
        }
        if code == 0:
            callback["CallbackMetadata"] = {
                "Item": [
                    {"Name": "Amount", "Value": float(push.body["Amount"])},
                    {"Name": "MpesaReceiptNumber", "Value": push.receipt},
                    {"Name": "Balance"},
                    {"Name": "TransactionDate", "Value": push.transaction_date},
                    {"Name": "PhoneNumber", "Value": int(push.body["PhoneNumber"])},
                ]
            }
        return {"Body": {"stkCallback": callback}}

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
        receipt, when = receipt_code(), _now_number()
        with self.lock:
            self.state.transactions[receipt] = FakeTransaction(
                receipt=receipt, amount=amount, shortcode=shortcode, phone=phone, when=when
            )
        return {
            "TransactionType": kind,
            "TransID": receipt,
            "TransTime": str(when),
            "TransAmount": f"{amount:.2f}",
            "BusinessShortCode": shortcode,
            "BillRefNumber": bill_ref,
            "InvoiceNumber": "",
            "OrgAccountBalance": "",
            "ThirdPartyTransID": "",
            "MSISDN": f"{phone[:5]}****{phone[-3:]}",
            "FirstName": first_name,
            "MiddleName": "",
            "LastName": "",
        }

    def status_result(self, transaction_id: str, originator_id: str) -> dict[str, Any]:
        """The Transaction Status result body Daraja POSTs to the ResultURL."""
        found = self.state.transactions.get(transaction_id)
        conversation = f"AG_{datetime.now(NAIROBI):%Y%m%d}_{secrets.token_hex(10)}"
        result: dict[str, Any] = {
            "ResultType": 0,
            "OriginatorConversationID": originator_id,
            "ConversationID": conversation,
            "TransactionID": transaction_id if found else secrets.token_hex(5).upper(),
            "ReferenceData": {"ReferenceItem": {"Key": "Occasion"}},
        }
        if found is None:
            result.update(ResultCode=1, ResultDesc="The transaction receipt number does not exist.")
            return {"Result": result}
        result.update(
            ResultCode=0,
            ResultDesc="The service request is processed successfully.",
            ResultParameters={
                "ResultParameter": [
                    {"Key": "DebitPartyName", "Value": f"{found.phone} - JOHN DOE"},
                    {"Key": "CreditPartyName", "Value": f"{found.shortcode} - FAKE SHOP"},
                    {"Key": "OriginatorConversationID", "Value": originator_id},
                    {"Key": "InitiatedTime", "Value": found.when},
                    {"Key": "DebitAccountType", "Value": "MMF Account For Customer"},
                    {"Key": "DebitPartyCharges"},
                    {"Key": "TransactionReason"},
                    {"Key": "ReasonType", "Value": "Pay Merchant"},
                    {"Key": "TransactionStatus", "Value": "Completed"},
                    {"Key": "FinalisedTime", "Value": found.when},
                    {"Key": "Amount", "Value": float(found.amount)},
                    {"Key": "ConversationID", "Value": conversation},
                    {"Key": "ReceiptNo", "Value": found.receipt},
                ]
            },
        )
        return {"Result": result}

    # --- request handling -------------------------------------------------------------------
    def handle(
        self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: Any
    ) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.state.hits[path] = self.state.hits.get(path, 0) + 1
            if self.state.throttle > 0:
                self.state.throttle -= 1
                return 429, SPIKE_ARREST
        if method == "GET" and path == "/oauth/v1/generate":
            return self._token(query, headers)
        routes = {
            "/mpesa/stkpush/v1/processrequest": self._stk_push,
            "/mpesa/stkpushquery/v1/query": self._stk_query,
            "/mpesa/c2b/v1/registerurl": self._register,
            "/mpesa/transactionstatus/v1/query": self._transaction_status,
        }
        route = routes.get(path)
        if method != "POST" or route is None:
            return 404, _error("404.001.01", "Resource not found")
        if not self._authorised(headers):
            return 404, _error("404.001.03", "Invalid Access Token")
        if not isinstance(body, dict):
            return 400, _error("400.002.05", "Invalid Request Payload")
        return route(body)

    def _token(self, query: dict[str, list[str]], headers: Any) -> tuple[int, dict[str, Any]]:
        if query.get("grant_type") != ["client_credentials"]:
            return 400, _error("400.008.02", "Invalid grant type passed")
        expected = base64.b64encode(f"{self.consumer_key}:{self.consumer_secret}".encode())
        if headers.get("Authorization", "") != f"Basic {expected.decode()}":
            return 400, _error("400.008.01", "Invalid Authentication passed")
        token = secrets.token_urlsafe(21)
        with self.lock:
            self.state.tokens[token] = time.monotonic() + self.token_lifetime
        return 200, {"access_token": token, "expires_in": str(self.token_lifetime)}

    def _authorised(self, headers: Any) -> bool:
        header = headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        expiry = self.state.tokens.get(header.removeprefix("Bearer "))
        return expiry is not None and expiry > time.monotonic()

    def _password_ok(self, body: dict[str, Any]) -> bool:
        shortcode, stamp = str(body.get("BusinessShortCode", "")), str(body.get("Timestamp", ""))
        passkey = self.passkeys.get(shortcode)
        if passkey is None or len(stamp) != 14 or not stamp.isdigit():
            return False
        expected = base64.b64encode(f"{shortcode}{passkey}{stamp}".encode()).decode()
        return body.get("Password") == expected

    def _stk_push(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        phone = str(body.get("PhoneNumber", ""))
        if str(body.get("BusinessShortCode", "")) not in self.passkeys:
            return 400, _error("400.002.02", "Bad Request - Invalid BusinessShortCode")
        if body.get("TransactionType") not in {"CustomerPayBillOnline", "CustomerBuyGoodsOnline"}:
            return 400, _error("400.002.02", "Bad Request - Invalid TransactionType")
        amount = body.get("Amount")
        if not isinstance(amount, int | str) or not str(amount).isdigit() or int(amount) < 1:
            return 400, _error("400.002.02", "Bad Request - Invalid Amount")
        if not (len(phone) == 12 and phone.startswith("254") and phone.isdigit()):
            return 400, _error("400.002.02", "Bad Request - Invalid PhoneNumber")
        if not str(body.get("CallBackURL", "")).startswith(("http://", "https://")):
            return 400, _error("400.002.02", "Bad Request - Invalid CallBackURL")
        if not self._password_ok(body):
            return 500, _error("500.001.1001", "Wrong credentials")
        number = next(self._ids)
        push = FakePush(
            body=body,
            merchant_request_id=f"{number:05d}-{secrets.randbelow(10**8):08d}-1",
            checkout_request_id=f"ws_CO_{_now_number()}{number:06d}",
            outcome=self.state.scripts.get(phone, self.default_outcome),
        )
        with self.lock:
            self.state.pushes[push.checkout_request_id] = push
        if self.deliver_callbacks:
            threading.Thread(target=self._deliver, args=(push,), daemon=True).start()
        message = "Success. Request accepted for processing"
        return 200, {
            "MerchantRequestID": push.merchant_request_id,
            "CheckoutRequestID": push.checkout_request_id,
            "ResponseCode": "0",
            "ResponseDescription": message,
            "CustomerMessage": message,
        }

    def _deliver(self, push: FakePush) -> None:
        time.sleep(self.callback_delay)
        callback = self.answer(push.checkout_request_id)
        if callback is not None:
            _post_quietly(str(push.body["CallBackURL"]), callback)

    def _stk_query(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not self._password_ok(body):
            return 500, _error("500.001.1001", "Wrong credentials")
        push = self.state.pushes.get(str(body.get("CheckoutRequestID", "")))
        if push is None:
            return 500, _error("500.001.1001", "The transaction is not found")
        if not push.answered:
            return 500, _error("500.001.1001", "The transaction is being processed")
        code, description = OUTCOMES[push.outcome]
        return 200, {
            "ResponseCode": "0",
            "ResponseDescription": "The service request has been accepted successsfully",
            "MerchantRequestID": push.merchant_request_id,
            "CheckoutRequestID": push.checkout_request_id,
            "ResultCode": str(code),
            "ResultDesc": description,
        }

    def _register(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        shortcode = str(body.get("ShortCode", ""))
        if not shortcode.isdigit():
            return 400, _error("400.002.02", "Bad Request - Invalid ShortCode")
        if body.get("ResponseType") not in {"Completed", "Cancelled"}:
            return 400, _error("400.002.02", "Bad Request - Invalid ResponseType")
        for key in ("ConfirmationURL", "ValidationURL"):
            if not str(body.get(key, "")).startswith(("http://", "https://")):
                return 400, _error("400.002.02", f"Bad Request - Invalid {key}")
        with self.lock:
            self.state.registered[shortcode] = {
                "confirmation": str(body["ConfirmationURL"]),
                "validation": str(body["ValidationURL"]),
            }
        return 200, {
            "OriginatorCoversationID": f"{secrets.randbelow(10**5)}-{secrets.randbelow(10**7)}-1",
            "ResponseCode": "0",
            "ResponseDescription": "Success",
        }

    def _transaction_status(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if body.get("CommandID") != "TransactionStatusQuery":
            return 400, _error("400.002.02", "Bad Request - Invalid CommandID")
        if not body.get("Initiator") or not body.get("SecurityCredential"):
            return 400, _error("400.002.02", "Bad Request - Invalid Initiator")
        originator = str(body.get("OriginatorConversationID") or secrets.token_hex(8))
        result = self.status_result(str(body.get("TransactionID", "")), originator)
        with self.lock:
            self.state.status_results.append((str(body.get("ResultURL", "")), result))
        if self.deliver_callbacks:
            threading.Thread(
                target=_post_quietly, args=(str(body.get("ResultURL", "")), result), daemon=True
            ).start()
        return 200, {
            "OriginatorConversationID": originator,
            "ConversationID": result["Result"]["ConversationID"],
            "ResponseCode": "0",
            "ResponseDescription": "Accept the service request successfully.",
        }


def _post_quietly(url: str, body: dict[str, Any]) -> None:
    # Daraja does not retry a callback the merchant could not take either.
    with contextlib.suppress(requests.RequestException):
        requests.post(url, json=body, timeout=10)


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
