"""Safaricom Daraja (M-Pesa) HTTP client: OAuth token, STK push and query, C2B URL
registration, Transaction Status.

One client serves production, the sandbox and the local fake (``fake_daraja``): only the base
URL differs. Tokens live in the Django cache (shared by every web and worker process) and are
renewed a minute before Daraja says they expire. A spike-arrest refusal (HTTP 429) or a 503 is
retried with exponential backoff (urllib3's ``Retry``, honouring ``Retry-After``): Daraja did not
process such a request, so sending it again cannot prompt a customer twice. Any other error
is raised as :class:`DarajaError` and never retried here.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import requests
import structlog
from django.core.cache import cache
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

log = structlog.get_logger(__name__)

NAIROBI = ZoneInfo("Africa/Nairobi")
PAYBILL, BUY_GOODS = "paybill", "buy_goods"
TRANSACTION_TYPES = {PAYBILL: "CustomerPayBillOnline", BUY_GOODS: "CustomerBuyGoodsOnline"}
INVALID_TOKEN = "404.001.03"
# STK query while the customer has not answered yet.
STILL_PROCESSING = "The transaction is being processed"
TOKEN_EARLY_REFRESH_SECONDS = 60


class DarajaError(Exception):
    """Daraja refused or could not be reached; ``message`` is Daraja's own words."""

    def __init__(
        self, message: str, *, status: int | None = None, error_code: str = "", body: Any = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.body = body

    @property
    def unreachable(self) -> bool:
        return self.status is None or self.status in {429, 502, 503, 504}

    @property
    def still_processing(self) -> bool:
        return STILL_PROCESSING.lower() in self.message.lower()


@dataclass(frozen=True)
class StkPushRequest:
    shortcode: str
    passkey: str
    kind: str  # PAYBILL | BUY_GOODS
    party_b: str  # the pay bill itself, or the till number of a buy-goods store
    phone: str  # 2547XXXXXXXX
    amount_shillings: int
    callback_url: str
    account_reference: str
    description: str


def timestamp_now() -> str:
    """Daraja's timestamp: YYYYMMDDHHMMSS on Nairobi's clock."""
    return datetime.now(NAIROBI).strftime("%Y%m%d%H%M%S")


def stk_password(shortcode: str, passkey: str, timestamp: str) -> str:
    return base64.b64encode(f"{shortcode}{passkey}{timestamp}".encode()).decode()


class DarajaClient:
    def __init__(
        self,
        *,
        base_url: str,
        consumer_key: str,
        consumer_secret: str,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.timeout = timeout
        self.session = requests.Session()
        retry = Retry(
            total=retries,
            connect=retries,
            read=0,  # a request that reached Daraja may have been processed: never resent
            status=retries,
            status_forcelist=(429, 503),
            allowed_methods=frozenset({"GET", "POST"}),
            backoff_factor=backoff,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.session.mount(self.base_url, HTTPAdapter(max_retries=retry))
        fingerprint = hashlib.sha256(f"{self.base_url}|{consumer_key}".encode()).hexdigest()[:16]
        self._token_key = f"mpesa:token:{fingerprint}"

    # --- OAuth ------------------------------------------------------------------------------
    def access_token(self) -> str:
        token = cache.get(self._token_key)
        if token:
            return str(token)
        return self._new_token()

    def _new_token(self) -> str:
        if not (self.consumer_key and self.consumer_secret):
            raise DarajaError("M-Pesa consumer key and secret are not configured.")
        response = self._send(
            "GET",
            "/oauth/v1/generate",
            params={"grant_type": "client_credentials"},
            auth=(self.consumer_key, self.consumer_secret),
        )
        body = self._json(response)
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code != 200 or not token:
            raise self._error(response, body, "M-Pesa refused the consumer key and secret.")
        try:
            lifetime = int(body.get("expires_in", 3599))
        except (TypeError, ValueError):
            lifetime = 3599
        cache.set(self._token_key, token, max(lifetime - TOKEN_EARLY_REFRESH_SECONDS, 1))
        return str(token)

    def forget_token(self) -> None:
        cache.delete(self._token_key)

    # --- API calls --------------------------------------------------------------------------
    def stk_push(self, request: StkPushRequest, *, timestamp: str | None = None) -> dict[str, Any]:
        stamp = timestamp or timestamp_now()
        return self.post(
            "/mpesa/stkpush/v1/processrequest",
            {
                "BusinessShortCode": request.shortcode,
                "Password": stk_password(request.shortcode, request.passkey, stamp),
                "Timestamp": stamp,
                "TransactionType": TRANSACTION_TYPES[request.kind],
                "Amount": request.amount_shillings,
                "PartyA": request.phone,
                "PartyB": request.party_b,
                "PhoneNumber": request.phone,
                "CallBackURL": request.callback_url,
                "AccountReference": request.account_reference[:12],
                "TransactionDesc": request.description[:13],
            },
        )

    def stk_query(self, *, shortcode: str, passkey: str, checkout_request_id: str) -> dict:
        stamp = timestamp_now()
        return self.post(
            "/mpesa/stkpushquery/v1/query",
            {
                "BusinessShortCode": shortcode,
                "Password": stk_password(shortcode, passkey, stamp),
                "Timestamp": stamp,
                "CheckoutRequestID": checkout_request_id,
            },
        )

    def register_c2b_urls(
        self, *, shortcode: str, confirmation_url: str, validation_url: str
    ) -> dict[str, Any]:
        return self.post(
            "/mpesa/c2b/v1/registerurl",
            {
                "ShortCode": shortcode,
                # Completed: if our validation URL cannot answer, M-Pesa still takes the money.
                "ResponseType": "Completed",
                "ConfirmationURL": confirmation_url,
                "ValidationURL": validation_url,
            },
        )

    def transaction_status(
        self,
        *,
        initiator: str,
        security_credential: str,
        transaction_id: str,
        party_a: str,
        identifier_type: str,
        result_url: str,
        timeout_url: str,
        originator_conversation_id: str,
    ) -> dict[str, Any]:
        return self.post(
            "/mpesa/transactionstatus/v1/query",
            {
                "Initiator": initiator,
                "SecurityCredential": security_credential,
                "CommandID": "TransactionStatusQuery",
                "TransactionID": transaction_id,
                "OriginatorConversationID": originator_conversation_id,
                "PartyA": party_a,
                "IdentifierType": identifier_type,
                "ResultURL": result_url,
                "QueueTimeOutURL": timeout_url,
                "Remarks": "Offline sale check",
                "Occasion": "",
            },
        )

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST with a bearer token; a token Daraja no longer accepts is renewed once."""
        for attempt in (1, 2):
            token = self.access_token()
            response = self._send(
                "POST", path, json=body, headers={"Authorization": f"Bearer {token}"}
            )
            data = self._json(response)
            if _error_code(data) == INVALID_TOKEN or response.status_code == 401:
                self.forget_token()
                if attempt == 1:
                    continue
            if response.status_code == 200 and isinstance(data, dict):
                code = str(data.get("ResponseCode", "0"))
                if code != "0":
                    raise DarajaError(
                        str(data.get("ResponseDescription") or "M-Pesa refused the request."),
                        status=200,
                        error_code=code,
                        body=data,
                    )
                return data
            raise self._error(response, data, "M-Pesa could not process the request.")
        raise AssertionError("unreachable")  # pragma: no cover

    # --- plumbing ---------------------------------------------------------------------------
    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return self.session.request(
                method, f"{self.base_url}{path}", timeout=self.timeout, **kwargs
            )
        except requests.RequestException as exc:
            log.warning("daraja_unreachable", path=path, error=str(exc))
            raise DarajaError("M-Pesa could not be reached; try again.") from exc

    @staticmethod
    def _json(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    @staticmethod
    def _error(response: requests.Response, body: Any, fallback: str) -> DarajaError:
        message = fallback
        if isinstance(body, dict):
            fault = body.get("fault")
            if isinstance(fault, dict):  # the API gateway's own refusals (spike arrest)
                message = str(fault.get("faultstring") or fallback)
            else:
                message = str(
                    body.get("errorMessage") or body.get("ResponseDescription") or message
                )
        if response.status_code == 429:
            message = "M-Pesa is busy (too many requests); try again in a moment."
        log.warning(
            "daraja_error",
            status=response.status_code,
            error_code=_error_code(body),
            message=message,
        )
        return DarajaError(
            message, status=response.status_code, error_code=_error_code(body), body=body
        )


def _error_code(body: Any) -> str:
    if not isinstance(body, dict):
        return ""
    if body.get("errorCode"):
        return str(body["errorCode"])
    fault = body.get("fault")
    if isinstance(fault, dict):
        detail = fault.get("detail")
        if isinstance(detail, dict):
            return str(detail.get("errorcode", ""))
    return ""


def client_from_settings() -> DarajaClient:
    from django.conf import settings

    return DarajaClient(
        base_url=settings.MPESA_BASE_URL,
        consumer_key=settings.MPESA_CONSUMER_KEY,
        consumer_secret=settings.MPESA_CONSUMER_SECRET,
        timeout=settings.MPESA_HTTP_TIMEOUT,
        retries=settings.MPESA_RETRIES,
        backoff=settings.MPESA_RETRY_BACKOFF,
    )
