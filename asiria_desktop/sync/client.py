"""HTTP client of the sync contract (ARCHITECTURE.md 6.1, docs/design/sync.md) over ``requests``.

Always with timeouts (connect 3 s, read 15 s) and TLS verification. Every failure becomes a
``CloudError`` with a plain message: no network, timeouts, dropped connections, 5xx and 429 are
``CloudUnavailable`` (retry later: the server dedupes events by id, so resending is safe).
"""

from __future__ import annotations

import base64
import gzip
import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from asiria_desktop.ports.cloud import (
    BatchRefused,
    Change,
    ClientReport,
    CloudError,
    CloudUnavailable,
    Enrollment,
    EnrollmentRefused,
    PullPage,
    PushResult,
    ServerFault,
    TerminalRevoked,
)
from asiria_desktop.ports.support_logs import LogBundle

if TYPE_CHECKING:  # imported where a request is made: ~40 ms that the till's start does not need
    import requests

TIMEOUT = (3.0, 15.0)  # (connect, read) seconds
TOKEN_MARGIN_S = 60  # fetch a new access token this long before the old one expires
ENROLL_PATH = "/api/v1/terminals/enroll/"
TOKEN_PATH = "/o/token/"
PUSH_PATH = "/api/v1/sync/push/"
PULL_PATH = "/api/v1/sync/pull/"
LOGS_PATH = "/api/v1/sync/logs/"
# Answers to a push that are about its body: the same request would be refused again.
# (401 is handled as revoked credentials, 429 as "later"; 403 or 404 are about the set-up,
# not the events, and leave them pending.)
BODY_REFUSED = frozenset({400, 409, 411, 413, 415, 422})
CREDENTIALS_REJECTED = (
    "The cloud no longer accepts this till's credentials: head office may have disconnected it, "
    "or it was enrolled again elsewhere. Ask head office for a new enrolment code."
)


def normalise_server_url(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise CloudError(f"The cloud address {url!r} must start with https:// (or http://).")
    return url


def _unavailable(exc: requests.RequestException) -> CloudUnavailable:
    import requests

    if isinstance(exc, requests.Timeout):
        return CloudUnavailable("The cloud did not answer in time.")
    if isinstance(exc, requests.exceptions.SSLError):
        return CloudUnavailable("The cloud's certificate could not be verified.")
    return CloudUnavailable("The cloud can't be reached: no network or the server is down.")


def _error_message(response: requests.Response) -> tuple[str | None, str]:
    """(code, message) out of ``{"error": {"code", "message"}}`` or DRF's ``{"detail"}``."""
    try:
        body = response.json()
    except ValueError:
        return None, response.text[:200].strip()
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return error.get("code"), str(error.get("message") or error.get("code") or "")
        if isinstance(error, str):
            return error, str(body.get("error_description") or error)
        for key in ("detail", "message", "non_field_errors", "code"):
            if key in body:
                value = body[key]
                return None, " ".join(value) if isinstance(value, list) else str(value)
    return None, str(body)[:200]


def _check_transient(response: requests.Response) -> None:
    if response.status_code == 429:
        retry_after: float | None
        try:
            retry_after = float(response.headers.get("Retry-After", ""))
        except ValueError:
            retry_after = None
        raise CloudUnavailable("The cloud is busy and asked the till to wait.", retry_after)
    if response.status_code == 500:
        raise ServerFault("The cloud failed on this request (HTTP 500).")
    if response.status_code >= 500:
        raise CloudUnavailable(f"The cloud had a problem (HTTP {response.status_code}).")


def _retry_minutes(response: requests.Response) -> int:
    try:
        seconds = float(response.headers.get("Retry-After", "3600"))
    except ValueError:
        seconds = 3600.0
    return max(1, round(seconds / 60))


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        # A captive portal or proxy page instead of the API: not our server, try later.
        raise CloudUnavailable(
            "The cloud answered with something that is not the sync API (a network login page?)."
        ) from None


def enroll(
    server_url: str,
    code: str,
    name: str,
    *,
    session: requests.Session | None = None,
    timeout: tuple[float, float] = TIMEOUT,
) -> Enrollment:
    """``POST /api/v1/terminals/enroll/``: a one-time code for this till's credentials."""
    import requests

    http = session or requests.Session()
    url = normalise_server_url(server_url) + ENROLL_PATH
    try:
        response = http.post(url, json={"code": code.strip(), "name": name}, timeout=timeout)
    except requests.RequestException as exc:
        raise _unavailable(exc) from exc
    _check_transient(response)
    if response.status_code in (400, 403, 404, 410):
        _, message = _error_message(response)
        raise EnrollmentRefused(
            f"The enrolment code was not accepted: {message or 'used, expired or unknown'}."
        )
    if response.status_code not in (200, 201):
        raise CloudError(f"Enrolment failed (HTTP {response.status_code}).")
    body = _json(response)
    try:
        return Enrollment(
            terminal_id=str(body["terminal_id"]),
            store_id=str(body["store_id"]),
            client_id=str(body["client_id"]),
            client_secret=str(body["client_secret"]),
            store_code=body.get("store_code"),
            terminal_code=body.get("terminal_code"),
            store_name=body.get("store_name"),
            currency=body.get("currency"),
            time_zone=body.get("time_zone"),
        )
    except (KeyError, TypeError) as exc:
        raise CloudError(f"The cloud's enrolment answer is missing {exc}.") from exc


class HttpCloudClient:
    """``CloudApi`` for one terminal: client-credentials tokens, cached until near expiry."""

    def __init__(
        self,
        server_url: str,
        client_id: str,
        client_secret: str,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = TIMEOUT,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        import requests

        self.server_url = normalise_server_url(server_url)
        self._client_id = client_id
        self._secret = client_secret
        self._http = session or requests.Session()
        self._http.verify = True
        self._timeout = timeout
        self._monotonic = monotonic
        self._token: str | None = None
        self._token_until = 0.0

    def close(self) -> None:
        self._http.close()

    # ----- the contract ------------------------------------------------------------------------

    def push(
        self, events: list[dict[str, Any]], client: ClientReport | None = None
    ) -> list[PushResult]:
        body_json: dict[str, Any] = {"events": events}
        if client is not None:
            body_json["client"] = client.to_wire()
        # Level 6 packs sale JSON nearly as tight as 9 (the default) at a fraction of the CPU.
        raw = json.dumps(body_json, separators=(",", ":")).encode()
        body = gzip.compress(raw, compresslevel=6)
        headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        response = self._authorised("POST", PUSH_PATH, data=body, headers=headers)
        if response.status_code in BODY_REFUSED:
            _, message = _error_message(response)
            raise BatchRefused(message or f"HTTP {response.status_code}")
        self._expect_ok(response)
        results = _json(response).get("results")
        if not isinstance(results, list):
            raise CloudUnavailable("The cloud's push answer has no results.")
        return [
            PushResult(str(r.get("id")), str(r.get("status")), r.get("error"))
            for r in results
            if isinstance(r, dict)
        ]

    def pull(self, cursor: str, limit: int) -> PullPage:
        response = self._authorised(
            "GET", PULL_PATH, params={"cursor": cursor or "0", "limit": str(limit)}
        )
        self._expect_ok(response)
        body = _json(response)
        try:
            changes = [
                Change(int(c["seq"]), str(c["entity"]), str(c["op"]), dict(c["data"]))
                for c in body["changes"]
            ]
            remaining = body.get("remaining")
            return PullPage(
                changes,
                str(body["cursor"]),
                bool(body["has_more"]),
                int(remaining) if isinstance(remaining, int) else None,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CloudUnavailable(f"The cloud's pull answer is malformed ({exc}).") from exc

    def send_logs(self, bundle: LogBundle, days: int, note: str) -> None:
        """The till's recent logs for support (gzip, then base64 inside JSON)."""
        body = {
            "days": days,
            "lines": bundle.lines,
            "first_at": bundle.first_at,
            "last_at": bundle.last_at,
            "truncated": bundle.truncated,
            "note": note,
            "content_gzip_base64": base64.b64encode(bundle.gzipped).decode("ascii"),
        }
        response = self._authorised("POST", LOGS_PATH, json=body)
        if response.status_code == 429:
            minutes = _retry_minutes(response)
            raise CloudError(
                "Logs were already sent several times this hour; "
                f"try again in about {minutes} minutes."
            )
        _check_transient(response)
        if response.status_code != 201:
            _, message = _error_message(response)
            raise CloudError(f"The cloud refused the logs (HTTP {response.status_code}): {message}")

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Any other endpoint of the cloud with this till's token (M-Pesa, ...): the raw answer,
        or ``CloudUnavailable`` / ``TerminalRevoked`` as for push and pull."""
        return self._authorised(method, path, **kwargs)

    # ----- plumbing ----------------------------------------------------------------------------

    def _authorised(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One request with a Bearer token; on a 401 (expired token) get a new one once."""
        import requests

        for attempt in (1, 2):
            token = self._access_token(force=attempt == 2)
            headers = {**kwargs.pop("headers", {}), "Authorization": f"Bearer {token}"}
            try:
                response = self._http.request(
                    method,
                    self.server_url + path,
                    headers=headers,
                    timeout=self._timeout,
                    **kwargs,
                )
            except requests.RequestException as exc:
                raise _unavailable(exc) from exc
            kwargs["headers"] = {k: v for k, v in headers.items() if k != "Authorization"}
            if response.status_code != 401:
                return response
            code, message = _error_message(response)
            if code == "terminal_revoked":
                self._token = None
                raise TerminalRevoked(message or CREDENTIALS_REJECTED)
        self._token = None
        raise TerminalRevoked(CREDENTIALS_REJECTED)

    def _access_token(self, *, force: bool = False) -> str:
        import requests

        if not force and self._token is not None and self._monotonic() < self._token_until:
            return self._token
        try:
            response = self._http.post(
                self.server_url + TOKEN_PATH,
                data={"grant_type": "client_credentials"},
                auth=(self._client_id, self._secret),
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            raise _unavailable(exc) from exc
        _check_transient(response)
        if response.status_code in (400, 401, 403):
            code, message = _error_message(response)
            if code == "terminal_revoked":
                raise TerminalRevoked(message)
            raise TerminalRevoked(CREDENTIALS_REJECTED)
        self._expect_ok(response)
        body = _json(response)
        token = body.get("access_token") if isinstance(body, dict) else None
        if not token:
            raise CloudUnavailable("The cloud gave no access token.")
        expires_in = float(body.get("expires_in") or 300)
        self._token = str(token)
        self._token_until = self._monotonic() + max(0.0, expires_in - TOKEN_MARGIN_S)
        return self._token

    @staticmethod
    def _expect_ok(response: requests.Response) -> None:
        _check_transient(response)
        if response.status_code != 200:
            _, message = _error_message(response)
            raise CloudError(
                f"The cloud refused the request (HTTP {response.status_code}): {message}"
            )
