"""What the FAKE Daraja server (``fake_daraja``) knows: the sandbox's public shortcode, the
outcomes a scripted customer can choose, and the prompts, payments and tokens it has seen."""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

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


def now_number() -> int:
    """Now in Nairobi as Daraja writes times: the number ``YYYYMMDDHHMMSS``."""
    return int(datetime.now(NAIROBI).strftime("%Y%m%d%H%M%S"))
