"""The unit layers (domain, services, hardware) run without the network: a test that opens a
socket fails at once with pytest-socket's SocketBlockedError, unless it is marked
``@pytest.mark.enable_socket`` (a simulated ESC/POS printer on 127.0.0.1, say), so a test that
needs the network says so, and `make test-fast` never waits on a service."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_socket import disable_socket, enable_socket


@pytest.fixture(autouse=True)
def _no_network(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("enable_socket"):
        yield
        return
    # Unix sockets stay open: Qt and D-Bus use them locally, and they reach no other machine.
    disable_socket(allow_unix_socket=True)
    try:
        yield
    finally:
        enable_socket()
