"""``MpesaGateway`` over the cloud's M-Pesa endpoints (ARCHITECTURE.md 7.1), with the sync
client's authenticated session: the till never holds an M-Pesa secret."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from asiria_desktop.domain.mpesa import PromptState, limit_from_message
from asiria_desktop.ports.cloud import CloudApi, CloudUnavailable, TerminalInfo
from asiria_desktop.ports.mpesa import (
    MpesaRefused,
    MpesaUnavailable,
    PromptOverLimit,
    TillNumberPayment,
)
from asiria_desktop.sync.client import _check_transient, _error_message, _json

if TYPE_CHECKING:
    import requests

STK_PATH = "/api/v1/payments/mpesa/stk/"
CLAIM_PATH = "/api/v1/payments/mpesa/c2b/claim/"
# The cloud reached M-Pesa and M-Pesa failed: not the till's connection.
DARAJA_DOWN = frozenset({"mpesa_unavailable", "mpesa_error"})


class Connection(Protocol):
    def connection(self) -> tuple[CloudApi, TerminalInfo]: ...


class CloudMpesaGateway:
    def __init__(self, link: Connection) -> None:
        self._link = link

    def start_prompt(self, phone: str, amount_cents: int, reference: str) -> PromptState:
        body = {"phone": phone, "amount_cents": amount_cents, "reference": reference[:64]}
        answer = self._send("POST", STK_PATH, body, expect=(200, 201, 202))
        with _readable():
            return PromptState(
                attempt_id=str(answer["id"]),
                status=str(answer.get("status") or "pending"),
                amount_cents=amount_cents,
                phone=phone,
            )

    def prompt_state(self, attempt_id: str) -> PromptState:
        answer = self._send("GET", f"{STK_PATH}{attempt_id}/", None, expect=(200,))
        code = answer.get("result_code")
        with _readable():
            return PromptState(
                attempt_id=str(answer["id"]),
                status=str(answer["status"]),
                amount_cents=int(answer["amount_cents"]),
                phone=str(answer.get("phone") or ""),
                result_code=int(code) if isinstance(code, int) else None,
                result_desc=str(answer.get("result_desc") or ""),
                receipt=str(answer["mpesa_receipt"]) if answer.get("mpesa_receipt") else None,
            )

    def claim_till_payment(self, phone: str, amount_cents: int) -> TillNumberPayment:
        body = {"phone": phone, "amount_cents": amount_cents}
        answer = self._send("POST", CLAIM_PATH, body, expect=(200,))
        with _readable():
            return TillNumberPayment(
                receipt=str(answer["mpesa_receipt"]),
                amount_cents=int(answer["amount_cents"]),
                phone=str(answer.get("phone") or phone),
                first_name=str(answer.get("first_name") or ""),
            )

    def _send(
        self, method: str, path: str, body: dict[str, Any] | None, *, expect: tuple[int, ...]
    ) -> dict[str, Any]:
        api, info = self._link.connection()
        request = getattr(api, "request", None)
        if request is None:  # a client without raw requests (a test double of sync)
            raise CloudUnavailable("This till's cloud client cannot take M-Pesa payments.")
        if body is not None:
            body = {"store_id": info.store_id, **body}
        response: requests.Response = request(method, path, json=body)
        if response.status_code in expect:
            answer = _json(response)
            if not isinstance(answer, dict):
                raise CloudUnavailable("The cloud's M-Pesa answer is malformed.")
            return answer
        code, message = _error_message(response)
        if code in DARAJA_DOWN:
            raise MpesaUnavailable(message or "M-Pesa is not answering right now.")
        _check_transient(response)
        limit = limit_from_message(message)
        if limit is not None:
            raise PromptOverLimit(message, limit)
        raise MpesaRefused(
            message or f"The cloud refused the request (HTTP {response.status_code})."
        )


@contextmanager
def _readable() -> Iterator[None]:
    try:
        yield
    except (KeyError, TypeError, ValueError) as exc:
        raise CloudUnavailable(f"The cloud's M-Pesa answer is malformed ({exc}).") from exc
