"""A small cloud that follows the sync contract (ARCHITECTURE.md 6.1, docs/design/sync.md), for
testing the till's sync engine until the real one exists: a real HTTP server on 127.0.0.1.

Enrol, ``/o/token/`` (client credentials, HTTP Basic), push (gzip, per-event JSON Schema check,
dedupe by event id + payload digest, per-event results in request order) and pull (cursor over a
change log, ``has_more``, plus the optional ``remaining``). Switches make it fail the way real
networks and servers do: 500/503/429 answers, a connection dropped after the request was read
(before or after it was applied), slow answers, and a revoked terminal.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "contract" / "sync-v1.schema.json"


def _validator(definition: str) -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    wrapper = {"$defs": schema["$defs"], "$ref": f"#/$defs/{definition}"}
    return Draft202012Validator(wrapper, format_checker=Draft202012Validator.FORMAT_CHECKER)


EVENT = _validator("Event")
ENROLL_REQUEST = _validator("EnrollRequest")
PULL_RESPONSE = _validator("PullResponse")
PUSH_RESPONSE = _validator("PushResponse")


def digest(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class Terminal:
    id: str
    store_id: str
    client_id: str
    client_secret: str
    name: str
    revoked: bool = False


@dataclass
class Failure:
    """Answer the next ``times`` requests to ``path`` (prefix; "" = any) like this."""

    kind: str  # "status" | "drop_before" | "drop_after" | "slow"
    status: int = 500
    times: int = 1
    path: str = ""
    retry_after: str | None = None
    seconds: float = 0.0


@dataclass
class FakeCloudState:
    codes: dict[str, str] = field(default_factory=dict)  # code -> terminal id
    terminals: dict[str, Terminal] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # access token -> terminal id
    revoked_tokens: set[str] = field(default_factory=set)
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)  # event id -> event
    # audit.recorded events: kept apart, as the cloud keeps them in their own table
    audit: dict[str, dict[str, Any]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)
    apply_count: dict[str, int] = field(default_factory=dict)
    push_requests: list[list[str]] = field(default_factory=list)  # event ids per request
    changes: list[dict[str, Any]] = field(default_factory=list)  # the change log
    failures: list[Failure] = field(default_factory=list)
    reject_types: set[str] = field(default_factory=set)  # event types the "server" refuses
    refuse_batches_with: set[str] = field(default_factory=set)  # 4xx for a whole request
    refuse_status: int = 400  # ... answered with this status
    crash_on: set[str] = field(default_factory=set)  # 500 for any request holding these
    requests: list[tuple[str, str]] = field(default_factory=list)
    schema_errors: list[str] = field(default_factory=list)
    concurrent_pushes: int = 0
    max_concurrent_pushes: int = 0
    log_uploads: list[dict[str, Any]] = field(default_factory=list)  # POST sync/logs/ bodies


class FakeCloud:
    def __init__(self, store_id: str = "0193a000-0000-7000-8000-000000000005") -> None:
        self.state = FakeCloudState()
        self.store_id = store_id
        self.lock = threading.Lock()
        self.push_gate: threading.Event | None = None  # set by tests to hold a push open
        self.push_entered = threading.Event()
        handler = type("Handler", (_Handler,), {"cloud": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # ----- lifecycle ---------------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeCloud:
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.push_gate is not None:
            self.push_gate.set()
        self.server.shutdown()
        self.server.server_close()

    # ----- what tests set up ------------------------------------------------------------------

    def new_code(self, terminal_id: str | None = None) -> str:
        """A one-time code; for an existing terminal, enrolling with it rotates its secret."""
        code = secrets.token_hex(4).upper()
        with self.lock:
            if terminal_id is None:
                terminal_id = f"0193a000-0000-7000-8000-{len(self.state.terminals) + 1:012d}"
                self.state.terminals[terminal_id] = Terminal(terminal_id, self.store_id, "", "", "")
            self.state.codes[code] = terminal_id
        return code

    def revoke(self, terminal_id: str) -> None:
        with self.lock:
            self.state.terminals[terminal_id].revoked = True
            gone = {t for t, tid in self.state.tokens.items() if tid == terminal_id}
            self.state.revoked_tokens |= gone
            self.state.tokens = {t: i for t, i in self.state.tokens.items() if t not in gone}

    def fail(self, kind: str, **options: Any) -> None:
        with self.lock:
            self.state.failures.append(Failure(kind, **options))

    def add_change(self, entity: str, data: dict[str, Any], op: str = "upsert") -> int:
        with self.lock:
            seq = len(self.state.changes) + 1
            self.state.changes.append({"seq": seq, "entity": entity, "op": op, "data": data})
            return seq

    def add_changes(self, entity: str, rows: list[dict[str, Any]]) -> None:
        with self.lock:
            for data in rows:
                seq = len(self.state.changes) + 1
                self.state.changes.append(
                    {"seq": seq, "entity": entity, "op": "upsert", "data": data}
                )

    # ----- request handling (on the server's threads) ----------------------------------------

    def take_failure(self, path: str) -> Failure | None:
        with self.lock:
            for failure in self.state.failures:
                if path.startswith(failure.path) and failure.times > 0:
                    failure.times -= 1
                    if failure.times == 0:
                        self.state.failures.remove(failure)
                    return failure
        return None

    def enroll(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        errors = [e.message for e in ENROLL_REQUEST.iter_errors(body)]
        if errors:
            return 400, {"error": {"code": "invalid", "message": "; ".join(errors)}}
        with self.lock:
            terminal_id = self.state.codes.pop(body["code"], None)
            if terminal_id is None:
                return 400, {
                    "error": {
                        "code": "invalid_code",
                        "message": "This code was already used or has expired",
                    }
                }
            terminal = self.state.terminals[terminal_id]
            terminal.client_id = terminal.client_id or f"client-{secrets.token_hex(6)}"
            terminal.client_secret = secrets.token_urlsafe(24)  # rotates on re-enrolment
            terminal.name = body["name"]
            terminal.revoked = False
            self.state.tokens = {t: i for t, i in self.state.tokens.items() if i != terminal_id}
            number = list(self.state.terminals).index(terminal_id) + 1
        return 201, {
            "terminal_id": terminal.id,
            "store_id": terminal.store_id,
            "client_id": terminal.client_id,
            "client_secret": terminal.client_secret,
            "store_code": "S07",
            "terminal_code": f"T{number:02d}",
            "store_name": "Fake Store",
            "currency": "KES",
            "time_zone": "Africa/Nairobi",
        }

    def token(self, authorization: str, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        if form.get("grant_type") != ["client_credentials"] or not authorization.startswith(
            "Basic "
        ):
            return 400, {"error": "unsupported_grant_type"}
        client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        with self.lock:
            terminal = next(
                (t for t in self.state.terminals.values() if t.client_id == client_id), None
            )
            if terminal is None or terminal.revoked or terminal.client_secret != secret:
                return 401, {"error": "invalid_client"}
            token = secrets.token_hex(16)
            self.state.tokens[token] = terminal.id
        return 200, {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 36000,
            "scope": "sync",
        }

    def terminal_for(self, authorization: str) -> tuple[Terminal | None, tuple[int, Any] | None]:
        token = authorization[7:] if authorization.startswith("Bearer ") else ""
        with self.lock:
            terminal_id = self.state.tokens.get(token)
            if terminal_id is None:
                if token in self.state.revoked_tokens:
                    message = "This till was disconnected by head office on 24 Nov 2026."
                    error = {"code": "terminal_revoked", "message": message}
                    return None, (401, {"error": error})
                return None, (401, {"detail": "Authentication credentials were not provided."})
            return self.state.terminals[terminal_id], None

    def push(self, body: Any) -> tuple[int, dict[str, Any]]:
        events = body.get("events") if isinstance(body, dict) else None
        if not isinstance(events, list) or not 1 <= len(events) <= 500:
            return 400, {"error": {"code": "invalid", "message": "events: 1 to 500 events"}}
        ids = [e.get("id") for e in events if isinstance(e, dict)]
        if set(ids) & self.state.refuse_batches_with:
            status = self.state.refuse_status
            return status, {"error": {"code": "invalid", "message": "a malformed event"}}
        if set(ids) & self.state.crash_on:
            with self.lock:
                self.state.push_requests.append([str(i) for i in ids])
            return 500, {"error": {"code": "server_error", "message": "Something went wrong."}}
        results = []
        with self.lock:
            self.state.push_requests.append([str(i) for i in ids])
            for event in events:
                results.append(self._apply_one(event))
        return 200, {"results": results}

    def _apply_one(self, event: Any) -> dict[str, Any]:
        event_id = event.get("id") if isinstance(event, dict) else None
        errors = sorted(EVENT.iter_errors(event), key=lambda e: list(e.path))
        if errors:
            message = "; ".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:3])
            self.state.schema_errors.append(message)
            return {"id": str(event_id), "status": "rejected", "error": f"invalid: {message}"}
        if event["type"] in self.state.reject_types:
            return {
                "id": event_id,
                "status": "rejected",
                "error": f"{event['type']} is not accepted by this store",
            }
        known = self.state.digests.get(event_id)
        payload_digest = digest(event["payload"])
        if known is not None:
            if known == payload_digest:
                return {"id": event_id, "status": "duplicate"}
            return {
                "id": event_id,
                "status": "rejected",
                "error": "the same event id was sent before with another payload",
            }
        self.state.digests[event_id] = payload_digest
        kept = self.state.audit if event["type"] == "audit.recorded" else self.state.applied
        kept[event_id] = event
        self.state.apply_count[event_id] = self.state.apply_count.get(event_id, 0) + 1
        return {"id": event_id, "status": "applied"}

    def pull(self, query: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        try:
            cursor = int((query.get("cursor") or ["0"])[0] or "0")
            limit = min(1000, int((query.get("limit") or ["500"])[0]))
        except ValueError:
            return 400, {"error": {"code": "invalid", "message": "bad cursor"}}
        with self.lock:
            after = [c for c in self.state.changes if c["seq"] > cursor]
        page = after[:limit]
        next_cursor = str(page[-1]["seq"]) if page else str(cursor)
        body = {
            "changes": page,
            "cursor": next_cursor,
            "has_more": len(after) > len(page),
            "remaining": len(after) - len(page),
        }
        assert not list(PULL_RESPONSE.iter_errors(body))
        return 200, body


class _Handler(BaseHTTPRequestHandler):
    cloud: FakeCloud
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def _handle(self, method: str) -> None:
        cloud = self.cloud
        split = urlsplit(self.path)
        path = split.path
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        cloud.state.requests.append((method, path))
        failure = cloud.take_failure(path)
        if failure is not None and failure.kind == "slow":
            time.sleep(failure.seconds)
        if failure is not None and failure.kind == "drop_before":
            self._drop()
            return
        if failure is not None and failure.kind == "status":
            headers = {"Retry-After": failure.retry_after} if failure.retry_after else {}
            self._send(failure.status, {"detail": "fake failure"}, headers)
            return
        status, body = self._route(method, path, split.query, raw)
        if failure is not None and failure.kind == "drop_after":
            self._drop()  # the server did the work; the till never hears about it
            return
        self._send(status, body)

    def _route(self, method: str, path: str, query: str, raw: bytes) -> tuple[int, Any]:
        cloud = self.cloud
        auth = self.headers.get("Authorization", "")
        if method == "POST" and path == "/api/v1/terminals/enroll/":
            return cloud.enroll(json.loads(raw or b"{}"))
        if method == "POST" and path == "/o/token/":
            return cloud.token(auth, parse_qs(raw.decode()))
        if method == "POST" and path == "/api/v1/sync/logs/":
            terminal, refusal = cloud.terminal_for(auth)
            if refusal is not None:
                return refusal
            with cloud.lock:
                cloud.state.log_uploads.append({**json.loads(raw), "terminal": terminal})
            return 201, {"id": len(cloud.state.log_uploads)}
        if path in ("/api/v1/sync/push/", "/api/v1/sync/pull/"):
            _terminal, refusal = cloud.terminal_for(auth)
            if refusal is not None:
                return refusal
            if method == "POST" and path == "/api/v1/sync/push/":
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                return self._push(json.loads(raw))
            if method == "GET":
                return cloud.pull(parse_qs(query))
        return 404, {"detail": "not found"}

    def _push(self, body: Any) -> tuple[int, Any]:
        cloud = self.cloud
        with cloud.lock:
            cloud.state.concurrent_pushes += 1
            cloud.state.max_concurrent_pushes = max(
                cloud.state.max_concurrent_pushes, cloud.state.concurrent_pushes
            )
        try:
            cloud.push_entered.set()
            if cloud.push_gate is not None:
                cloud.push_gate.wait(60)  # the test opens it; a slow start must not
            status, answer = cloud.push(body)
            if status == 200:
                assert not list(PUSH_RESPONSE.iter_errors(answer))
            return status, answer
        finally:
            with cloud.lock:
                cloud.state.concurrent_pushes -= 1

    def _send(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(2)
