"""A fault-injecting HTTP proxy between a till and gunicorn, on 127.0.0.1 (an ephemeral port).

It reads each HTTP/1.1 request whole (the till's client always sends a Content-Length), decides
what to do with it (``policy(request) -> Action``), and answers with ``Connection: close`` (one
request per connection, so every request gets its own decision). Actions:

- ``PASS``: forward, return the server's answer;
- ``REFUSE``: close the connection at once, nothing forwarded (network down, server down);
- ``DROP_AFTER``: forward, read the server's whole answer, then reset the connection without
  sending it back (the server committed, the till does not know);
- ``FAIL_503``: answer 503 itself, nothing forwarded (a load balancer with no healthy backend);
- ``FAIL_500_AFTER``: forward (the server commits), then answer 500 instead of the real answer;
- ``DOUBLE``: send the request to the server twice at the same time (two workers apply the same
  batch concurrently, as when a till retries while its first attempt is still being applied),
  and return the first answer.

``hits`` counts (path, action) pairs, so a test can prove its faults really happened.
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum


class Action(Enum):
    PASS = "pass"
    REFUSE = "refuse"
    DROP_AFTER = "drop_after"
    FAIL_503 = "fail_503"
    FAIL_500_AFTER = "fail_500_after"
    DOUBLE = "double"


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without the query string
    number: int  # 1, 2, ... over the proxy's life
    head: bytes
    body: bytes


Policy = Callable[[Request], Action]
NO_ANSWER = "no_answer"  # counted when the server closed or died without answering
PUSH = "/api/v1/sync/push/"


def passthrough(_request: Request) -> Action:
    return Action.PASS


def refuse_all(_request: Request) -> Action:
    return Action.REFUSE


def on_push(action: Action, *, first: int | None = None) -> Policy:
    """``action`` for the first ``first`` push requests (every push when None), then pass."""
    seen = {"n": 0}
    lock = threading.Lock()

    def policy(request: Request) -> Action:
        if request.path != PUSH:
            return Action.PASS
        with lock:
            seen["n"] += 1
            n = seen["n"]
        return action if first is None or n <= first else Action.PASS

    return policy


def random_faults(shares: dict[Action, float], seed: int, paths: tuple[str, ...] = ()) -> Policy:
    """Each request (on ``paths``, or all) gets a fault with the given probabilities."""
    rng = random.Random(seed)
    lock = threading.Lock()

    def policy(request: Request) -> Action:
        if paths and request.path not in paths:
            return Action.PASS
        with lock:
            roll = rng.random()
        for action, share in shares.items():
            if roll < share:
                return action
            roll -= share
        return Action.PASS

    return policy


def _answer(status: str, code: str, message: str) -> bytes:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nRetry-After: 0\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


RESPONSE_503 = _answer("503 Service Unavailable", "busy", "injected by the test proxy")
RESPONSE_500 = _answer("500 Internal Server Error", "server_error", "injected by the test proxy")


def _read_request(conn: socket.socket) -> tuple[bytes, bytes] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        rest += chunk
    return head, rest[:length]


def _with_close(head: bytes) -> bytes:
    lines = [
        line
        for line in head.split(b"\r\n")
        if line.split(b":", 1)[0].strip().lower() not in (b"connection", b"keep-alive")
    ]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n"


def _reset(conn: socket.socket) -> None:
    """Close with a TCP reset (SO_LINGER 0): the client sees the connection die."""
    with contextlib.suppress(OSError):
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        conn.close()


@dataclass
class FaultProxy:
    upstream_port: int
    policy: Policy = passthrough
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    on_forwarded: Callable[[Request], None] | None = None  # called once a request is sent on
    answer_delay_s: float = 0.0
    doubles: list[tuple[str, ...]] = field(default_factory=list)  # status lines of each pair
    _number: int = 0
    _server: socket.socket | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> FaultProxy:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen(128)
        self._server = server
        threading.Thread(target=self._accept, daemon=True, name="fault-proxy").start()
        return self

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            with contextlib.suppress(OSError):
                server.shutdown(socket.SHUT_RDWR)
            server.close()

    def set(self, policy: Policy) -> None:
        self.policy = policy

    def count(self, action: Action | str, path: str = PUSH) -> int:
        key = action.value if isinstance(action, Action) else action
        with self._lock:
            return self.hits[(path, key)]

    def _accept(self) -> None:
        while self._server is not None:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(60)
            parsed = _read_request(conn)
            if parsed is None:
                conn.close()
                return
            head, body = parsed
            method, target = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")[:2]
            with self._lock:
                self._number += 1
                request = Request(method, target.split("?", 1)[0], self._number, head, body)
            action = self.policy(request)
            with self._lock:
                self.hits[(request.path, action.value)] += 1
            if action is Action.REFUSE:
                _reset(conn)
                return
            if action is Action.FAIL_503:
                conn.sendall(RESPONSE_503)
                conn.close()
                return
            if action is Action.DOUBLE:
                answer = self._forward_twice(request)
            else:
                answer = self._forward(request)
            if answer is None:
                with self._lock:
                    self.hits[(request.path, NO_ANSWER)] += 1
            if answer is None or action is Action.DROP_AFTER:
                _reset(conn)
                return
            if self.answer_delay_s:  # a slow network: the answer takes a while to come back
                time.sleep(self.answer_delay_s)
            conn.sendall(RESPONSE_500 if action is Action.FAIL_500_AFTER else answer)
            conn.close()
        except OSError:
            _reset(conn)

    def _forward_twice(self, request: Request) -> bytes | None:
        answers: list[bytes | None] = [None, None]
        barrier = threading.Barrier(2)

        def one(index: int) -> None:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(5)
            answers[index] = self._forward(request)

        twin = threading.Thread(target=one, args=(1,), daemon=True)
        twin.start()
        one(0)
        twin.join(60)
        with self._lock:
            self.hits[(request.path, "double_answers")] += 1
            self.doubles.append(
                tuple(a.split(b"\r\n", 1)[0].decode() if a else "no answer" for a in answers)
            )
        return answers[0]

    def _forward(self, request: Request) -> bytes | None:
        """The server's whole answer, or None when it could not be reached / died meanwhile."""
        try:
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port), timeout=60)
        except OSError:
            return None
        try:
            upstream.sendall(_with_close(request.head) + request.body)
            if self.on_forwarded is not None:
                self.on_forwarded(request)
            chunks = []
            while True:
                chunk = upstream.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
            answer = b"".join(chunks)
            return answer if answer.startswith(b"HTTP/") else None
        except OSError:
            return None
        finally:
            upstream.close()
