"""Meta signs each webhook: ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>``
keyed with the app secret."""

from __future__ import annotations

import hashlib
import hmac


def signature_of(body: bytes, app_secret: str) -> str:
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_valid(body: bytes, header: str, app_secret: str) -> bool:
    """Compared in constant time; with no app secret configured nothing is valid."""
    if not app_secret or not header:
        return False
    return hmac.compare_digest(signature_of(body, app_secret).encode(), header.strip().encode())
