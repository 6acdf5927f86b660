"""The HTTP API of the FAKE Daraja server: the request checks and answers Daraja publishes
for OAuth, STK push and query, C2B URL registration and Transaction Status, over the state
in ``fake_daraja_records``. The server around it is ``fake_daraja.FakeDaraja``."""

from __future__ import annotations

import base64
import contextlib
import itertools
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import requests

from cloud_api.integrations.fake_daraja_bodies import (
    SPIKE_ARREST,
    error,
    stk_callback,
    transaction_status_result,
)
from cloud_api.integrations.fake_daraja_records import (
    NO_ANSWER,
    OUTCOMES,
    SANDBOX_PASSKEY,
    SANDBOX_SHORTCODE,
    FakeDarajaState,
    FakePush,
    FakeTransaction,
    now_number,
    receipt_code,
)

Answer = tuple[int, dict[str, Any]]


class Headers(Protocol):
    """A request's headers, as ``http.server`` gives them."""

    def get(self, name: str, failobj: str, /) -> str: ...


class DarajaApi:
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
                push.transaction_date = now_number()
                self.state.transactions[push.receipt] = FakeTransaction(
                    receipt=push.receipt,
                    amount=int(push.body["Amount"]),
                    shortcode=str(push.body["PartyB"]),
                    phone=str(push.body["PhoneNumber"]),
                    when=push.transaction_date,
                )
        return stk_callback(self.state.pushes[checkout_request_id])

    def handle(
        self, method: str, path: str, query: dict[str, list[str]], headers: Headers, body: object
    ) -> Answer:
        with self.lock:
            self.state.hits[path] = self.state.hits.get(path, 0) + 1
            if self.state.throttle > 0:
                self.state.throttle -= 1
                return 429, SPIKE_ARREST
        if method == "GET" and path == "/oauth/v1/generate":
            return self._token(query, headers)
        routes: dict[str, Callable[[dict[str, Any]], Answer]] = {
            "/mpesa/stkpush/v1/processrequest": self._stk_push,
            "/mpesa/stkpushquery/v1/query": self._stk_query,
            "/mpesa/c2b/v1/registerurl": self._register,
            "/mpesa/transactionstatus/v1/query": self._transaction_status,
        }
        route = routes.get(path)
        if method != "POST" or route is None:
            return 404, error("404.001.01", "Resource not found")
        if not self._authorised(headers):
            return 404, error("404.001.03", "Invalid Access Token")
        if not isinstance(body, dict):
            return 400, error("400.002.05", "Invalid Request Payload")
        return route(body)

    def _token(self, query: dict[str, list[str]], headers: Headers) -> Answer:
        if query.get("grant_type") != ["client_credentials"]:
            return 400, error("400.008.02", "Invalid grant type passed")
        expected = base64.b64encode(f"{self.consumer_key}:{self.consumer_secret}".encode())
        if headers.get("Authorization", "") != f"Basic {expected.decode()}":
            return 400, error("400.008.01", "Invalid Authentication passed")
        token = secrets.token_urlsafe(21)
        with self.lock:
            self.state.tokens[token] = time.monotonic() + self.token_lifetime
        return 200, {"access_token": token, "expires_in": str(self.token_lifetime)}

    def _authorised(self, headers: Headers) -> bool:
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

    def _stk_push(self, body: dict[str, Any]) -> Answer:
        phone = str(body.get("PhoneNumber", ""))
        if str(body.get("BusinessShortCode", "")) not in self.passkeys:
            return 400, error("400.002.02", "Bad Request - Invalid BusinessShortCode")
        if body.get("TransactionType") not in {"CustomerPayBillOnline", "CustomerBuyGoodsOnline"}:
            return 400, error("400.002.02", "Bad Request - Invalid TransactionType")
        amount = body.get("Amount")
        if not isinstance(amount, int | str) or not str(amount).isdigit() or int(amount) < 1:
            return 400, error("400.002.02", "Bad Request - Invalid Amount")
        if not (len(phone) == 12 and phone.startswith("254") and phone.isdigit()):
            return 400, error("400.002.02", "Bad Request - Invalid PhoneNumber")
        if not str(body.get("CallBackURL", "")).startswith(("http://", "https://")):
            return 400, error("400.002.02", "Bad Request - Invalid CallBackURL")
        if not self._password_ok(body):
            return 500, error("500.001.1001", "Wrong credentials")
        number = next(self._ids)
        push = FakePush(
            body=body,
            merchant_request_id=f"{number:05d}-{secrets.randbelow(10**8):08d}-1",
            checkout_request_id=f"ws_CO_{now_number()}{number:06d}",
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
            post_quietly(str(push.body["CallBackURL"]), callback)

    def _stk_query(self, body: dict[str, Any]) -> Answer:
        if not self._password_ok(body):
            return 500, error("500.001.1001", "Wrong credentials")
        push = self.state.pushes.get(str(body.get("CheckoutRequestID", "")))
        if push is None:
            return 500, error("500.001.1001", "The transaction is not found")
        if not push.answered:
            return 500, error("500.001.1001", "The transaction is being processed")
        code, description = OUTCOMES[push.outcome]
        return 200, {
            "ResponseCode": "0",
            "ResponseDescription": "The service request has been accepted successsfully",
            "MerchantRequestID": push.merchant_request_id,
            "CheckoutRequestID": push.checkout_request_id,
            "ResultCode": str(code),
            "ResultDesc": description,
        }

    def _register(self, body: dict[str, Any]) -> Answer:
        shortcode = str(body.get("ShortCode", ""))
        if not shortcode.isdigit():
            return 400, error("400.002.02", "Bad Request - Invalid ShortCode")
        if body.get("ResponseType") not in {"Completed", "Cancelled"}:
            return 400, error("400.002.02", "Bad Request - Invalid ResponseType")
        for key in ("ConfirmationURL", "ValidationURL"):
            if not str(body.get(key, "")).startswith(("http://", "https://")):
                return 400, error("400.002.02", f"Bad Request - Invalid {key}")
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

    def _transaction_status(self, body: dict[str, Any]) -> Answer:
        if body.get("CommandID") != "TransactionStatusQuery":
            return 400, error("400.002.02", "Bad Request - Invalid CommandID")
        if not body.get("Initiator") or not body.get("SecurityCredential"):
            return 400, error("400.002.02", "Bad Request - Invalid Initiator")
        originator = str(body.get("OriginatorConversationID") or secrets.token_hex(8))
        transaction_id = str(body.get("TransactionID", ""))
        found = self.state.transactions.get(transaction_id)
        result = transaction_status_result(found, transaction_id, originator)
        with self.lock:
            self.state.status_results.append((str(body.get("ResultURL", "")), result))
        if self.deliver_callbacks:
            threading.Thread(
                target=post_quietly, args=(str(body.get("ResultURL", "")), result), daemon=True
            ).start()
        return 200, {
            "OriginatorConversationID": originator,
            "ConversationID": result["Result"]["ConversationID"],
            "ResponseCode": "0",
            "ResponseDescription": "Accept the service request successfully.",
        }


def post_quietly(url: str, body: dict[str, Any]) -> None:
    # Daraja does not retry a callback the merchant could not take either.
    with contextlib.suppress(requests.RequestException):
        requests.post(url, json=body, timeout=10)
