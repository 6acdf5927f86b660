"""Client of the WhatsApp Business Cloud API (Meta's Graph API): send one message.

``POST {graph}/{phone-number-id}/messages`` with a bearer token. A free-form text is allowed only
inside the 24-hour customer service window (the person wrote to us in the last 24 hours);
outside it only an approved template may open the conversation. Graph answers
``{"messages": [{"id": "wamid..."}]}`` or ``{"error": {"code", "message", ...}}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

RATE_LIMIT = 130429  # the business number's throughput is exceeded
PAIR_RATE_LIMIT = 131056  # too many messages to the same recipient in a short time
REENGAGEMENT_NEEDED = 131047  # more than 24 hours since the person last wrote: template only
TOKEN_INVALID = 190  # the access token expired or was revoked

# Seconds to wait before the next try; Graph publishes no Retry-After for these.
RETRY_AFTER_S = {RATE_LIMIT: 30, PAIR_RATE_LIMIT: 60}
TEXT_LIMIT = 4096  # Graph's limit on a text body
TEMPLATE_PARAMETER_LIMIT = 1024  # and on one template body parameter


class WhatsAppError(Exception):
    """Graph refused the message, or could not be reached (``code`` is then ``None``)."""

    def __init__(self, message: str, *, code: int | None = None, http_status: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status

    @property
    def retry_after_s(self) -> int | None:
        """When to try again, or ``None`` when trying again cannot help."""
        if self.code in RETRY_AFTER_S:
            return RETRY_AFTER_S[self.code]
        if self.code is None or self.http_status >= 500:
            return 15  # network trouble or Graph's own failure: worth another go
        return None

    @property
    def needs_template(self) -> bool:
        return self.code == REENGAGEMENT_NEEDED


@dataclass(frozen=True)
class WhatsAppConfig:
    graph_url: str
    token: str
    phone_number_id: str
    timeout_s: float = 10.0

    @classmethod
    def from_settings(cls) -> WhatsAppConfig:
        return cls(
            graph_url=settings.ASIRIA_WHATSAPP_GRAPH_URL.rstrip("/"),
            token=settings.ASIRIA_WHATSAPP_TOKEN,
            phone_number_id=settings.ASIRIA_WHATSAPP_PHONE_NUMBER_ID,
            timeout_s=settings.ASIRIA_WHATSAPP_TIMEOUT_S,
        )

    @property
    def configured(self) -> bool:
        return bool(self.token and self.phone_number_id)


class WhatsAppClient:
    def __init__(self, config: WhatsAppConfig, session: requests.Session | None = None) -> None:
        self.config = config
        self.session = session or requests.Session()

    def send_text(self, *, to: str, body: str, callback_data: str = "") -> str:
        """A free-form message (inside the 24-hour window). Returns the message's wamid."""
        payload: dict[str, Any] = {
            "type": "text",
            "text": {"preview_url": False, "body": body[:TEXT_LIMIT]},
        }
        return self._send(to=to, payload=payload, callback_data=callback_data)

    def send_template(
        self,
        *,
        to: str,
        name: str,
        language: str,
        parameters: list[str],
        callback_data: str = "",
    ) -> str:
        """An approved template whose body has one ``{{n}}`` per parameter. Returns the wamid."""
        payload: dict[str, Any] = {
            "type": "template",
            "template": {
                "name": name,
                "language": {"code": language},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": _template_text(value)} for value in parameters
                        ],
                    }
                ],
            },
        }
        return self._send(to=to, payload=payload, callback_data=callback_data)

    def _send(self, *, to: str, payload: dict[str, Any], callback_data: str) -> str:
        body = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to.lstrip("+"),
            **payload,
        }
        if callback_data:
            # Graph echoes this in every status webhook of the message: how a delivery whose
            # wamid was never stored (a worker killed mid-call) is recognised later.
            body["biz_opaque_callback_data"] = callback_data
        url = f"{self.config.graph_url}/{self.config.phone_number_id}/messages"
        try:
            response = self.session.post(
                url,
                json=body,
                headers={"Authorization": f"Bearer {self.config.token}"},
                timeout=self.config.timeout_s,
            )
        except requests.RequestException as error:
            raise WhatsAppError(f"Graph API unreachable: {error}") from error
        return _message_id(response)


def _message_id(response: requests.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise WhatsAppError(
            f"Graph API answered {response.status_code} without JSON",
            http_status=response.status_code,
        )
    error = data.get("error")
    if response.status_code >= 400 or isinstance(error, dict):
        error = error if isinstance(error, dict) else {}
        code = error.get("code")
        details = (error.get("error_data") or {}).get("details") or ""
        message = str(error.get("message") or f"HTTP {response.status_code}")
        raise WhatsAppError(
            f"{message} {details}".strip(),
            code=code if isinstance(code, int) else None,
            http_status=response.status_code,
        )
    messages = data.get("messages")
    if not messages or not isinstance(messages, list) or not messages[0].get("id"):
        raise WhatsAppError("Graph API answered without a message id", http_status=200)
    return str(messages[0]["id"])


def _template_text(value: str) -> str:
    """Graph refuses a template parameter with a new line, a tab or more than four spaces."""
    flat = " ".join(value.split())
    return flat[:TEMPLATE_PARAMETER_LIMIT]
